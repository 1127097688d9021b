/**
 * Reconciliation of the ledger's rail accounts and wealth position with what the rails report, and
 * the integrity check of the references the database no longer enforces ({@link ReferenceCheck}).
 */
package org.ticketledger.ticketing.reconcile;
