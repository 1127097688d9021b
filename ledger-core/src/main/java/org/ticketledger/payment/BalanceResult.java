package org.ticketledger.payment;

import java.time.Instant;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/** The answer to a balance query. */
public sealed interface BalanceResult {

    /**
     * The rail reported the balance.
     *
     * @param available what can be spent now
     * @param at        when the rail reported it
     */
    record Available(Money available, Instant at) implements BalanceResult {
        public Available {
            Objects.requireNonNull(available, "available");
            Objects.requireNonNull(at, "at");
        }
    }

    /** The balance could not be read (timeout, error); nothing to conclude from it. */
    record Unavailable(String cause) implements BalanceResult {
        public Unavailable {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
