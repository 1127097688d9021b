package org.ticketledger.ticketing;

/** The ticketing tables could not be read or written; the transaction in flight was rolled back. */
public class UnableToAccessStoreException extends TicketingException {

    private static final long serialVersionUID = 1L;

    public UnableToAccessStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
