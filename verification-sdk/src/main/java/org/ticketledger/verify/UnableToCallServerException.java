package org.ticketledger.verify;

import java.util.Optional;

/**
 * The device API could not be used: the network failed, the server answered 5xx or 429, or its
 * answer broke the contract in DEVICE-API.md. Offline work (verify, offline redeem) is unaffected.
 */
public class UnableToCallServerException extends VerifierException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String problemCode;

    /** Creates an exception; {@code status} is 0 when no HTTP answer arrived. */
    public UnableToCallServerException(String message, int status, String problemCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problemCode = problemCode;
    }

    /** The HTTP status of the server's answer, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    /** The stable problem {@code code} from an application/problem+json answer, if there was one. */
    public Optional<String> problemCode() {
        return Optional.ofNullable(problemCode);
    }
}
