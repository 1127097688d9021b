package org.ticketledger.cli;

/**
 * The process exit codes of {@code ledger-cli}, so that scripts can tell a broken journal from a
 * tool that could not do its job.
 */
public final class ExitCode {

    /** The command did its job and found nothing wrong. */
    public static final int OK = 0;
    /** The journal has a break (gap, hash, chain, balance, policy, head) or replayed balances differ. */
    public static final int JOURNAL_BROKEN = 1;
    /** Wrong or missing arguments; picocli printed the usage. */
    public static final int USAGE = 2;
    /** The input file is missing, unreadable or not a valid export (the message names the line). */
    public static final int BAD_FILE = 3;
    /** The database cannot be reached, refused the credentials, or holds no journal. */
    public static final int DATABASE = 4;
    /** The named ledger or account does not exist. */
    public static final int NOT_FOUND = 5;
    /** The output file could not be written. */
    public static final int OUTPUT = 6;
    /** A bug in the tool itself. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
