package org.ticketledger.example.http;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem document as the platform writes it: the standard members plus
 * {@code errors} (field-level details, possibly empty) and {@code requestId}.
 */
public record Problem(ProblemType type, String detail, List<FieldError> errors) {

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        errors = List.copyOf(errors);
    }

    /** A problem without field errors. */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, List.of());
    }
}
