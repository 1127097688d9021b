package org.ticketledger.example.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thrown by handlers and filters to end a request with a problem response. This is the host app's
 * way of leaving a handler early (bad input, failed authentication); it is rendered by the error
 * handler, never logged as an error. Extra headers (e.g. {@code Retry-After}) travel with it.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    /** A problem with a detail and no field errors. */
    public ApiException(ProblemType type, String detail) {
        this(Problem.of(type, detail), Map.of());
    }

    /** A problem with field errors. */
    public ApiException(ProblemType type, String detail, List<FieldError> errors) {
        this(new Problem(type, detail, errors), Map.of());
    }

    /** A problem with extra response headers. */
    public ApiException(Problem problem, Map<String, String> headers) {
        super(problem.type().slug() + ": " + problem.detail(), null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.headers = Map.copyOf(headers);
    }

    /** The problem to render. */
    public Problem problem() {
        return problem;
    }

    /** Response headers to add, e.g. {@code WWW-Authenticate} or {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
