package org.ticketledger.ticketing.report;

import java.time.Instant;
import java.time.LocalDate;
import org.ticketledger.ticketing.Outcome;

/**
 * Financial reports from the ledger. Periods are in journal time (when entries were recorded),
 * so the journal and ticketing should share a clock. Read-only; thread-safe.
 */
public interface Reports {

    /** The report for entries recorded in {@code (from, to]}; refused for an empty or reversed period. */
    Outcome<FinancialReport> financial(Instant from, Instant to);

    /**
     * The report for whole days in the platform's time zone: from 00:00 of {@code firstDay} to
     * 00:00 of the day after {@code lastDay}.
     */
    Outcome<FinancialReport> financial(LocalDate firstDay, LocalDate lastDay);
}
