package org.ticketledger.ledger;

/** An account or ledger exists already with a different definition, so it cannot be opened as asked. */
public class UnableToOpenAccountException extends LedgerException {

    private static final long serialVersionUID = 1L;

    public UnableToOpenAccountException(String message) {
        super(message);
    }
}
