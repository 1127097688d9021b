package org.ticketledger.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.ticketledger.cli.internal.command.CliContext;
import org.ticketledger.cli.internal.command.RootCommand;
import org.ticketledger.ledger.LedgerException;
import picocli.CommandLine;

/**
 * The {@code ledger-cli} program: {@code export}, {@code verify}, {@code replay},
 * {@code trial-balance}, {@code balances} and {@code statement} over a TicketLedger journal, read
 * from its database (read-only) or from a JSON Lines export. Run {@code ledger-cli --help}.
 *
 * <p>{@link #execute} runs one command line and returns its {@link ExitCode}; it never calls
 * {@code System.exit}, so tests and benchmarks can drive it in-process. Not meant for concurrent
 * use of one output stream.
 */
public final class LedgerCli {

    private LedgerCli() {
    }

    /** Runs the command line and exits with its {@link ExitCode}. */
    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err, System.getenv(), System.console() != null));
    }

    /**
     * Runs one command line.
     *
     * @param args     the arguments, e.g. {@code verify --file journal.jsonl}
     * @param out      where results go
     * @param err      where progress, warnings, usage and errors go
     * @param env      the environment (PGUSER, PGPASSWORD)
     * @param terminal whether a person is watching (shows the progress bar unless --quiet)
     * @return the exit code, one of {@link ExitCode}
     */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        Objects.requireNonNull(args, "args");
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CliContext context = new CliContext(outWriter, out, errWriter, env, terminal);
        CommandLine cmd = new CommandLine(new RootCommand(context))
                .setOut(outWriter)
                .setErr(errWriter)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, line, parsed) -> failed(e, errWriter));
        try {
            return cmd.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int failed(Exception e, PrintWriter err) {
        if (e instanceof CommandLine.ParameterException p) {
            err.println("ledger-cli: " + p.getMessage());
            p.getCommandLine().usage(err);
            return ExitCode.USAGE;
        }
        if (e instanceof LedgerCliException c) {
            err.println("ledger-cli: " + c.getMessage());
            return c.exitCode();
        }
        err.println("ledger-cli: internal error: " + e);
        if (!(e instanceof LedgerException)) {
            e.printStackTrace(err);
        }
        return ExitCode.INTERNAL;
    }
}
