package org.ticketledger.ticketing.order;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RequestId;

/**
 * An order as stored.
 *
 * @param id                  our order id
 * @param distributorId       the distributor
 * @param distributorOrderId  the distributor's own id
 * @param productId           the product
 * @param productVersion      the product version it was placed on
 * @param visitDate           visit date
 * @param slot                time slot ("" for the whole day)
 * @param quantity            tickets
 * @param unitPrice           D per ticket
 * @param fee                 the issuance fee for the whole order
 * @param total               what is collected: D × quantity + fee
 * @param rail                the rail collected on (the distributor's payment account's, at order time)
 * @param payerAccountVersion the version of the distributor's payment account the order uses
 * @param state               where it stands
 * @param chargeRound         1, then +1 per {@code reapply} (keys the round's SMS and history)
 * @param requestRound        the round whose collection request id the order uses: the first round's,
 *                            kept for good. A declined request id stays live at the rail (a refusal
 *                            binds nothing), so a delayed copy of it could still collect after a
 *                            top-up; under a new id the next round would collect a second time
 * @param attempts            rail attempts in this round
 * @param nextAttemptAt       when the background job tries again, while not final
 * @param railTxnId           the rail's transaction id, once collected
 * @param failureReason       why it failed or waits
 * @param createdAt           created
 * @param updatedAt           last changed
 */
public record Order(String id, String distributorId, String distributorOrderId, String productId, int productVersion,
                    LocalDate visitDate, String slot, int quantity, Money unitPrice, Money fee, Money total,
                    RailId rail, int payerAccountVersion, OrderState state, int chargeRound, int requestRound, int attempts,
                    Optional<Instant> nextAttemptAt, Optional<String> railTxnId, Optional<String> failureReason,
                    Instant createdAt, Instant updatedAt) {

    public Order {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(distributorId, "distributorId");
        Objects.requireNonNull(distributorOrderId, "distributorOrderId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(visitDate, "visitDate");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(fee, "fee");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(rail, "rail");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(railTxnId, "railTxnId");
        Objects.requireNonNull(failureReason, "failureReason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (requestRound < 1 || requestRound > chargeRound) {
            throw new IllegalArgumentException("requestRound " + requestRound + " outside 1.." + chargeRound);
        }
    }

    /** The collection request id: the same in every round, across retries and restarts. */
    public RequestId collectRequestId() {
        return collectRequestId(id, requestRound);
    }

    /** The collection request id of {@code orderId} first used in {@code round}. */
    public static RequestId collectRequestId(String orderId, int round) {
        return RequestId.of("col-" + orderId + "-" + round);
    }
}
