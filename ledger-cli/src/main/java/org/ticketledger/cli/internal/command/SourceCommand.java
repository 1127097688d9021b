package org.ticketledger.cli.internal.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ticketledger.cli.UnableToFindLedgerException;
import org.ticketledger.cli.UnableToReadJournalFileException;
import org.ticketledger.cli.internal.journal.DatabaseReader;
import org.ticketledger.cli.internal.journal.DatabaseTarget;
import org.ticketledger.cli.internal.journal.JournalVisitor;
import org.ticketledger.cli.internal.journal.JsonLinesReader;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.cli.internal.journal.PipelinedVisitor;
import org.ticketledger.cli.internal.journal.Progress;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that reads a journal from a database ({@code --db-url}) or an export file
 * ({@code --file}), optionally one ledger only.
 */
@Command
abstract class SourceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    RootCommand root;

    @ArgGroup(exclusive = true, multiplicity = "1")
    SourceChoice source;

    @Option(names = "--user", paramLabel = "NAME", description = "Database user (default: from the URL, then PGUSER).")
    String user;

    @Option(names = "--password", paramLabel = "SECRET", arity = "0..1", interactive = true,
            description = "Database password; give the option without a value to be asked for it"
                    + " (default: from the URL, then PGPASSWORD).")
    char[] password;

    @Option(names = "--ledger", paramLabel = "ID", description = "Only this ledger (default: all).")
    String ledger;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    /** Where the journal comes from. */
    static final class SourceChoice {
        @Option(names = "--db-url", required = true, paramLabel = "URL",
                description = "The journal database: jdbc:postgresql://host:5432/db or postgresql://user@host/db.")
        String dbUrl;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "A JSON Lines export.")
        Path file;
    }

    /** What a read saw. */
    record SourceRun(List<LedgerHead> heads, long entries, long nanos) {
        /** E.g. "200000 entries in 0.61 s (327,000 entries/s)". */
        String throughput() {
            long perSecond = nanos > 0 ? Math.round(entries * 1e9 / nanos) : 0;
            return String.format(java.util.Locale.ROOT, "%d entries in %.2f s (%,d entries/s)", entries, nanos / 1e9, perSecond);
        }
    }

    /** Work to do in the database snapshot after the journal was read. */
    @FunctionalInterface
    interface AfterRead {
        void run(DatabaseReader reader, List<LedgerHead> heads);
    }

    CliContext ctx() {
        return root.context();
    }

    boolean fromDatabase() {
        return source.dbUrl != null;
    }

    String sourceName() {
        return fromDatabase() ? DatabaseTarget.redact(source.dbUrl) : source.file.toString();
    }

    Optional<LedgerId> ledgerId() {
        if (ledger == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LedgerId.of(ledger));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    DatabaseTarget target(String url) {
        try {
            return DatabaseTarget.of(url, Optional.ofNullable(user),
                    Optional.ofNullable(password).map(String::new), ctx().env());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    Progress progress(String task) {
        return quiet || !ctx().terminal() ? Progress.NONE : new ConsoleProgress(stderr(), task);
    }

    private static PrintStream stderr() {
        return System.err;
    }

    /** Reads the journal up to {@code until} into {@code visitor}. */
    SourceRun read(AsOf until, JournalVisitor visitor, String task, Optional<AfterRead> after) {
        Optional<LedgerId> only = ledgerId();
        long started = System.nanoTime();
        HeadCollector heads = new HeadCollector(only, visitor);
        // Parsing runs on this thread, auditing on another: two cores when the machine has them.
        try (Progress progress = progress(task); PipelinedVisitor pipe = new PipelinedVisitor(heads)) {
            if (fromDatabase()) {
                try (DatabaseReader reader = DatabaseReader.open(target(source.dbUrl))) {
                    List<LedgerHead> selected = reader.ledgers(only, 1);
                    reader.read(selected, until, pipe, progress);
                    after.ifPresent(a -> a.run(reader, selected));
                }
            } else {
                try (InputStream in = Files.newInputStream(source.file)) {
                    new JsonLinesReader(progress).read(in, pipe);
                } catch (UnableToReadJournalFileException e) {
                    // What came before the damaged line is audited in full, so the report can show it.
                    pipe.drain();
                    throw e;
                } catch (NoSuchFileException e) {
                    throw new UnableToReadJournalFileException("no such file: " + source.file, e);
                } catch (IOException e) {
                    throw new UnableToReadJournalFileException("cannot read " + source.file + ": " + e.getMessage(), e);
                }
            }
        }
        return new SourceRun(heads.heads, heads.entries, System.nanoTime() - started);
    }

    /** Passes on the selected ledger only, remembers the heads, counts entries. */
    private static final class HeadCollector implements JournalVisitor {
        final Optional<LedgerId> only;
        final JournalVisitor next;
        final List<LedgerHead> heads = new ArrayList<>();
        long entries;
        boolean checked;

        HeadCollector(Optional<LedgerId> only, JournalVisitor next) {
            this.only = only;
            this.next = next;
        }

        private boolean wanted(LedgerId id) {
            return only.isEmpty() || only.get().equals(id);
        }

        /** Ledger lines come first, so by the first other record we know whether the ledger exists. */
        private void check() {
            if (!checked) {
                checked = true;
                if (only.isPresent() && heads.isEmpty()) {
                    throw new UnableToFindLedgerException("no ledger " + only.get() + " in the journal");
                }
            }
        }

        @Override
        public void ledger(LedgerHead head) {
            if (wanted(head.ledger().id())) {
                heads.add(head);
                next.ledger(head);
            }
        }

        @Override
        public void account(Account account) {
            check();
            if (wanted(account.ledger())) {
                next.account(account);
            }
        }

        @Override
        public void entry(Entry entry, long line) {
            check();
            if (wanted(entry.ledger())) {
                entries++;
                next.entry(entry, line);
            }
        }

        @Override
        public void balance(LedgerId ledger, Balance balance) {
            check();
            if (wanted(ledger)) {
                next.balance(ledger, balance);
            }
        }

        @Override
        public void end() {
            check();
            next.end();
        }
    }
}
