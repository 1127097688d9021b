package org.ticketledger.verify;

/**
 * Local storage (scan journal, device state) could not be read or written. A redemption whose
 * record could not be stored durably is never reported as redeemed.
 */
public class UnableToPersistException extends VerifierException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message and the I/O cause. */
    public UnableToPersistException(String message, Throwable cause) {
        super(message, cause);
    }
}
