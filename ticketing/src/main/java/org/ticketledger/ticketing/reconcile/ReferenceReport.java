package org.ticketledger.ticketing.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every reference the check knows, at one snapshot of the database.
 *
 * @param at    when the check ran
 * @param lines one line per reference checked, intact ones included (so the report shows what was
 *              covered), in a fixed order
 */
public record ReferenceReport(Instant at, List<ReferenceLine> lines) {

    public ReferenceReport {
        Objects.requireNonNull(at, "at");
        lines = List.copyOf(lines);
    }

    /** Whether no row points at a missing parent. */
    public boolean intact() {
        return lines.stream().allMatch(ReferenceLine::intact);
    }

    /** The references with at least one offending row. */
    public List<ReferenceLine> broken() {
        return lines.stream().filter(l -> !l.intact()).toList();
    }
}
