package org.ticketledger.cli;

/**
 * The root of the tool's exceptions: the tool could not do its job (as opposed to a journal that
 * was read and found broken, which is a result). Each subclass carries the {@link ExitCode} the
 * process ends with; messages never contain passwords.
 */
public class LedgerCliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public LedgerCliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LedgerCliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code for this failure, one of {@link ExitCode}. */
    public int exitCode() {
        return exitCode;
    }
}
