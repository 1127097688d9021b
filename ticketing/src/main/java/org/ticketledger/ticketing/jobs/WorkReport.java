package org.ticketledger.ticketing.jobs;

/**
 * What one synchronous round of due work drove.
 *
 * @param orders        orders driven
 * @param payouts       payouts driven
 * @param notifications messages attempted
 */
public record WorkReport(int orders, int payouts, int notifications) {

    /** Whether the round found nothing due. */
    public boolean idle() {
        return orders == 0 && payouts == 0 && notifications == 0;
    }
}
