package org.ticketledger.verify.internal;

import org.ticketledger.verify.VerifierException;

/** Malformed JSON, or JSON whose shape is not the one expected. Not API. */
public final class JsonException extends VerifierException {

    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
