package org.ticketledger.ticketing;

/**
 * The root of ticketing's exceptions: bugs and infrastructure failures (a database that cannot be
 * reached, a ledger that refuses an entry it must accept), never business outcomes, which are
 * returned as values. After any of these, repeating the call is safe: every step is idempotent.
 */
public class TicketingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TicketingException(String message) {
        super(message);
    }

    public TicketingException(String message, Throwable cause) {
        super(message, cause);
    }
}
