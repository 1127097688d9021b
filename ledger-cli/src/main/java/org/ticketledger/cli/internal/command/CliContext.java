package org.ticketledger.cli.internal.command;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * What a command run sees of the outside world: where to print, the environment (for PGUSER and
 * PGPASSWORD), and whether a person is watching a terminal (for the progress bar).
 *
 * @param out      results
 * @param rawOut   the stream under {@code out}, for bytes (an export to standard output)
 * @param err      progress, warnings and errors
 * @param env      the environment variables
 * @param terminal whether stdout and stderr are a terminal
 */
public record CliContext(PrintWriter out, java.io.OutputStream rawOut, PrintWriter err, Map<String, String> env, boolean terminal) {

    public CliContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(rawOut, "rawOut");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
    }
}
