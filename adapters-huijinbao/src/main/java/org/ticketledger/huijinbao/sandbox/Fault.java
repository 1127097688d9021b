package org.ticketledger.huijinbao.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A one-shot fault the sandbox applies to the next matching request (see
 * {@link HuijinbaoSandbox#injectFault}). Faults act only on requests that pass authentication.
 *
 * @param kind  what goes wrong
 * @param delay for {@link Kind#DELAY}: how long the request waits before it is processed; zero otherwise
 */
public record Fault(Kind kind, Duration delay) {

    /** The kinds of fault. */
    public enum Kind {
        /** A write is refused with INSUFFICIENT_FUNDS whatever the balance (and, like any refusal, binds nothing). */
        INSUFFICIENT_FUNDS,
        /** A wealth write is refused with PLAN_CLOSED: the plan is "temporarily closed" for this one request. */
        PLAN_CLOSED,
        /** The request waits {@code delay} before it is processed and answered, e.g. past the client's timeout. */
        DELAY,
        /** The request is processed at once, but its reply is held back for {@code delay} (past the client's timeout). */
        SLOW_REPLY,
        /** HTTP 500 INTERNAL_ERROR; the request was not processed. */
        SERVER_ERROR,
        /** HTTP 503 TRY_AGAIN; the request was not processed. */
        UNAVAILABLE,
        /** The request is processed, then answered HTTP 500 INTERNAL_ERROR: the money moved, the reply says nothing. */
        SERVER_ERROR_AFTER_PROCESSING,
        /** The request is processed, then a gateway in front answers an unsigned HTTP 504 (its upstream timed out). */
        GATEWAY_TIMEOUT,
        /** The request is processed, then the connection is closed without a reply. */
        LOST_REPLY,
        /** The request is processed, then answered with a reply whose signature does not verify. */
        FORGED_REPLY
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        boolean delays = kind == Kind.DELAY || kind == Kind.SLOW_REPLY;
        if (delays == delay.isZero()) {
            throw new IllegalArgumentException("DELAY and SLOW_REPLY need a positive delay, other faults none");
        }
    }

    public static Fault insufficientFunds() {
        return new Fault(Kind.INSUFFICIENT_FUNDS, Duration.ZERO);
    }

    public static Fault planClosed() {
        return new Fault(Kind.PLAN_CLOSED, Duration.ZERO);
    }

    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, delay);
    }

    public static Fault slowReply(Duration delay) {
        return new Fault(Kind.SLOW_REPLY, delay);
    }

    public static Fault serverError() {
        return new Fault(Kind.SERVER_ERROR, Duration.ZERO);
    }

    public static Fault unavailable() {
        return new Fault(Kind.UNAVAILABLE, Duration.ZERO);
    }

    public static Fault serverErrorAfterProcessing() {
        return new Fault(Kind.SERVER_ERROR_AFTER_PROCESSING, Duration.ZERO);
    }

    public static Fault gatewayTimeout() {
        return new Fault(Kind.GATEWAY_TIMEOUT, Duration.ZERO);
    }

    public static Fault lostReply() {
        return new Fault(Kind.LOST_REPLY, Duration.ZERO);
    }

    public static Fault forgedReply() {
        return new Fault(Kind.FORGED_REPLY, Duration.ZERO);
    }

    /** Whether this fault refuses a write rather than disturbing the transport. */
    boolean isRefusal() {
        return kind == Kind.INSUFFICIENT_FUNDS || kind == Kind.PLAN_CLOSED;
    }
}
