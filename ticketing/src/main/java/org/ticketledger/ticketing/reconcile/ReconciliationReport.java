package org.ticketledger.ticketing.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The ledger's rail accounts and wealth position against the rails at one moment.
 *
 * @param at            when the check ran
 * @param lines         one line per rail the platform settles on
 * @param trialBalanced whether the ledger's trial balance is balanced
 * @param wealth        the wealth position: one line per known plan, then the total line; empty
 *                      when no combo was ever published
 */
public record ReconciliationReport(Instant at, List<RailLine> lines, boolean trialBalanced, List<WealthLine> wealth) {

    public ReconciliationReport {
        Objects.requireNonNull(at, "at");
        lines = List.copyOf(lines);
        wealth = List.copyOf(wealth);
    }

    /** Whether every rail and plan answered and agrees to the fen, and the trial balance is balanced. */
    public boolean balanced() {
        return trialBalanced && !lines.isEmpty() && lines.stream().allMatch(RailLine::agrees)
                && wealth.stream().allMatch(WealthLine::agrees);
    }
}
