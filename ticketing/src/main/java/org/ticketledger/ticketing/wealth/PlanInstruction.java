package org.ticketledger.ticketing.wealth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RequestId;

/**
 * An invest or withdraw instruction on a wealth plan.
 *
 * @param id            our id
 * @param kind          invest or withdraw
 * @param purpose       why it exists
 * @param plan          the wealth plan
 * @param orderId       the combo order it belongs to
 * @param ticketId      the ticket, for a withdraw
 * @param spotId        the spot whose redemption it follows, for a withdraw after a redemption
 * @param amount        principal moved
 * @param state         where it stands
 * @param round         1, then +1 after a final decline (keys the round's ledger hold and SMS)
 * @param requestRound  the round whose request id the instruction uses: the first round's, kept for
 *                      good. A declined request id stays live at the rail (a refusal binds nothing),
 *                      so a delayed copy of it could still move money; a new id would move it twice
 * @param attempts      rail attempts in this round
 * @param nextAttemptAt when the job looks at it again
 * @param railTxnId     the rail's transaction id, once done
 * @param railAt        the rail's value time, once done (the start or end of the days it earned yield)
 * @param reason        why it waits, was cancelled or needs review
 * @param holdSequence  an invest's ledger hold of the current round, once held
 * @param createdAt     created
 * @param updatedAt     last changed
 */
public record PlanInstruction(String id, InstructionKind kind, InstructionPurpose purpose, PlanId plan, String orderId,
                              Optional<String> ticketId, Optional<String> spotId, Money amount, InstructionState state,
                              int round, int requestRound, int attempts, Optional<Instant> nextAttemptAt, Optional<String> railTxnId,
                              Optional<Instant> railAt, Optional<String> reason, OptionalLong holdSequence,
                              Instant createdAt, Instant updatedAt) {

    public PlanInstruction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(railTxnId, "railTxnId");
        Objects.requireNonNull(railAt, "railAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(holdSequence, "holdSequence");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (requestRound < 1 || requestRound > round) {
            throw new IllegalArgumentException("requestRound " + requestRound + " outside 1.." + round);
        }
    }

    /** The rail request id: the same in every round, across retries and restarts. */
    public RequestId requestId() {
        return requestId(id, kind, requestRound);
    }

    /** The request id of instruction {@code id} first used in {@code round}. */
    public static RequestId requestId(String id, InstructionKind kind, int round) {
        return RequestId.of((kind == InstructionKind.INVEST ? "inv-" : "wdr-") + id + "-" + round);
    }
}
