/**
 * Where journals come from and go to: the JSON Lines export format (reader and writer) and the
 * read-only database reader, all streaming into a {@link org.ticketledger.cli.internal.journal.JournalVisitor}.
 */
package org.ticketledger.cli.internal.journal;
