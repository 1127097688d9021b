package org.ticketledger.ledger;

/** Where a hold stands. */
public enum HoldStatus {
    PENDING,
    POSTED,
    VOIDED,
    EXPIRED
}
