package org.ticketledger.example.wire;

import java.util.List;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;

/**
 * Turns ticketing's refusals into problem responses: each {@link ErrorCode} has the problem type of
 * the same name, and ticketing's field paths ({@code paymentAccount.identity}) become JSON pointers
 * ({@code /paymentAccount/identity}) into the request body. Thread-safe (stateless).
 */
public final class Refusals {

    private Refusals() {
    }

    /** The problem type for {@code code}. */
    public static ProblemType type(ErrorCode code) {
        return ProblemType.valueOf(code.name());
    }

    /** The exception that answers {@code problem}. */
    public static ApiException of(Problem problem) {
        List<FieldError> fields = problem.fields().stream()
                .map(f -> new FieldError("/" + f.path().replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"), f.message()))
                .toList();
        return new ApiException(type(problem.code()), problem.message(), fields);
    }

    /** The value of an {@link Outcome.Ok}, or the refusal thrown as a problem. */
    public static <T> T orThrow(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Ok<T> ok) {
            return ok.value();
        }
        throw of(((Outcome.Refused<T>) outcome).problem());
    }
}
