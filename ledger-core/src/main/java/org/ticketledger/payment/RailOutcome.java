package org.ticketledger.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.Money;

/**
 * The outcome of an instruction or a query, as Kill Bill's payment plugins report it: rails never
 * guess; anything not known to be final is {@link Unknown} or {@link Pending}, and the caller
 * resolves it with {@link PaymentRail#query} using the same request id.
 */
public sealed interface RailOutcome {

    /** Whether the outcome is final (succeeded, declined or conflict). */
    default boolean isFinal() {
        return this instanceof Succeeded || this instanceof Declined || this instanceof Conflict;
    }

    /**
     * Money moved.
     *
     * @param railTxnId the rail's transaction id
     * @param amount    the amount moved (for a redeem-all: principal plus yield)
     * @param at        when the rail says it happened
     * @param yield     for a redeem-all: the yield part of {@code amount}; otherwise empty
     */
    record Succeeded(String railTxnId, Money amount, Instant at, Optional<Money> yield) implements RailOutcome {
        public Succeeded {
            Objects.requireNonNull(railTxnId, "railTxnId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(yield, "yield");
        }

        public Succeeded(String railTxnId, Money amount, Instant at) {
            this(railTxnId, amount, at, Optional.empty());
        }
    }

    /**
     * Refused for good; no money moved.
     *
     * @param reason  the classified reason
     * @param rawCode the rail's own code (e.g. {@code ACQ.BUYER_BALANCE_NOT_ENOUGH})
     * @param message the rail's message, for people
     */
    record Declined(DeclineReason reason, String rawCode, String message) implements RailOutcome {
        public Declined {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(rawCode, "rawCode");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The request id was used before with different parameters. Nothing was done for this call, but
     * the earlier instruction under the id may have moved money: a bug to investigate, not a decline.
     */
    record Conflict(String rawCode, String message) implements RailOutcome {
        public Conflict {
            Objects.requireNonNull(rawCode, "rawCode");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Accepted by the rail but not finished (e.g. waiting for the payer); query later. */
    record Pending(String detail) implements RailOutcome {
        public Pending {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The outcome is not known (timeout, 5xx, unreadable or unverifiable reply); query before any retry. */
    record Unknown(String cause) implements RailOutcome {
        public Unknown {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Only from a query: the rail has no instruction under this request id, so re-sending it is safe. */
    record NotFound(String detail) implements RailOutcome {
        public NotFound {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
