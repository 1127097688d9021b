package org.ticketledger.ticketing;

import java.util.List;
import java.util.Objects;

/**
 * Why a request was refused, for machines ({@link #code()}) and people ({@link #message()}).
 * Nothing was written for a refused request.
 *
 * @param code    the stable error code
 * @param message a sentence a developer or operator understands
 * @param fields  the offending fields, for {@link ErrorCode#VALIDATION_FAILED}; else usually empty
 */
public record Problem(ErrorCode code, String message, List<FieldError> fields) {

    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        fields = List.copyOf(fields);
    }

    /** A problem without field details. */
    public static Problem of(ErrorCode code, String message) {
        return new Problem(code, message, List.of());
    }

    /**
     * One invalid field.
     *
     * @param path    the property path, e.g. {@code receivingAccount.identity}
     * @param message what is wrong with it
     */
    public record FieldError(String path, String message) {
        public FieldError {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }
    }
}
