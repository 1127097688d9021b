package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.yuan;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PositionResult;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * Replies that were forged, altered or replayed between the sandbox and the client are never
 * believed: the outcome is Unknown, and a query over an honest channel shows what really happened.
 */
class ForgedReplyIT {

    private Fixture f;
    private TamperingProxy proxy;
    private HuijinbaoRail viaProxy;
    private PartyAccount member;

    @BeforeEach
    void start() throws Exception {
        f = Fixture.start();
        member = f.member("M1001", "500.00");
        proxy = new TamperingProxy(f.sandbox.baseUri());
        viaProxy = f.otherRail(r -> r.baseUri(proxy.uri()).readAttempts(1));
    }

    @AfterEach
    void stop() {
        viaProxy.close();
        proxy.close();
        f.close();
    }

    private RailOutcome collect(String id, String amount) {
        return viaProxy.collect(Instruction.collect(RequestId.of(id), member, yuan(amount), "order"));
    }

    /** The genuine reply re-signed by someone who knows the protocol but not the secret (or knows it and lies about time). */
    private static TamperingProxy.Exchange resign(TamperingProxy.Exchange e, String secret, long timestamp, byte[] body,
                                                  int status) {
        String sig = Signing.sign(Signing.key(secret), Signing.replyStringToSign(e.headers().get(Signing.KEY_ID), status,
                e.method(), e.target(), timestamp, e.requestNonce(), body));
        Map<String, String> h = new LinkedHashMap<>(e.headers());
        h.put(Signing.TIMESTAMP, Long.toString(timestamp));
        h.put(Signing.SIGNATURE, sig);
        return e.with(status, h, body);
    }

    private void assertUnknownButMovedOnce(RailOutcome out, String id) {
        assertThat(out).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of(id))).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("400.00"));
    }

    @Test
    void replySignedWithAnotherSecretIsUnknown() {
        String wrong = Base64.getEncoder().encodeToString(new byte[32]);
        proxy.tamper(e -> resign(e, wrong, Long.parseLong(e.headers().get(Signing.TIMESTAMP)), e.body(), e.status()));

        assertUnknownButMovedOnce(collect("C-1", "100.00"), "C-1");
    }

    @Test
    void unsignedReplyIsUnknown() {
        proxy.tamper(e -> e.with(e.status(), Map.of(), e.body()));

        assertUnknownButMovedOnce(collect("C-1", "100.00"), "C-1");
    }

    @Test
    void replyWithAlteredBodyIsUnknown() {
        proxy.tamper(e -> e.with(e.status(), e.headers(),
                new String(e.body(), StandardCharsets.UTF_8).replace("HJB2026", "HJB1999").getBytes(StandardCharsets.UTF_8)));

        assertUnknownButMovedOnce(collect("C-1", "100.00"), "C-1");
    }

    @Test
    void replyBoundToAnotherKeyIsUnknown() {
        proxy.tamper(e -> {
            Map<String, String> h = new LinkedHashMap<>(e.headers());
            h.put(Signing.KEY_ID, "another-key");
            return e.with(e.status(), h, e.body());
        });

        assertUnknownButMovedOnce(collect("C-1", "100.00"), "C-1");
    }

    @Test
    void validlySignedButStaleReplyIsUnknown() {
        proxy.tamper(e -> resign(e, f.sandbox.secret(), Instant.now().getEpochSecond() - 600, e.body(), e.status()));

        assertUnknownButMovedOnce(collect("C-1", "100.00"), "C-1");
    }

    @Test
    void anOldGenuineReplyReplayedForAnotherRequestIsUnknown() {
        AtomicReference<TamperingProxy.Exchange> recorded = new AtomicReference<>();
        proxy.tamper(e -> {
            recorded.compareAndSet(null, e);
            return e;
        });
        assertThat(collect("C-0", "1.00")).isInstanceOf(RailOutcome.Succeeded.class);
        // From now on every reply is the recorded success of C-0: genuine, signed, but for another request.
        proxy.tamper(e -> e.with(recorded.get().status(), recorded.get().headers(), recorded.get().body()));

        RailOutcome out = collect("C-1", "100.00");

        assertThat(out).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(viaProxy.balance()).isInstanceOf(BalanceResult.Unavailable.class);
        assertThat(viaProxy.position(Fixture.PLAN)).isInstanceOf(PositionResult.Unavailable.class);
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("399.00"));
    }

    @Test
    void aRefusalDressedUpAsSuccessIsUnknownNeverSucceeded() {
        proxy.tamper(e -> {
            String forged = new String(e.body(), StandardCharsets.UTF_8)
                    .replace("\"status\":\"FAILED\"", "\"status\":\"SUCCEEDED\",\"txn_id\":\"HJB-FAKE\"")
                    .replace(",\"failure_code\":\"INSUFFICIENT_FUNDS\"", ",\"completed_at\":\"2026-12-01T10:00:00.000+08:00\"");
            return e.with(200, e.headers(), forged.getBytes(StandardCharsets.UTF_8));
        });

        RailOutcome out = collect("C-1", "600.00");

        assertThat(out).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.NotFound.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("500.00"));
    }

    @Test
    void inCallRetriesThroughAForgingChannelStillEndUnknownAndMoveMoneyOnce() {
        String wrong = Base64.getEncoder().encodeToString(new byte[32]);
        proxy.tamper(e -> resign(e, wrong, Long.parseLong(e.headers().get(Signing.TIMESTAMP)), e.body(), e.status()));
        try (HuijinbaoRail retrying = f.otherRail(r -> r.baseUri(proxy.uri()).writeAttempts(3).readAttempts(3))) {
            RailOutcome out = retrying.collect(Instruction.collect(RequestId.of("C-1"), member, yuan("100.00"), "order"));

            assertUnknownButMovedOnce(out, "C-1");
        }
    }
}
