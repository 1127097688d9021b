package org.ticketledger.payment;

/** Why a rail refused an instruction. A declined instruction moved no money. */
public enum DeclineReason {
    /** The payer (a distributor, or the platform for payouts) lacks the balance. */
    INSUFFICIENT_FUNDS,
    /** The account does not exist, is frozen, or the agreement is invalid. */
    ACCOUNT_INVALID,
    /** Outside the rail's per-transaction or daily limits (including minimum amounts). */
    LIMIT_EXCEEDED,
    /** The wealth plan is closed for subscriptions or redemptions right now. */
    PLAN_CLOSED,
    /** A redemption asks for more than the position holds. */
    AMOUNT_EXCEEDS_POSITION,
    /** Any other final refusal; see the raw code. */
    REJECTED_OTHER
}
