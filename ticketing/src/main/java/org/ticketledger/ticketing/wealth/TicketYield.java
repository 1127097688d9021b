package org.ticketledger.ticketing.wealth;

import java.math.BigInteger;
import java.util.Objects;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * The part of a closed plan's yield attributed to one ticket (README, "Yield attribution").
 *
 * @param ticketId the ticket
 * @param plan     the plan
 * @param weight   fen × daily closes the ticket's money was in the plan
 * @param yield    its share of the yield; the shares of a plan add up to the rail's yield exactly
 */
public record TicketYield(String ticketId, PlanId plan, BigInteger weight, Money yield) {

    public TicketYield {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(yield, "yield");
    }
}
