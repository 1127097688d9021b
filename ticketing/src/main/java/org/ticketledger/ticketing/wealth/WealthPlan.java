package org.ticketledger.ticketing.wealth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RequestId;

/**
 * A wealth plan the platform's combos are invested in, and its expiry.
 *
 * @param plan          the rail's plan id
 * @param rail          the wealth rail
 * @param expiresAt     when its combos expire and it is redeemed in full
 * @param state         where it stands
 * @param invested      principal in the plan by our books: invests done − withdraws done, plus any
 *                      difference an admin accepted (zero once closed)
 * @param round         the redeem-all round (part of its request id)
 * @param attempts      redeem-all attempts in this round
 * @param nextAttemptAt when the expiry job looks at it again, while closing
 * @param principal     principal the redeem-all returned, once closed
 * @param yield         yield the redeem-all paid, once closed
 * @param railTxnId     the redeem-all's transaction id, once closed
 * @param closedAt      the rail's value time of the redeem-all, once closed
 * @param reason        why it waits or needs review
 * @param closeRequestId the redeem-all request id of the current round
 */
public record WealthPlan(PlanId plan, RailId rail, Instant expiresAt, PlanState state, Money invested, int round,
                         int attempts, Optional<Instant> nextAttemptAt, Optional<Money> principal, Optional<Money> yield,
                         Optional<String> railTxnId, Optional<Instant> closedAt, Optional<String> reason,
                         RequestId closeRequestId) {

    public WealthPlan {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(rail, "rail");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(invested, "invested");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(yield, "yield");
        Objects.requireNonNull(railTxnId, "railTxnId");
        Objects.requireNonNull(closedAt, "closedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(closeRequestId, "closeRequestId");
    }
}
