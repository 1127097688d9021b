package org.ticketledger.verify;

/**
 * A signature could not be made or the platform lacks ECDSA P-256: a bad private key given to the
 * codec, a device signer that failed, or a broken crypto provider.
 */
public class UnableToSignException extends VerifierException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message and the cause. */
    public UnableToSignException(String message, Throwable cause) {
        super(message, cause);
    }
}
