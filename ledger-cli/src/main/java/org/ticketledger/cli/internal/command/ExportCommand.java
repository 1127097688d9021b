package org.ticketledger.cli.internal.command;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ticketledger.cli.ExitCode;
import org.ticketledger.cli.UnableToWriteExportException;
import org.ticketledger.cli.internal.journal.DatabaseReader;
import org.ticketledger.cli.internal.journal.DatabaseTarget;
import org.ticketledger.cli.internal.journal.JsonLinesWriter;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.cli.internal.journal.Progress;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.LedgerId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code export}: the journal as JSON Lines, streamed from one read-only snapshot. */
@Command(name = "export", sortOptions = false,
        description = {"Write the journal as JSON Lines in the documented canonical form (ledger-core/JOURNAL-FORMAT.md):"
                + " ledgers, accounts, entries in sequence order with postings and hashes, stored balances.",
                "Reads one consistent snapshot in a read-only transaction; the file appears only when complete."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    RootCommand root;

    @Option(names = "--db-url", required = true, paramLabel = "URL",
            description = "The journal database: jdbc:postgresql://host:5432/db or postgresql://user@host/db.")
    String dbUrl;

    @Option(names = "--user", paramLabel = "NAME", description = "Database user (default: from the URL, then PGUSER).")
    String user;

    @Option(names = "--password", paramLabel = "SECRET", arity = "0..1", interactive = true,
            description = "Database password; give the option without a value to be asked for it"
                    + " (default: from the URL, then PGPASSWORD).")
    char[] password;

    @Option(names = "--ledger", paramLabel = "ID", description = "Only this ledger (default: all).")
    String ledger;

    @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1",
            description = "First entry sequence to export (default: ${DEFAULT-VALUE}, the whole journal; a later start"
                    + " makes a partial export whose balances cannot be rebuilt).")
    long from;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The output file, or - for standard output.")
    String out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        if (from < 1) {
            throw new ParameterException(spec.commandLine(), "--from must be >= 1");
        }
        Optional<LedgerId> only;
        DatabaseTarget target;
        try {
            only = Optional.ofNullable(ledger).map(LedgerId::of);
            target = DatabaseTarget.of(dbUrl, Optional.ofNullable(user), Optional.ofNullable(password).map(String::new),
                    root.context().env());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean toStdout = out.equals("-");
        long started = System.nanoTime();
        long entries;
        int ledgers;
        try (DatabaseReader reader = DatabaseReader.open(target);
             Progress progress = quiet || !root.context().terminal() ? Progress.NONE
                     : new ConsoleProgress(System.err, "export")) {
            List<LedgerHead> heads = reader.ledgers(only, from);
            ledgers = heads.size();
            if (toStdout) {
                OutputStream o = new BufferedOutputStream(root.context().rawOut(), 1 << 16);
                JsonLinesWriter writer = new JsonLinesWriter(o);
                reader.read(heads, AsOf.latest(), writer, progress);
                entries = writer.entries();
            } else {
                entries = toFile(Path.of(out), reader, heads, progress);
            }
        }
        long nanos = System.nanoTime() - started;
        PrintWriter report = toStdout ? root.context().err() : root.context().out();
        report.println(String.format(Locale.ROOT, "exported %d entries of %d ledger(s) to %s in %.2f s (%,d entries/s)",
                entries, ledgers, toStdout ? "standard output" : out, nanos / 1e9, nanos > 0 ? Math.round(entries * 1e9 / nanos) : 0));
        report.flush();
        return ExitCode.OK;
    }

    /** Writes to a temporary file beside the target and moves it into place only when complete. */
    private static long toFile(Path target, DatabaseReader reader, List<LedgerHead> heads, Progress progress) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new UnableToWriteExportException("cannot write in " + dir + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            long entries;
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                JsonLinesWriter writer = new JsonLinesWriter(o);
                reader.read(heads, AsOf.latest(), writer, progress);
                entries = writer.entries();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return entries;
        } catch (IOException | UncheckedIOException e) {
            throw new UnableToWriteExportException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // Best effort: the half-written file is hidden (dot name) and marked .part.
                }
            }
        }
    }
}
