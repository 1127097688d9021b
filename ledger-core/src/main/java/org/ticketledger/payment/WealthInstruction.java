package org.ticketledger.payment;

import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * A subscription to or a partial redemption from a wealth plan.
 *
 * @param requestId our idempotency key at the rail
 * @param plan      the plan
 * @param amount    a positive amount of principal
 */
public record WealthInstruction(RequestId requestId, PlanId plan, Money amount) {

    public WealthInstruction {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("wealth amount must be positive, was " + amount);
        }
    }
}
