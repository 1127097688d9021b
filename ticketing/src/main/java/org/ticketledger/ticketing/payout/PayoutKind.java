package org.ticketledger.ticketing.payout;

/** Why the platform pays. */
public enum PayoutKind {
    /** A scenic spot's settlement for a redeemed ticket. */
    SCENIC_SETTLEMENT,
    /** A distributor's refund for a cancelled ticket. */
    REFUND,
    /** A beneficiary's share of an approved online profit run ({@code Payout.ticketId()} holds the run id). */
    PROFIT_SHARE
}
