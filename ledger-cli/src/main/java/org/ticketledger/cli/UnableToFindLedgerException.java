package org.ticketledger.cli;

/** A ledger or account named on the command line does not exist in the journal being read. */
public class UnableToFindLedgerException extends LedgerCliException {

    private static final long serialVersionUID = 1L;

    public UnableToFindLedgerException(String message) {
        super(ExitCode.NOT_FOUND, message);
    }
}
