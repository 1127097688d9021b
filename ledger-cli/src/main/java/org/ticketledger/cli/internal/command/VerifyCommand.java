package org.ticketledger.cli.internal.command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.ticketledger.cli.ExitCode;
import org.ticketledger.cli.UnableToReadJournalFileException;
import org.ticketledger.cli.internal.audit.Auditor;
import org.ticketledger.cli.internal.audit.Finding;
import org.ticketledger.cli.internal.audit.LedgerAudit;
import org.ticketledger.ledger.AsOf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verify}: every hash, the chain, gaps, balance of entries, policies, references, head, stored balances. */
@Command(name = "verify", sortOptions = false,
        description = {"Recompute every hash and the chain, check the sequence for gaps, the balance of every entry,"
                + " references and balance policies over time; with a database (or an export's balance lines) also"
                + " compare the stored balances and head.",
                "Prints the first broken sequence and why. Exit code 0 when sound, 1 on any break, 3 for an"
                        + " unreadable file (with its line number)."})
final class VerifyCommand extends SourceCommand {

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "20", description = "List at most N findings per ledger (default: ${DEFAULT-VALUE}).")
    int maxFindings;

    @Override
    public Integer call() {
        PrintWriter out = ctx().out();
        boolean db = fromDatabase();
        Auditor auditor = new Auditor(AsOf.latest(), db);
        SourceRun run;
        try {
            run = read(AsOf.latest(), auditor, "verify", Optional.empty());
        } catch (UnableToReadJournalFileException e) {
            if (e.line() == 0) {
                throw e; // no file, or unreadable as a whole: an error, not a finding
            }
            // Report what was sound up to the damaged line, then name it as the first break.
            List<LedgerAudit> audits = auditor.ledgers();
            Optional<Finding> earlier = Findings.first(audits);
            out.println("verify " + sourceName() + ": BROKEN");
            earlier.ifPresent(f -> out.println("  first break: ledger " + f.ledger() + " " + f.describe()));
            out.println("  " + (earlier.isPresent() ? "then " : "first break: ") + "the file cannot be read at "
                    + e.getMessage() + expectedAt(audits));
            out.flush();
            return ExitCode.BAD_FILE;
        }
        List<LedgerAudit> audits = auditor.ledgers();
        for (LedgerAudit a : audits) {
            out.println(summary(a, db));
            Findings.print(a, maxFindings, out);
        }
        Optional<Finding> first = Findings.first(audits);
        String rate = run.throughput();
        if (first.isEmpty()) {
            out.println("verify " + sourceName() + ": OK, " + audits.size() + " ledger(s), " + rate);
        } else {
            out.println("verify " + sourceName() + ": BROKEN, first break in ledger " + first.get().ledger() + " at "
                    + (first.get().sequence() > 0 ? "sequence " + first.get().sequence() : "the stored balances")
                    + "; " + rate);
        }
        out.flush();
        return first.isEmpty() ? ExitCode.OK : ExitCode.JOURNAL_BROKEN;
    }

    private static String expectedAt(List<LedgerAudit> audits) {
        // The entry lines run ledger by ledger; the damaged line is most likely the next entry of the last ledger read.
        for (int i = audits.size() - 1; i >= 0; i--) {
            LedgerAudit a = audits.get(i);
            if (a.entriesRead() > 0) {
                return " (where entry " + (a.lastSequence() + 1) + " of ledger " + a.head().ledger().id()
                        + " is expected)";
            }
        }
        return "";
    }

    private static String summary(LedgerAudit a, boolean db) {
        StringBuilder sb = new StringBuilder("ledger ").append(a.head().ledger().id()).append(" (")
                .append(a.head().ledger().currency().getCurrencyCode()).append("): ");
        if (a.entriesApplied() == 0) {
            sb.append("no entries");
        } else {
            sb.append("entries ").append(a.head().firstSequence()).append("..").append(a.lastSequence()).append(" checked");
        }
        if (!a.rebuilt()) {
            sb.append(" (partial export from entry ").append(a.head().firstSequence())
                    .append(": chain and hashes only, balances not rebuilt)");
        } else {
            sb.append(", ").append(a.accounts().size()).append(" account(s)");
        }
        sb.append(a.findingCount() == 0 ? ": OK" : ": BROKEN, " + a.findingCount() + " finding(s)");
        return sb.toString();
    }
}
