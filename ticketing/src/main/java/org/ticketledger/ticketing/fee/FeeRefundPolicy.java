package org.ticketledger.ticketing.fee;

/** What a refund of an unredeemed ticket does with the ticket's share of the issuance fee. */
public enum FeeRefundPolicy {
    /** The fee share goes back to the distributor with the price. */
    REFUND_FEE,
    /** The platform keeps the fee; only the price is refunded. */
    KEEP_FEE
}
