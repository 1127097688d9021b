package org.ticketledger.verify;

/**
 * The root of every exception the SDK throws on purpose: infrastructure failures (network, local
 * storage, crypto provider) and protocol violations. Expected business outcomes (a forged or
 * already redeemed ticket, wrong credentials) are never thrown; they are returned as results.
 * Messages never contain secrets (tokens, passwords, credentials, keys).
 */
public class VerifierException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public VerifierException(String message) {
        super(message);
    }

    /** Creates an exception with a message and a cause. */
    public VerifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
