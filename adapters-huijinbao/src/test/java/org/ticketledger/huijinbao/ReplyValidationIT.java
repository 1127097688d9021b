package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.PLAN;
import static org.ticketledger.huijinbao.Fixture.yuan;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;

/**
 * Correctly signed replies (as a real Huijinbao might send them) are still checked against the
 * request: a reply about another order, another amount or with inconsistent figures is Unknown,
 * and an order still being processed is Pending.
 */
class ReplyValidationIT {

    private Fixture f;
    private TamperingProxy proxy;
    private HuijinbaoRail viaProxy;
    private PartyAccount member;

    @BeforeEach
    void start() throws Exception {
        f = Fixture.start(s -> s.platformBalance(yuan("1000.00")), r -> r);
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

    /** Rewrites the body and signs the result properly, with the real secret. */
    private void rewriteBody(UnaryOperator<String> edit) {
        proxy.tamper(e -> {
            byte[] body = edit.apply(new String(e.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            long ts = Long.parseLong(e.headers().get(Signing.TIMESTAMP));
            Map<String, String> h = new LinkedHashMap<>(e.headers());
            h.put(Signing.SIGNATURE, Signing.sign(Signing.key(f.sandbox.secret()), Signing.replyStringToSign(
                    e.headers().get(Signing.KEY_ID), e.status(), e.method(), e.target(), ts, e.requestNonce(), body)));
            return e.with(e.status(), h, body);
        });
    }

    private RailOutcome collect(String id, String amount) {
        return viaProxy.collect(Instruction.collect(RequestId.of(id), member, yuan(amount), "order"));
    }

    @Test
    void aProcessingOrderIsPending() {
        rewriteBody(b -> b.replace("\"status\":\"SUCCEEDED\"", "\"status\":\"PROCESSING\""));

        assertThat(collect("C-1", "10.00")).isInstanceOf(RailOutcome.Pending.class);
        assertThat(viaProxy.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.Pending.class);
    }

    @Test
    void aReplyAboutAnotherRequestIdIsUnknown() {
        rewriteBody(b -> b.replace("\"C-1\"", "\"C-2\""));

        assertThat(collect("C-1", "10.00")).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(viaProxy.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.Unknown.class);
    }

    @Test
    void aReplyAboutAnotherOperationIsUnknown() {
        rewriteBody(b -> b.replace("\"operation\":\"COLLECT\"", "\"operation\":\"PAYOUT\""));

        assertThat(collect("C-1", "10.00")).isInstanceOf(RailOutcome.Unknown.class);
    }

    @Test
    void aReplyWithAnotherAmountOrAccountIsUnknown() {
        rewriteBody(b -> b.replace("\"amount\":\"10.00\"", "\"amount\":\"1.00\""));
        assertThat(collect("C-1", "10.00")).isInstanceOf(RailOutcome.Unknown.class);

        rewriteBody(b -> b.replace("\"account_no\":\"M1001\"", "\"account_no\":\"M9999\""));
        assertThat(collect("C-2", "10.00")).isInstanceOf(RailOutcome.Unknown.class);
    }

    @Test
    void aSuccessWithoutTransactionIdIsUnknown() {
        rewriteBody(b -> b.replaceAll("\"txn_id\":\"[^\"]*\",", ""));

        assertThat(collect("C-1", "10.00")).isInstanceOf(RailOutcome.Unknown.class);
    }

    @Test
    void aRedeemAllWhosePartsDoNotAddUpIsUnknown() {
        f.rail.subscribe(new WealthInstruction(RequestId.of("S-1"), PLAN, yuan("100.00")));
        rewriteBody(b -> b.replace("\"yield\":\"0.00\"", "\"yield\":\"0.01\""));

        assertThat(viaProxy.redeemAll(RequestId.of("ALL-1"), PLAN)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(f.rail.query(InstructionType.REDEEM_ALL, RequestId.of("ALL-1"))).isInstanceOfSatisfying(
                RailOutcome.Succeeded.class, s -> assertThat(s.yield()).contains(yuan("0.00")));
    }

    @Test
    void anUnreadableButSignedBodyIsUnknown() {
        rewriteBody(b -> "<html>gateway</html>");

        assertThat(collect("C-1", "10.00")).isInstanceOf(RailOutcome.Unknown.class);
    }
}
