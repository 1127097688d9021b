package org.ticketledger.ticketing.wealth;

/** Where a wealth plan stands. */
public enum PlanState {
    /** Combos on it sell and redeem; invests and withdraws go through. */
    OPEN,
    /**
     * Expired: its tickets are EXPIRED, instructions not yet sent were cancelled, the ones in flight
     * are being resolved, then everything is redeemed with the yield.
     */
    CLOSING,
    /** Redeemed in full; the yield is booked and attributed to tickets. Final. */
    CLOSED,
    /** Needs a person (see the reason); an admin retries the close after looking. */
    MANUAL_REVIEW
}
