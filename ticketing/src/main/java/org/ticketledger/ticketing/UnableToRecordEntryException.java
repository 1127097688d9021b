package org.ticketledger.ticketing;

/**
 * The ledger refused an entry that the flow requires (an unknown account, an idempotency conflict):
 * a configuration error or a bug. The business row stays where it was and the job retries it.
 */
public class UnableToRecordEntryException extends TicketingException {

    private static final long serialVersionUID = 1L;

    public UnableToRecordEntryException(String message) {
        super(message);
    }
}
