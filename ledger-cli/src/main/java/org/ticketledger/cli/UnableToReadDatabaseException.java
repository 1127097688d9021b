package org.ticketledger.cli;

/**
 * The journal database cannot be reached, refused the credentials, or does not hold a TicketLedger
 * journal. The message says which, and never contains the password.
 */
public class UnableToReadDatabaseException extends LedgerCliException {

    private static final long serialVersionUID = 1L;

    public UnableToReadDatabaseException(String message, Throwable cause) {
        super(ExitCode.DATABASE, message, cause);
    }
}
