package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ticketledger.alipay.internal.AlipayOutcomes;
import org.ticketledger.alipay.internal.GatewayClient.Answered;
import org.ticketledger.alipay.internal.SignedReply;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.RailOutcome;

/** The code/sub_code table of issue 5, applied to verified replies. */
class AlipayOutcomesTest {

    private static final Money AMOUNT = Money.parseCny("101.00");

    private static Answered reply(String... kv) {
        ObjectNode n = SignedReply.JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            n.put(kv[i], kv[i + 1]);
        }
        return new Answered("alipay_trade_pay_response", n);
    }

    private static Answered paid(String... overrides) {
        Answered base = reply("code", "10000", "msg", "Success", "trade_no", "T1", "out_trade_no", "O1",
                "total_amount", "101.00", "gmt_payment", "2026-11-26 10:00:01");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                base.fields().remove(overrides[i]);
            } else {
                base.fields().put(overrides[i], overrides[i + 1]);
            }
        }
        return base;
    }

    @Test
    void completeSuccessEchoingOurTradeSucceedsAtBeijingTime() {
        assertThat(AlipayOutcomes.paid(paid(), "O1", AMOUNT))
                .isEqualTo(new RailOutcome.Succeeded("T1", AMOUNT, Instant.parse("2026-11-26T02:00:01Z")));
    }

    @Test
    void successThatLacksOrContradictsAFieldIsUnknown() {
        assertThat(AlipayOutcomes.paid(paid("trade_no", null), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.paid(paid("gmt_payment", null), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.paid(paid("gmt_payment", "yesterday"), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.paid(paid("out_trade_no", "O2"), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.paid(paid("total_amount", "10.10"), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.paid(paid("total_amount", "101.001"), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.paid(paid("sub_code", "ACQ.SYSTEM_ERROR"), "O1", AMOUNT)).isInstanceOf(RailOutcome.Unknown.class);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "10003, -,                                    UNKNOWN",
        "20000, isp.unknow-error,                     UNKNOWN",
        "20000, aop.unknow-error,                     UNKNOWN",
        "40004, SYSTEM_ERROR,                         UNKNOWN",
        "40004, ACQ.SYSTEM_ERROR,                     UNKNOWN",
        "40004, ACQ.SOMETHING_NEW,                    UNKNOWN",
        "40004, ACQ.BUYER_BALANCE_NOT_ENOUGH,         INSUFFICIENT_FUNDS",
        "40004, ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH, INSUFFICIENT_FUNDS",
        "40004, PAYER_BALANCE_NOT_ENOUGH,             INSUFFICIENT_FUNDS",
        "40004, PAYMENT_INFO_INCONSISTENCY,           CONFLICT",
        "40004, ACQ.CONTEXT_INCONSISTENT,             CONFLICT",
        "40004, PAYEE_NOT_EXIST,                      ACCOUNT_INVALID",
        "40004, PAYEE_USER_INFO_ERROR,                ACCOUNT_INVALID",
        "40004, ACQ.AGREEMENT_NOT_EXIST,              ACCOUNT_INVALID",
        "40004, EXCEED_LIMIT_SM_MIN_AMOUNT,           LIMIT_EXCEEDED",
        "40004, EXCEED_LIMIT_SM_AMOUNT,               LIMIT_EXCEEDED",
        "40004, ACQ.TOTAL_FEE_EXCEED,                 LIMIT_EXCEEDED",
        "40004, INVALID_PARAMETER,                    REJECTED_OTHER",
        "40004, ACQ.TRADE_HAS_CLOSE,                  REJECTED_OTHER",
        "40001, isv.missing-signature,                REJECTED_OTHER",
        "40002, isv.invalid-signature,                REJECTED_OTHER",
        "40006, isv.insufficient-isv-permissions,     REJECTED_OTHER",
        "12345, -,                                    UNKNOWN"})
    void failureCodesMapToTheIssueTable(String code, String subCode, String expected) {
        Answered reply = subCode == null ? reply("code", code, "msg", "m")
                : reply("code", code, "msg", "m", "sub_code", subCode, "sub_msg", "detail");

        RailOutcome outcome = AlipayOutcomes.failure(reply);

        switch (expected) {
            case "UNKNOWN" -> assertThat(outcome).isInstanceOf(RailOutcome.Unknown.class);
            case "CONFLICT" -> assertThat(outcome).isInstanceOfSatisfying(RailOutcome.Conflict.class,
                    c -> assertThat(c.rawCode()).endsWith(subCode));
            default -> assertThat(outcome).isInstanceOfSatisfying(RailOutcome.Declined.class, d -> {
                assertThat(d.reason()).isEqualTo(DeclineReason.valueOf(expected));
                assertThat(d.rawCode()).isEqualTo(code + "/" + subCode);
            });
        }
    }

    @Test
    void tradeHasSuccessMeansQueryThenSucceed() {
        assertThat(AlipayOutcomes.alreadyPaid(reply("code", "40004", "sub_code", "ACQ.TRADE_HAS_SUCCESS"))).isTrue();
        assertThat(AlipayOutcomes.alreadyPaid(reply("code", "40004", "sub_code", "ACQ.SYSTEM_ERROR"))).isFalse();
    }

    @Test
    void gatewayRefusalNeverCopiesSubMsgWhichQuotesTheSignString() {
        Answered reply = reply("code", "40002", "msg", "Invalid Arguments", "sub_code", "isv.invalid-signature",
                "sub_msg", "验签出错，网关生成的验签字符串为：agreement_no=20261126000000000001");

        assertThat(AlipayOutcomes.failure(reply).toString()).doesNotContain("20261126000000000001");
    }

    @Test
    void tradeQueryStatuses() {
        Answered success = reply("code", "10000", "trade_no", "T1", "out_trade_no", "O1", "trade_status", "TRADE_SUCCESS",
                "total_amount", "101.00", "send_pay_date", "2026-11-26 10:00:01");
        assertThat(AlipayOutcomes.tradeQueried(success, "O1")).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(AlipayOutcomes.tradeQueried(success, "O2")).isInstanceOf(RailOutcome.Unknown.class);
        success.fields().put("trade_status", "TRADE_FINISHED");
        assertThat(AlipayOutcomes.tradeQueried(success, "O1")).isInstanceOf(RailOutcome.Succeeded.class);
        success.fields().put("trade_status", "WAIT_BUYER_PAY");
        assertThat(AlipayOutcomes.tradeQueried(success, "O1")).isInstanceOf(RailOutcome.Pending.class);
        success.fields().put("trade_status", "TRADE_CLOSED");
        assertThat(AlipayOutcomes.tradeQueried(success, "O1")).isInstanceOf(RailOutcome.Declined.class);
        success.fields().put("trade_status", "SOMETHING");
        assertThat(AlipayOutcomes.tradeQueried(success, "O1")).isInstanceOf(RailOutcome.Unknown.class);
        assertThat(AlipayOutcomes.tradeQueried(reply("code", "40004", "sub_code", "ACQ.TRADE_NOT_EXIST"), "O1"))
                .isInstanceOf(RailOutcome.NotFound.class);
        assertThat(AlipayOutcomes.tradeQueried(reply("code", "40004", "sub_code", "ACQ.SYSTEM_ERROR"), "O1"))
                .isInstanceOf(RailOutcome.Unknown.class);
    }

    @Test
    void transferQueryStatuses() {
        Answered q = reply("code", "10000", "order_id", "X1", "out_biz_no", "P1", "trans_amount", "5.00",
                "status", "SUCCESS", "pay_date", "2026-11-26 10:00:01");
        assertThat(AlipayOutcomes.transferQueried(q, "P1"))
                .isEqualTo(new RailOutcome.Succeeded("X1", Money.cny(500), Instant.parse("2026-11-26T02:00:01Z")));
        q.fields().put("status", "DEALING");
        assertThat(AlipayOutcomes.transferQueried(q, "P1")).isInstanceOf(RailOutcome.Pending.class);
        q.fields().put("status", "FAIL");
        q.fields().put("error_code", "PAYER_BALANCE_NOT_ENOUGH");
        assertThat(AlipayOutcomes.transferQueried(q, "P1")).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS));
        assertThat(AlipayOutcomes.transferQueried(reply("code", "40004", "sub_code", "ORDER_NOT_EXIST"), "P1"))
                .isInstanceOf(RailOutcome.NotFound.class);
        assertThat(AlipayOutcomes.transferQueried(reply("code", "20000", "sub_code", "isp.unknow-error"), "P1"))
                .isInstanceOf(RailOutcome.Unknown.class);
    }
}
