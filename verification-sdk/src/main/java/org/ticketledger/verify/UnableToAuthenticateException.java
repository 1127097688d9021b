package org.ticketledger.verify;

import java.util.Optional;

/**
 * The operation needs a device session that does not exist or that the server ended: the device is
 * not provisioned, nobody is logged in, the refresh token was refused, or the device or operator was
 * revoked. The operator has to log in (or the device has to be provisioned) again.
 */
public class UnableToAuthenticateException extends VerifierException {

    private static final long serialVersionUID = 1L;

    private final String problemCode;

    /** Creates an exception; {@code problemCode} may be null when the server gave none. */
    public UnableToAuthenticateException(String message, String problemCode) {
        super(message);
        this.problemCode = problemCode;
    }

    /** The stable problem code from the server (for example {@code device-revoked}), if any. */
    public Optional<String> problemCode() {
        return Optional.ofNullable(problemCode);
    }
}
