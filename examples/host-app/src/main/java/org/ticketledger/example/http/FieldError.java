package org.ticketledger.example.http;

import java.util.Objects;

/**
 * One field-level complaint inside a problem: a JSON pointer into the request body (or a
 * {@code #/query/name} / {@code #/header/name} pointer for parameters) and what is wrong with it.
 */
public record FieldError(String pointer, String detail) {

    public FieldError {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(detail, "detail");
    }
}
