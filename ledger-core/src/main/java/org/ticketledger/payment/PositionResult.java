package org.ticketledger.payment;

import java.time.Instant;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/** The answer to a wealth position query. */
public sealed interface PositionResult {

    /**
     * The platform's position in a plan.
     *
     * @param plan          the plan
     * @param principal     principal currently invested
     * @param accruedYield  yield accrued and not yet paid out
     * @param asOf          the rail's as-of time for these figures
     */
    record Position(PlanId plan, Money principal, Money accruedYield, Instant asOf) implements PositionResult {
        public Position {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(accruedYield, "accruedYield");
            Objects.requireNonNull(asOf, "asOf");
        }
    }

    /** The position could not be read. */
    record Unavailable(String cause) implements PositionResult {
        public Unavailable {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
