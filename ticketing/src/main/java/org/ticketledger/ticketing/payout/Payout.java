package org.ticketledger.ticketing.payout;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RequestId;

/**
 * A payout instruction.
 *
 * @param id             our id
 * @param kind           settlement, refund or profit share
 * @param ticketId       the ticket it settles or refunds; for a {@link PayoutKind#PROFIT_SHARE}, the profit run
 * @param orderId        the ticket's order; for a profit share, the profit run (the history's correlation id)
 * @param partyId        the payee (spot or distributor)
 * @param accountVersion the payee account version it pays to
 * @param rail           the rail it pays on
 * @param gross          what the payee is owed before the fee
 * @param fee            the payout fee kept
 * @param net            what the rail pays: gross − fee
 * @param state          where it stands
 * @param round          1, then +1 per retry after a final decline (keys the round's ledger hold and SMS)
 * @param requestRound   the round whose request id the payout uses: the first round's, kept for good.
 *                       A declined request id stays live at the rail (a refusal binds nothing), so a
 *                       delayed copy of it could still pay; under a new id the retry would pay twice
 * @param attempts       rail attempts in this round
 * @param nextAttemptAt  when the job tries again
 * @param windowEndsAt   end of the retry window of this round, once sent
 * @param railTxnId      the rail's transaction id, once paid
 * @param reason         why it waits or needs review
 * @param createdAt      created
 * @param updatedAt      last changed
 * @param holdSequence   the ledger entry holding the funds of the current round, once held
 */
public record Payout(String id, PayoutKind kind, String ticketId, String orderId, String partyId, int accountVersion,
                     RailId rail, Money gross, Money fee, Money net, PayoutState state, int round, int requestRound, int attempts,
                     Optional<Instant> nextAttemptAt, Optional<Instant> windowEndsAt, Optional<String> railTxnId,
                     Optional<String> reason, Instant createdAt, Instant updatedAt,
                     OptionalLong holdSequence) {

    public Payout {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(partyId, "partyId");
        Objects.requireNonNull(rail, "rail");
        Objects.requireNonNull(gross, "gross");
        Objects.requireNonNull(fee, "fee");
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(windowEndsAt, "windowEndsAt");
        Objects.requireNonNull(railTxnId, "railTxnId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(holdSequence, "holdSequence");
        if (requestRound < 1 || requestRound > round) {
            throw new IllegalArgumentException("requestRound " + requestRound + " outside 1.." + round);
        }
    }

    /** The rail request id: the same in every round, across retries and restarts. */
    public RequestId requestId() {
        return RequestId.of("pay-" + id + "-" + requestRound);
    }
}
