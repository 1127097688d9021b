package org.ticketledger.ticketing.wealth;

/** What a wealth instruction moves. */
public enum InstructionKind {
    /** Subscribe: the platform's account at the wealth rail → the plan (the combo's D × quantity). */
    INVEST,
    /** Redeem an amount of principal: the plan → the platform's account (S_k, or D on a refund). */
    WITHDRAW
}
