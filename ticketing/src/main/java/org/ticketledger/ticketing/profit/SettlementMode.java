package org.ticketledger.ticketing.profit;

/** How an approved profit run is settled; the business document names both. */
public enum SettlementMode {
    /** Exported (CSV) and paid outside the platform; an admin confirms the settlement. */
    OFFLINE,
    /** Paid through the rails by the payout machinery, one payout per beneficiary. */
    ONLINE
}
