package org.ticketledger.cli.internal.command;

import java.util.Objects;
import picocli.CommandLine.Command;

/** The {@code ledger-cli} command and its subcommands. */
@Command(name = "ledger-cli", mixinStandardHelpOptions = true, version = "ledger-cli 0.1.0",
        description = {"The auditor's tool for TicketLedger journals: check the books without trusting the running"
                + " platform. Reads the database directly in a read-only transaction, or a JSON Lines export.",
                "Exit codes: 0 ok, 1 journal broken or balances differ, 2 usage, 3 bad file, 4 database unreachable"
                        + " or login refused, 5 unknown ledger or account, 6 output not writable, 70 internal error."},
        subcommands = {ExportCommand.class, VerifyCommand.class, ReplayCommand.class,
                TrialBalanceCommand.TrialBalance.class, TrialBalanceCommand.Balances.class, StatementCommand.class})
public final class RootCommand implements Runnable {

    private final CliContext context;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public RootCommand(CliContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    CliContext context() {
        return context;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a command: export, verify, replay, trial-balance, balances or statement");
    }
}
