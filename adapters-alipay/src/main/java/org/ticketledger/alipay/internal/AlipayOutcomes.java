package org.ticketledger.alipay.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.ticketledger.alipay.internal.GatewayClient.Answered;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.RailOutcome;

/**
 * Maps verified Alipay replies to rail outcomes. The rule of thumb: only a reply that proves the
 * money moved (echoing our request id and amount) is {@code Succeeded}; only a code that proves
 * nothing moved is {@code Declined}; anything else is {@code Unknown}, to be resolved by a query.
 * Stateless and thread-safe.
 */
public final class AlipayOutcomes {

    /** Alipay's success code. */
    public static final String SUCCESS = "10000";

    /** Sub-codes that mean "the outcome cannot be determined": query. */
    private static final Set<String> UNDETERMINED = Set.of(
            "SYSTEM_ERROR", "ACQ.SYSTEM_ERROR", "isp.unknow-error", "aop.unknow-error", "isp.unknown-error");

    /** Same request id, different parameters. */
    private static final Set<String> CONFLICT = Set.of("PAYMENT_INFO_INCONSISTENCY", "ACQ.CONTEXT_INCONSISTENT");

    /**
     * The payer's or payee's account cannot be used. The agreement codes are UNCONFIRMED (no
     * public source pins them); they are final refusals either way, so a miss costs only a
     * query.
     */
    private static final Set<String> ACCOUNT_INVALID = Set.of(
            "PAYEE_NOT_EXIST", "PAYEE_USER_INFO_ERROR", "PAYEE_ACCOUNT_STATUS_ERROR", "PAYER_STATUS_ERROR",
            "ACQ.AGREEMENT_NOT_EXIST", "ACQ.AGREEMENT_INVALID", "ACQ.AGREEMENT_STATUS_NOT_NORMAL",
            "ACQ.AGREEMENT_ERROR", "ACQ.BUYER_NOT_EXIST");

    private static final Set<String> LIMIT = Set.of("ACQ.TOTAL_FEE_EXCEED", "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR",
            "ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR");

    /** Refused for reasons that do not depend on state we could fix by waiting. */
    private static final Set<String> REJECTED = Set.of("INVALID_PARAMETER", "ACQ.INVALID_PARAMETER",
            "ACQ.TRADE_HAS_CLOSE", "ACQ.ACCESS_FORBIDDEN", "ACQ.PRODUCT_AMOUNT_LIMIT_ERROR");

    /** Gateway-level refusals: the request was rejected before any business ran. */
    private static final Set<String> GATEWAY_REFUSED = Set.of("20001", "40001", "40002", "40006");

    private AlipayOutcomes() {
    }

    /** Whether {@code alipay.trade.pay} says the out_trade_no was paid already (then query). */
    public static boolean alreadyPaid(Answered reply) {
        return "ACQ.TRADE_HAS_SUCCESS".equals(reply.subCode());
    }

    /** The outcome of a non-success reply to a money-moving call. */
    public static RailOutcome failure(Answered reply) {
        String code = reply.code();
        String sub = reply.subCode();
        String raw = reply.rawCode();
        if ("10003".equals(code)) {
            return new RailOutcome.Unknown("10003: waiting for the payer; query");
        }
        if ("20000".equals(code) || UNDETERMINED.contains(sub)) {
            return new RailOutcome.Unknown(raw + ": outcome undetermined; query");
        }
        if (CONFLICT.contains(sub)) {
            return new RailOutcome.Conflict(raw, reply.message());
        }
        Optional<DeclineReason> reason = declineReason(sub);
        if (reason.isPresent()) {
            return new RailOutcome.Declined(reason.get(), raw, reply.message());
        }
        if (GATEWAY_REFUSED.contains(code)) {
            // Not sub_msg: for isv.invalid-signature Alipay quotes the whole sign string there,
            // agreement number included, and outcomes end up in logs.
            return new RailOutcome.Declined(DeclineReason.REJECTED_OTHER, raw, reply.text("msg").orElse(code));
        }
        // An unrecognised code cannot prove that nothing moved.
        return new RailOutcome.Unknown(raw + ": unrecognised reply; query");
    }

    /** The decline reason of a sub-code (or a transfer's {@code error_code}), if it is a known final refusal. */
    public static Optional<DeclineReason> declineReason(String sub) {
        if (sub.endsWith("BALANCE_NOT_ENOUGH")) {
            return Optional.of(DeclineReason.INSUFFICIENT_FUNDS);
        }
        if (ACCOUNT_INVALID.contains(sub)) {
            return Optional.of(DeclineReason.ACCOUNT_INVALID);
        }
        if (sub.startsWith("EXCEED_LIMIT") || LIMIT.contains(sub)) {
            return Optional.of(DeclineReason.LIMIT_EXCEEDED);
        }
        if (REJECTED.contains(sub)) {
            return Optional.of(DeclineReason.REJECTED_OTHER);
        }
        return Optional.empty();
    }

