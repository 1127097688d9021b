package org.ticketledger.cli.internal.command;

import java.io.PrintWriter;
import java.util.List;
import org.ticketledger.cli.internal.audit.Finding;
import org.ticketledger.cli.internal.audit.LedgerAudit;

/** Prints what audits found, first break first. */
final class Findings {

    private Findings() {
    }

    /** Prints the findings of {@code a}, at most {@code limit} of them. */
    static void print(LedgerAudit a, int limit, PrintWriter out) {
        List<Finding> all = a.findings();
        if (all.isEmpty()) {
            return;
        }
        out.println("  first break: " + all.get(0).describe());
        for (int i = 1; i < Math.min(limit, all.size()); i++) {
            out.println("  " + all.get(i).describe());
        }
        long rest = a.findingCount() - Math.min(limit, all.size());
        if (rest > 0) {
            out.println("  ... and " + rest + " more" + (limit < all.size() ? " (--max-findings to list more)" : ""));
        }
    }

    /** The first finding over all audits, if any. */
    static java.util.Optional<Finding> first(List<LedgerAudit> audits) {
        return audits.stream().flatMap(a -> a.findings().stream()).findFirst();
    }
}
