/**
 * The auditor's command-line tool for TicketLedger journals: export a journal as JSON Lines,
 * verify its hash chain and balances, replay it to rebuild balances as of any point, and print
 * trial balances, balances and account statements. Start with {@link org.ticketledger.cli.LedgerCli};
 * {@link org.ticketledger.cli.JournalExport} writes the export format from any
 * {@link org.ticketledger.ledger.Journal}.
 *
 * <p>Everything in {@code org.ticketledger.cli.internal} is implementation, not API.
 */
package org.ticketledger.cli;
