package org.ticketledger.ticketing.jobs;

/**
 * What one synchronous round of due work drove.
 *
 * @param orders        orders driven
 * @param payouts       payouts driven
 * @param notifications messages attempted
 * @param wealth        invest/withdraw instructions and plan closes driven, profit runs finished
 * @param expiries      tickets expired or their breakage booked
 */
public record WorkReport(int orders, int payouts, int notifications, int wealth, int expiries) {

    /** Whether the round found nothing due. */
    public boolean idle() {
        return orders == 0 && payouts == 0 && notifications == 0 && wealth == 0 && expiries == 0;
    }
}
