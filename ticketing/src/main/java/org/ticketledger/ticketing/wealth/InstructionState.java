package org.ticketledger.ticketing.wealth;

/** Where an invest or withdraw instruction stands (the payout state machine, plus CANCELLED). */
public enum InstructionState {
    /** Created, or a new round started; nothing sent in this round. */
    PENDING,
    /** Sent (or about to be) under the current request id; an invest's funds are held in the ledger. */
    SENT,
    /** Done at the rail and booked. Final. */
    DONE,
    /**
     * The platform's account at the wealth rail was short for an invest (cross-rail float); the admin
     * was told by SMS, tops up, records the funding and retries.
     */
    AWAITING_FUNDS,
    /** No final answer (or the plan was temporarily closed); queried and retried. */
    RETRYING,
    /** Needs a person: see the reason; an admin may retry. */
    MANUAL_REVIEW,
    /** The plan closed before it was sent: the redeem-all at expiry settles its money. Final. */
    CANCELLED
}
