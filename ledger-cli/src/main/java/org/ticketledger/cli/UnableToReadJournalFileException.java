package org.ticketledger.cli;

/**
 * A journal file is missing, unreadable, or not a valid export. {@link #line()} is the 1-based line
 * that could not be read, or 0 when the problem is not tied to a line.
 */
public class UnableToReadJournalFileException extends LedgerCliException {

    private static final long serialVersionUID = 1L;

    private final long line;

    public UnableToReadJournalFileException(long line, String message) {
        super(ExitCode.BAD_FILE, line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    public UnableToReadJournalFileException(String message, Throwable cause) {
        super(ExitCode.BAD_FILE, message, cause);
        this.line = 0;
    }

    /** The 1-based line number, 0 when not tied to a line. */
    public long line() {
        return line;
    }
}
