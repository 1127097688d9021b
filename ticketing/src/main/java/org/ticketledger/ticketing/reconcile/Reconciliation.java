package org.ticketledger.ticketing.reconcile;

/**
 * Compares the ledger balance of every platform settlement account with the rail's own balance.
 * Rail balances move outside the ledger only through bookings the platform must record
 * ({@code Parties.recordFunding}); any difference is money unaccounted for. Thread-safe.
 */
public interface Reconciliation {

    /** Runs the check now (one balance query per rail). */
    ReconciliationReport check();
}
