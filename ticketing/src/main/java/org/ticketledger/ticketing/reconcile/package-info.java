/** Reconciliation of the ledger's rail accounts and wealth position with what the rails report. */
package org.ticketledger.ticketing.reconcile;
