/** Verifying and replaying a journal as it streams past, ledger by ledger. */
package org.ticketledger.cli.internal.audit;
