package org.ticketledger.alipay.sandbox;

import java.time.Instant;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * A movement of money the sandbox carried out.
 *
 * @param kind      a trade (agreement debit) or a transfer (payout)
 * @param railTxnId Alipay's id: {@code trade_no} or {@code order_id}
 * @param outNo     the caller's {@code out_trade_no} or {@code out_biz_no}
 * @param payer     the payer's user id
 * @param payee     the payee's user id
 * @param amount    the amount moved
 * @param at        when
 */
public record SandboxTransaction(Kind kind, String railTxnId, String outNo, String payer, String payee,
                                 Money amount, Instant at) {

    /** What kind of movement. */
    public enum Kind { TRADE, TRANSFER }

    public SandboxTransaction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(railTxnId, "railTxnId");
        Objects.requireNonNull(outNo, "outNo");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(payee, "payee");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(at, "at");
    }
}
