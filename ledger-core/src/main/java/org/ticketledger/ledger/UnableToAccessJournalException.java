package org.ticketledger.ledger;

/**
 * The journal's storage failed (connection lost, statement failed, commit failed). The outcome of
 * the write in flight is unknown to the caller only in the sense that it may or may not have
 * committed; repeating the same request with the same idempotency key is always safe.
 */
public class UnableToAccessJournalException extends LedgerException {

    private static final long serialVersionUID = 1L;

    public UnableToAccessJournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
