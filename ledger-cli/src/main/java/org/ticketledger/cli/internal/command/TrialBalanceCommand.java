package org.ticketledger.cli.internal.command;

import java.util.List;
import java.util.Optional;
import org.ticketledger.cli.internal.audit.Auditor;
import org.ticketledger.cli.internal.audit.LedgerAudit;
import org.ticketledger.cli.internal.report.Bound;
import org.ticketledger.cli.internal.report.Report;
import org.ticketledger.cli.internal.report.Reports;
import org.ticketledger.ledger.AsOf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trial-balance} and {@code balances}: as-of reports over every account of each ledger. */
final class TrialBalanceCommand {

    private TrialBalanceCommand() {
    }

    @Command(name = "trial-balance", sortOptions = false,
            description = "Each account's net posted balance in a debit or credit column, with totals, as of the end"
                    + " or of --as-of, rebuilt from the journal.")
    static final class TrialBalance extends ReportCommand {
        @Option(names = "--as-of", paramLabel = "SEQ|INSTANT", converter = AsOfConverter.class,
                description = "Up to and including this entry sequence or recorded time (default: everything).")
        Bound asOf;

        @Override
        public Integer call() {
            AsOf until = asOf == null ? AsOf.latest() : asOf.asOf();
            Auditor auditor = new Auditor(until, fromDatabase());
            read(until, auditor, "trial balance", Optional.empty());
            List<Report> reports = auditor.ledgers().stream().filter(LedgerAudit::rebuilt).map(Reports::trialBalance).toList();
            return finish(auditor, reports);
        }
    }

    @Command(name = "balances", sortOptions = false,
            description = "Every account's posted and pending totals, posted balance and available balance, as of the"
                    + " end or of --as-of, rebuilt from the journal.")
    static final class Balances extends ReportCommand {
        @Option(names = "--as-of", paramLabel = "SEQ|INSTANT", converter = AsOfConverter.class,
                description = "Up to and including this entry sequence or recorded time (default: everything).")
        Bound asOf;

        @Override
        public Integer call() {
            AsOf until = asOf == null ? AsOf.latest() : asOf.asOf();
            Auditor auditor = new Auditor(until, fromDatabase());
            read(until, auditor, "balances", Optional.empty());
            List<Report> reports = auditor.ledgers().stream().filter(LedgerAudit::rebuilt).map(Reports::balances).toList();
            return finish(auditor, reports);
        }
    }
}
