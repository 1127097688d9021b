package org.ticketledger.ticketing.profit;

/** Where a profit run stands: PROPOSED → APPROVED → SETTLED, or PROPOSED → REJECTED. */
public enum ProfitRunState {
    /** Computed; waits for a second admin. Nothing booked. */
    PROPOSED,
    /** Turned down by the checker. Final; the period may be proposed again. */
    REJECTED,
    /** Approved by a second admin and booked; offline: waits for confirmation, online: being paid. */
    APPROVED,
    /** Every share was paid (online) or confirmed paid (offline). Final. */
    SETTLED
}
