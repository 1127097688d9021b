package org.ticketledger.ticketing.reconcile;

/**
 * Compares the ledger balance of every platform settlement account with the rail's own balance,
 * and the wealth position (per plan and in total) with the rail's positions. Rail balances move
 * outside the ledger only through bookings the platform must record ({@code Parties.recordFunding});
 * any difference is money unaccounted for, listed with the instructions in flight that may explain
 * it. Thread-safe.
 */
public interface Reconciliation {

    /** Runs the check now (one balance query per rail, one position query per plan). */
    ReconciliationReport check();
}
