package org.ticketledger.ticketing.payout;

/** Where a payout stands. */
public enum PayoutState {
    /** Created; funds not yet held. */
    PENDING,
    /** Funds held in the ledger; the payout was (or is about to be) sent under the current request id. */
    SENT,
    /** Paid and booked. Final. */
    DONE,
    /** The platform's settlement account was short; the admin was told by SMS and retries after a top-up. */
    AWAITING_FUNDS,
    /** No final answer from the rail; queried and retried until the window ends. */
    RETRYING,
    /** Needs a person: see the reason; an admin may retry. */
    MANUAL_REVIEW
}
