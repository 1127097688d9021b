package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.yuan;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;

/** The sandbox refuses forged, tampered, stale and replayed requests, and moves no money for them. */
class AuthenticationIT {

    private static final String COLLECT = "{\"request_id\":\"C-1\",\"platform_account\":\"PLATFORM0001\","
            + "\"account_no\":\"M1001\",\"amount\":\"10.00\",\"currency\":\"CNY\",\"title\":\"order\"}";

    private HuijinbaoSandbox sandbox;
    private RawClient raw;

    @BeforeEach
    void start() {
        sandbox = HuijinbaoSandbox.builder().account("M1001", yuan("100.00")).start();
        raw = new RawClient(sandbox.baseUri());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private RawClient.Request collect() {
        return RawClient.post("/v1/transfers/collect", COLLECT, sandbox.keyId(), sandbox.secret());
    }

    private void assertNothingMoved() {
        assertThat(sandbox.balance("M1001")).isEqualTo(yuan("100.00"));
        assertThat(sandbox.orders()).isEmpty();
    }

    @Test
    void acceptsAWellSignedRequestAndSignsItsReply() throws Exception {
        RawClient.Reply reply = raw.send(collect());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.signatureValid()).isTrue();
        assertThat(sandbox.balance("M1001")).isEqualTo(yuan("90.00"));
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() throws Exception {
        String otherSecret = Base64.getEncoder().encodeToString(new byte[32]);

        RawClient.Reply reply = raw.send(collect().withSecret(otherSecret));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.code()).isEqualTo("SIGNATURE_INVALID");
        assertNothingMoved();
    }

    @Test
    void refusesABodyChangedAfterSigning() throws Exception {
        RawClient.Reply reply = raw.send(collect().withBodySwappedAfterSigning(COLLECT.replace("10.00", "99.00")));

        assertThat(reply.code()).isEqualTo("SIGNATURE_INVALID");
        assertNothingMoved();
    }

    @Test
    void refusesAPathChangedAfterSigning() throws Exception {
        RawClient.Reply reply = raw.send(collect().withPathSwappedAfterSigning("/v1/transfers/payout"));

        assertThat(reply.code()).isEqualTo("SIGNATURE_INVALID");
        assertNothingMoved();
    }

    @Test
    void refusesTimestampsOutsideTheFiveMinuteWindowEitherWay() throws Exception {
        RawClient.Request base = collect();

        RawClient.Reply stale = raw.send(base.withTimestamp(base.timestamp() - 301));
        RawClient.Reply future = raw.send(collect().withTimestamp(base.timestamp() + 301));

        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.code()).isEqualTo("TIMESTAMP_OUT_OF_WINDOW");
        assertThat(future.code()).isEqualTo("TIMESTAMP_OUT_OF_WINDOW");
        assertNothingMoved();
    }

    @Test
    void acceptsTimestampsJustInsideTheWindow() throws Exception {
        RawClient.Request r = collect();

        assertThat(raw.send(r.withTimestamp(r.timestamp() - 290)).status()).isEqualTo(200);
    }

    @Test
    void refusesAReplayedRequestAndMovesMoneyOnce() throws Exception {
        RawClient.Request captured = collect();

        RawClient.Reply first = raw.send(captured);
        RawClient.Reply replay = raw.send(captured);

        assertThat(first.status()).isEqualTo(200);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo("NONCE_REPLAYED");
        assertThat(replay.signatureValid()).isTrue();
        assertThat(sandbox.balance("M1001")).isEqualTo(yuan("90.00"));
    }

    @Test
    void aForgedRequestDoesNotUseUpTheNonceOfAGenuineOne() throws Exception {
        RawClient.Request genuine = collect();
        String otherSecret = Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(raw.send(genuine.withSecret(otherSecret)).code()).isEqualTo("SIGNATURE_INVALID");
        assertThat(raw.send(genuine).status()).isEqualTo(200);
    }

    @Test
    void refusesAnUnknownKeyWithAnUnsignedReply() throws Exception {
        RawClient.Reply reply = raw.send(collect().withKeyId("someone-else"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.code()).isEqualTo("KEY_UNKNOWN");
        assertThat(reply.signed()).isFalse();
        assertNothingMoved();
    }

    @Test
    void refusesRequestsWithoutAuthenticationHeaders() throws IOException, InterruptedException {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUri() + "/v1/transfers/collect"))
                .header(org.ticketledger.huijinbao.internal.Signing.KEY_ID, sandbox.keyId())
                .POST(HttpRequest.BodyPublishers.ofString(COLLECT)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(resp.statusCode()).isEqualTo(401);
        assertThat(resp.body()).contains("SIGNATURE_INVALID");
        assertNothingMoved();
    }

    @Test
    void refusesActingForAnotherAccount() throws Exception {
        RawClient.Reply write = raw.send(RawClient.post("/v1/transfers/collect",
                COLLECT.replace("PLATFORM0001", "M1001"), sandbox.keyId(), sandbox.secret()));
        RawClient.Reply read = raw.send(RawClient.get("/v1/accounts/M1001/balance", sandbox.keyId(), sandbox.secret()));

        assertThat(write.status()).isEqualTo(403);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.code()).isEqualTo("ACCOUNT_NOT_AUTHORIZED");
        assertNothingMoved();
    }

    @Test
    void refusesMalformedWritesWithoutRecordingThem() throws Exception {
        RawClient.Reply threeDecimals = raw.send(RawClient.post("/v1/transfers/collect",
                COLLECT.replace("10.00", "10.001"), sandbox.keyId(), sandbox.secret()));
        RawClient.Reply noTitle = raw.send(RawClient.post("/v1/transfers/collect",
                COLLECT.replace(",\"title\":\"order\"", ""), sandbox.keyId(), sandbox.secret()));
        RawClient.Reply amountOnRedeemAll = raw.send(RawClient.post("/v1/wealth/redeem-all",
                "{\"request_id\":\"X\",\"platform_account\":\"PLATFORM0001\",\"plan_id\":\"P\",\"amount\":\"1.00\",\"currency\":\"CNY\"}",
                sandbox.keyId(), sandbox.secret()));

        assertThat(threeDecimals.code()).isEqualTo("INVALID_REQUEST");
        assertThat(noTitle.code()).isEqualTo("INVALID_REQUEST");
        assertThat(amountOnRedeemAll.status()).isEqualTo(400);
        assertNothingMoved();
    }
}
