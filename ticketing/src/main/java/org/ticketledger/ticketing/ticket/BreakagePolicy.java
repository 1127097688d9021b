package org.ticketledger.ticketing.ticket;

/**
 * What expiry does with the value of a ticket that was not (fully) redeemed: the part of
 * {@code tickets:unredeemed} still standing for it (D for an unused single or combo ticket,
 * D − Σ S_k of the redeemed spots for a partly used combo).
 */
public enum BreakagePolicy {
    /** Recognise it as revenue at expiry: Dr {@code tickets:unredeemed} / Cr {@code revenue:breakage}. */
    REVENUE,
    /**
     * Keep it as a liability (e.g. where unclaimed value must be held for visitors or handed over):
     * Dr {@code tickets:unredeemed} / Cr {@code tickets:expired}.
     */
    LIABILITY
}