    /** {@code alipay.trade.pay} reply with code 10000: success only if it echoes our trade. */
    public static RailOutcome paid(Answered reply, String outTradeNo, Money amount) {
        if (!reply.subCode().isEmpty()) {
            return new RailOutcome.Unknown("success code with sub_code " + reply.subCode() + "; query");
        }
        Optional<String> tradeNo = reply.text("trade_no");
        Optional<Money> total = reply.text("total_amount").flatMap(AlipayFormats::parseYuan);
        Optional<Instant> at = reply.text("gmt_payment").flatMap(AlipayFormats::parseTime);
        if (tradeNo.isEmpty() || total.isEmpty() || at.isEmpty()
                || !reply.text("out_trade_no").equals(Optional.of(outTradeNo))) {
            return new RailOutcome.Unknown("success reply lacks trade_no, out_trade_no, total_amount or gmt_payment; query");
        }
        if (!total.get().equals(amount)) {
            return new RailOutcome.Unknown("success reply for another amount; query");
        }
        return new RailOutcome.Succeeded(tradeNo.get(), amount, at.get());
    }

    /** {@code alipay.fund.trans.uni.transfer} reply with code 10000. */
    public static RailOutcome transferred(Answered reply, String outBizNo, Money amount) {
        if (!reply.subCode().isEmpty()) {
            return new RailOutcome.Unknown("success code with sub_code " + reply.subCode() + "; query");
        }
        if (!reply.text("out_biz_no").equals(Optional.of(outBizNo))) {
            return new RailOutcome.Unknown("transfer reply for another out_biz_no; query");
        }
        return transferStatus(reply, amount, "trans_date");
    }

    /** {@code alipay.trade.query} reply. */
    public static RailOutcome tradeQueried(Answered reply, String outTradeNo) {
        if ("ACQ.TRADE_NOT_EXIST".equals(reply.subCode())) {
            return new RailOutcome.NotFound("ACQ.TRADE_NOT_EXIST");
        }
        if (!SUCCESS.equals(reply.code()) || !reply.subCode().isEmpty()) {
            return new RailOutcome.Unknown(reply.rawCode() + ": query failed");
        }
        if (!reply.text("out_trade_no").equals(Optional.of(outTradeNo))) {
            return new RailOutcome.Unknown("query reply for another out_trade_no");
        }
        String status = reply.text("trade_status").orElse("");
        switch (status) {
            case "TRADE_SUCCESS", "TRADE_FINISHED" -> {
                Optional<String> tradeNo = reply.text("trade_no");
                Optional<Money> total = reply.text("total_amount").flatMap(AlipayFormats::parseYuan);
                Optional<Instant> at = reply.text("send_pay_date").flatMap(AlipayFormats::parseTime);
                if (tradeNo.isEmpty() || total.isEmpty() || at.isEmpty()) {
                    return new RailOutcome.Unknown("query reply lacks trade_no, total_amount or send_pay_date");
                }
                return new RailOutcome.Succeeded(tradeNo.get(), total.get(), at.get());
            }
            case "WAIT_BUYER_PAY" -> {
                return new RailOutcome.Pending("WAIT_BUYER_PAY");
            }
            case "TRADE_CLOSED" -> {
                return new RailOutcome.Declined(DeclineReason.REJECTED_OTHER, "TRADE_CLOSED", reply.message());
            }
            default -> {
                return new RailOutcome.Unknown("query reply has trade_status \"" + status + "\"");
            }
        }
    }

    /**
     * {@code alipay.fund.trans.common.query} reply. {@code ORDER_NOT_EXIST} as the "never seen"
     * sub-code is UNCONFIRMED; any other failure stays Unknown, so a wrong guess can only delay.
     */
    public static RailOutcome transferQueried(Answered reply, String outBizNo) {
        if ("ORDER_NOT_EXIST".equals(reply.subCode())) {
            return new RailOutcome.NotFound("ORDER_NOT_EXIST");
        }
        if (!SUCCESS.equals(reply.code()) || !reply.subCode().isEmpty()) {
            return new RailOutcome.Unknown(reply.rawCode() + ": query failed");
        }
        if (!reply.text("out_biz_no").equals(Optional.of(outBizNo))) {
            return new RailOutcome.Unknown("query reply for another out_biz_no");
        }
        Optional<Money> amount = reply.text("trans_amount").flatMap(AlipayFormats::parseYuan);
        if (amount.isEmpty()) {
            return new RailOutcome.Unknown("query reply lacks trans_amount");
        }
        return transferStatus(reply, amount.get(), "pay_date");
    }

    private static RailOutcome transferStatus(Answered reply, Money amount, String dateField) {
        String status = reply.text("status").orElse("");
        switch (status) {
            case "SUCCESS" -> {
                Optional<String> orderId = reply.text("order_id");
                Optional<Instant> at = reply.text(dateField).flatMap(AlipayFormats::parseTime);
                if (orderId.isEmpty() || at.isEmpty()) {
                    return new RailOutcome.Unknown("transfer reply lacks order_id or " + dateField);
                }
                return new RailOutcome.Succeeded(orderId.get(), amount, at.get());
            }
            case "DEALING", "WAIT_PAY" -> {
                return new RailOutcome.Pending(status);
            }
            case "FAIL", "REFUND" -> {
                String error = reply.text("error_code").orElse(status);
                return new RailOutcome.Declined(declineReason(error).orElse(DeclineReason.REJECTED_OTHER),
                        error, reply.text("fail_reason").orElse(status));
            }
            default -> {
                return new RailOutcome.Unknown("transfer reply has status \"" + status + "\"");
            }
        }
    }
}
