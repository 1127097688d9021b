package org.ticketledger.cli.internal.command;

import java.util.List;
import java.util.Optional;
import org.ticketledger.cli.ExitCode;
import org.ticketledger.cli.internal.audit.Auditor;
import org.ticketledger.cli.internal.audit.LedgerAudit;
import org.ticketledger.cli.internal.report.Report;
import org.ticketledger.cli.internal.report.ReportFormat;
import picocli.CommandLine.Option;

/**
 * A report built by replaying the journal. The replay checks the journal on the way; if it finds a
 * break, the report is still printed but a warning goes to stderr and the exit code is 1, so that
 * nobody files a report built on a broken journal by accident.
 */
abstract class ReportCommand extends SourceCommand {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: table).")
    ReportFormat format;

    /** Prints the reports and the warning for a broken journal; returns the exit code. */
    int finish(Auditor auditor, List<Report> reports) {
        format.print(reports, ctx().out());
        if (!auditor.ok()) {
            for (LedgerAudit a : auditor.ledgers()) {
                Optional.ofNullable(a.findings().isEmpty() ? null : a.findings().get(0)).ifPresent(f ->
                        ctx().err().println("ledger-cli: warning: ledger " + f.ledger() + " is broken (" + a.findingCount()
                                + " finding(s)); first: " + f.describe() + ". Run verify before relying on this report."));
            }
            ctx().err().flush();
            return ExitCode.JOURNAL_BROKEN;
        }
        return ExitCode.OK;
    }
}
