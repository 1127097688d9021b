package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.internal.FormCodec;
import org.ticketledger.alipay.internal.Rsa2;
import org.ticketledger.alipay.internal.SignedReply;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RequestId;

/** Our sign strings and RSA2 signatures against vectors made independently with OpenSSL. */
class SignatureKnownAnswerTest {

    static final String BIZ = "{\"out_trade_no\":\"ORD-20261126-0001\",\"total_amount\":\"101.00\",\"subject\":\"门票 Ticket\","
            + "\"product_code\":\"GENERAL_WITHHOLDING\",\"agreement_params\":{\"agreement_no\":\"20261126000000000001\"}}";

    static Map<String, String> requestParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("app_id", "2021000000000001");
        p.put("method", "alipay.trade.pay");
        p.put("format", "json");
        p.put("charset", "UTF-8");
        p.put("sign_type", "RSA2");
        p.put("timestamp", "2026-11-26 10:00:00");
        p.put("version", "1.0");
        p.put("notify_url", "https://host.example/alipay/notify?x=1&y=2");
        p.put("app_auth_token", "");
        p.put("biz_content", BIZ);
        return p;
    }

    @Test
    void signStringSortsKeysDropsEmptyValuesKeepsSignTypeAndUsesRawValues() {
        Map<String, String> params = requestParams();
        params.put("sign", "must-not-be-signed");

        String content = Rsa2.requestSignContent(params);

        assertThat(content).isEqualTo(Kat.text("request.sign-content.txt"));
        assertThat(content).contains("&sign_type=RSA2&").doesNotContain("sign=must").doesNotContain("app_auth_token")
                .contains("notify_url=https://host.example/alipay/notify?x=1&y=2&").contains("timestamp=2026-11-26 10:00:00");
    }

    @Test
    void rsa2SignatureEqualsOpensslByteForByte() {
        String signature = Rsa2.sign(Kat.appPrivateKey(), Kat.text("request.sign-content.txt"));

        assertThat(signature).isEqualTo(Kat.text("request.sign.b64"));
        assertThat(Rsa2.verify(Kat.appPublicKey(), Kat.text("request.sign-content.txt"), signature)).isTrue();
        assertThat(Rsa2.verify(Kat.appPublicKey(), Kat.text("request.sign-content.txt") + " ", signature)).isFalse();
    }

    @Test
    void bareBase64AndPemKeysAreTheSameKey() {
        assertThat(AlipayKeys.privateKey(Kat.text("app_private_key.b64"))).isEqualTo(Kat.appPrivateKey());
        assertThat(AlipayKeys.publicKey(Kat.text("alipay_public_key.pem"))).isEqualTo(Kat.alipayPublicKey());
    }

    @Test
    void railSendsTheKnownAnswerOnTheWire() throws IOException {
        AtomicReference<String> query = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/gateway.do", exchange -> {
            query.set(exchange.getRequestURI().getRawQuery());
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        });
        server.start();
        Clock tenOClockInBeijing = Clock.fixed(Instant.parse("2026-11-26T02:00:00Z"), ZoneOffset.UTC);
        try (AlipayRail rail = AlipayRail.builder()
                .gateway(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do"))
                .appId("2021000000000001")
                .appPrivateKey(Kat.appPrivateKey())
                .alipayPublicKey(Kat.alipayPublicKey())
                .platformAccount("2088000000000001")
                .notifyUrl(URI.create("https://host.example/alipay/notify?x=1&y=2"))
                .clock(tenOClockInBeijing)
                .build()) {
            PartyAccount payer = PartyAccount.of(RailId.ALIPAY, IdentityType.USER_ID, "2088000000000002")
                    .withAgreement("20261126000000000001");
            rail.collect(Instruction.collect(RequestId.of("ORD-20261126-0001"), payer, Money.parseCny("101.00"), "门票 Ticket"));
        } finally {
            server.stop(0);
        }

        Map<String, String> system = FormCodec.decode(query.get());
        Map<String, String> form = FormCodec.decode(body.get());
        assertThat(form).containsOnlyKeys("biz_content");
        assertThat(form.get("biz_content")).isEqualTo(BIZ);
        assertThat(system).doesNotContainKey("biz_content");
        assertThat(system.get("timestamp")).isEqualTo("2026-11-26 10:00:00");
        Map<String, String> all = new LinkedHashMap<>(system);
        all.putAll(form);
        assertThat(Rsa2.requestSignContent(all)).isEqualTo(Kat.text("request.sign-content.txt"));
        assertThat(system.get("sign")).isEqualTo(Kat.text("request.sign.b64"));
    }

    @Test
    void replySignedOverTheExactNodeTextVerifies() {
        SignedReply.Check check = SignedReply.check(Kat.text("response.body.json"), "alipay.trade.pay", Kat.alipayPublicKey());

        assertThat(check).isInstanceOfSatisfying(SignedReply.Verified.class, v -> {
            assertThat(v.node()).isEqualTo("alipay_trade_pay_response");
            assertThat(v.fields().get("trade_no").asText()).isEqualTo("2026112622001400000000000001");
        });
        assertThat(SignedReply.signContent(Kat.text("response.body.json"), "alipay_trade_pay_response"))
                .contains(Kat.text("response.node.txt"));
    }

    @Test
    void replyWithEscapedSlashesVerifiesOnTheRetryWithPlainSlashes() {
        String body = Kat.text("escaped.body.json");
        assertThat(body).contains("https:\\/\\/render");

        SignedReply.Check check = SignedReply.check(body, "alipay.fund.trans.uni.transfer", Kat.alipayPublicKey());

        assertThat(check).isInstanceOfSatisfying(SignedReply.Verified.class,
                v -> assertThat(v.fields().get("link").asText()).isEqualTo("https://render.alipay.com/p/s/x"));
    }

    @Test
    void replySignedByAnotherKeyIsRefused() {
        assertThat(SignedReply.check(Kat.text("response.body.json"), "alipay.trade.pay", Kat.appPublicKey()))
                .isInstanceOf(SignedReply.Refused.class);
    }

    @Test
    void notifySignStringLeavesOutSignAndSignType() {
        Map<String, String> p = new LinkedHashMap<>(KnownNotify.params());
        assertThat(Rsa2.signContent(p, Set.of("sign", "sign_type"))).isEqualTo(Kat.text("notify.sign-content.txt"));
    }
}
