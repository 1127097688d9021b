package org.ticketledger.ticketing.order;

/** Where an order stands. */
public enum OrderState {
    /** Stored; nothing sent to the rail yet. */
    RECEIVED,
    /** A collection was (or is about to be) sent under the current request id. */
    CHARGING,
    /** Collected, booked, tickets issued. Final. */
    ISSUED,
    /** The distributor's balance was short; SMS sent; waits for {@code reapply}. */
    AWAITING_TOPUP,
    /** The rail gave no final answer; queried and retried with the same request id on a backoff. */
    CHARGE_UNKNOWN,
    /** Refused by the rail for another reason, or needs manual review; see the reason. Final. */
    FAILED;

    /** Whether the order will not move again by itself. */
    public boolean isFinal() {
        return this == ISSUED || this == FAILED;
    }
}
