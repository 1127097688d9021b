package org.ticketledger.ticketing.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The ledger's settlement accounts against the rails' balances at one moment.
 *
 * @param at    when the check ran
 * @param lines one line per rail the platform settles on
 * @param trialBalanced whether the ledger's trial balance is balanced
 */
public record ReconciliationReport(Instant at, List<RailLine> lines, boolean trialBalanced) {

    public ReconciliationReport {
        Objects.requireNonNull(at, "at");
        lines = List.copyOf(lines);
    }

    /** Whether every rail answered and agrees to the fen, and the trial balance is balanced. */
    public boolean balanced() {
        return trialBalanced && !lines.isEmpty() && lines.stream().allMatch(RailLine::agrees);
    }
}
