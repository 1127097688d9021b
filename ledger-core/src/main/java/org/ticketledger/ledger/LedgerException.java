package org.ticketledger.ledger;

/**
 * The root of the ledger's exceptions, which signal bugs and infrastructure failures (a database
 * that cannot be reached, a broken invariant), never business outcomes: those are
 * {@link PostResult} values.
 */
public class LedgerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
