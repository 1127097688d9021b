/** Reconciliation of the ledger's rail accounts with what the rails report. */
package org.ticketledger.ticketing.reconcile;
