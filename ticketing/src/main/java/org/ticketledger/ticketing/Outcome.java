package org.ticketledger.ticketing;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of a request that either succeeds with a value or is refused with a {@link Problem}.
 *
 * @param <T> the value on success
 */
public sealed interface Outcome<T> permits Outcome.Ok, Outcome.Refused {

    /** A success. */
    static <T> Outcome<T> ok(T value) {
        return new Ok<>(value);
    }

    /** A refusal. */
    static <T> Outcome<T> refused(Problem problem) {
        return new Refused<>(problem);
    }

    /** A refusal with a code and a message. */
    static <T> Outcome<T> refused(ErrorCode code, String message) {
        return new Refused<>(Problem.of(code, message));
    }

    /** Whether this is a success. */
    default boolean isOk() {
        return this instanceof Ok;
    }

    /**
     * The value of a success.
     *
     * @throws IllegalStateException for a refusal, with the problem in the message
     */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        Problem p = ((Refused<T>) this).problem();
        throw new IllegalStateException(p.code() + ": " + p.message() + (p.fields().isEmpty() ? "" : " " + p.fields()));
    }

    /** The same outcome with the value mapped. */
    default <U> Outcome<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Refused<>(((Refused<T>) this).problem());
    }

    /** A success. */
    record Ok<T>(T value) implements Outcome<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A refusal; nothing was written. */
    record Refused<T>(Problem problem) implements Outcome<T> {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
