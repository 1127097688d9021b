package org.ticketledger.example;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./ticketledger} entry point: {@code serve} runs the platform, {@code demo} runs the
 * walk-through, {@code sign} computes distributor request headers for curl. Exit codes: 0 success,
 * 1 failure, 2 bad usage or configuration.
 */
@Command(name = "ticketledger", mixinStandardHelpOptions = true, version = "TicketLedger " + HostApp.API_VERSION,
        description = "The TicketLedger platform: money and tickets for scenic-spot e-ticketing.",
        subcommands = {ServeCommand.class, DemoCommand.class, SignCommand.class, CommandLine.HelpCommand.class})
public final class Launcher {

    private Launcher() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // Before anything touches SLF4J: people read the demo and sign output, machines read serve's logs.
        boolean serving = args.length > 0 && args[0].equals("serve");
        if (System.getProperty("TL_LOG_FORMAT") == null && System.getenv("TL_LOG_FORMAT") == null && !serving) {
            System.setProperty("TL_LOG_FORMAT", "text");
            if (System.getProperty("TL_LOG_LEVEL") == null && System.getenv("TL_LOG_LEVEL") == null) {
                System.setProperty("TL_LOG_LEVEL", "WARN");
            }
        }
        int code = commandLine().execute(args);
        if (!(serving && code == 0)) {
            System.exit(code);
        }
    }

    /** The configured command line (tests execute it in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Launcher());
        cl.setExitCodeExceptionMapper(e -> e instanceof ConfigurationException || e instanceof CommandLine.ParameterException ? 2 : 1);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ConfigurationException) {
                line.getErr().println("ticketledger: " + e.getMessage());
                return 2;
            }
            line.getErr().println("ticketledger: " + e.getMessage());
            return 1;
        });
        return cl;
    }

    /** A configuration value is missing or invalid; the message says which and what is expected. */
    static final class ConfigurationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigurationException(String message) {
            super(message);
        }
    }
}
