package org.ticketledger.cli.internal.command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.ticketledger.cli.ExitCode;
import org.ticketledger.cli.internal.audit.Auditor;
import org.ticketledger.cli.internal.audit.LedgerAudit;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.cli.internal.journal.Timestamps;
import org.ticketledger.cli.internal.report.Bound;
import org.ticketledger.cli.internal.report.ReportFormat;
import org.ticketledger.cli.internal.report.Reports;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay}: rebuild balances from the journal alone and compare them with what the database says. */
@Command(name = "replay", sortOptions = false,
        description = {"Rebuild every account's balances from the journal alone, as of the end or of --as-of, and"
                + " compare them: with a database, against its balance table (latest) or against its own SQL totals"
                + " over the postings (as of a point); with an export, against its balance lines (latest).",
                "Reports every difference. Exit code 0 when all agree and the journal is sound, 1 otherwise."})
final class ReplayCommand extends SourceCommand {

    @Option(names = "--as-of", paramLabel = "SEQ|INSTANT", converter = AsOfConverter.class,
            description = "Replay up to and including this entry sequence or recorded time (ISO-8601, e.g."
                    + " 2026-11-26T00:00:00Z); default: everything.")
    Bound asOf;

    @Option(names = "--print-balances", description = "Also print the rebuilt balances.")
    boolean printBalances;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "20", description = "List at most N findings per ledger (default: ${DEFAULT-VALUE}).")
    int maxFindings;

    @Override
    public Integer call() {
        PrintWriter out = ctx().out();
        AsOf until = asOf == null ? AsOf.latest() : asOf.asOf();
        boolean latest = asOf == null;
        Auditor auditor = new Auditor(until, fromDatabase());
        int[] aggregatedDifferences = {0};
        SourceRun run = read(until, auditor, "replay", latest ? Optional.empty() : Optional.of((reader, heads) -> {
            // The balance table only holds the latest totals; as of a point, compare with the database's own SQL sums.
            for (LedgerAudit a : auditor.ledgers()) {
                if (a.rebuilt()) {
                    List<Balance> sums = reader.aggregatedBalances(a.head().ledger(), a.lastSequence());
                    aggregatedDifferences[0] += a.compareBalances(sums, "database SQL total");
                }
            }
        }));
        boolean ok = true;
        for (LedgerAudit a : auditor.ledgers()) {
            LedgerHead h = a.head();
            out.println("ledger " + h.ledger().id() + " (" + h.ledger().currency().getCurrencyCode() + "): replayed "
                    + a.entriesApplied() + " entries to sequence " + a.lastSequence()
                    + a.lastRecordedAt().map(t -> " (recorded " + Timestamps.format(t) + ")").orElse("")
                    + ", hash " + a.lastHash().toHex());
            if (!a.rebuilt()) {
                out.println("  partial export from entry " + h.firstSequence() + ": balances cannot be rebuilt");
            } else {
                out.println("  " + a.balances().size() + " account balance(s) rebuilt; " + comparedWith(latest));
            }
            if (a.findingCount() == 0) {
                out.println("  all agree");
            } else {
                ok = false;
                Findings.print(a, maxFindings, out);
            }
            if (printBalances && a.rebuilt()) {
                ReportFormat.TABLE.print(List.of(Reports.balances(a)), out);
            }
        }
        out.println("replay " + sourceName() + ": " + (ok ? "OK" : "DIFFERENCES") + ", " + run.throughput());
        out.flush();
        return ok ? ExitCode.OK : ExitCode.JOURNAL_BROKEN;
    }

    private String comparedWith(boolean latest) {
        if (fromDatabase()) {
            return latest ? "compared with the database's balance table and ledger head"
                    : "compared with the database's SQL totals over the postings up to that point";
        }
        return latest ? "compared with the export's balance lines and ledger head"
                : "not compared (an export holds only the latest stored balances)";
    }
}
