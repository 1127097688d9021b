package org.ticketledger.cli;

/** The export's output file could not be written; no partial file is left behind. */
public class UnableToWriteExportException extends LedgerCliException {

    private static final long serialVersionUID = 1L;

    public UnableToWriteExportException(String message, Throwable cause) {
        super(ExitCode.OUTPUT, message, cause);
    }
}
