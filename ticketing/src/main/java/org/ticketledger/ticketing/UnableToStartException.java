package org.ticketledger.ticketing;

/** Ticketing could not be set up: migrations failed, or the background scheduler did not start. */
public class UnableToStartException extends TicketingException {

    private static final long serialVersionUID = 1L;

    public UnableToStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
