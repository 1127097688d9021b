package org.ticketledger.ticketing.device;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The business answer to an online redeem (always HTTP 200), with the extra fields its outcome has
 * (DEVICE-API.md §4.8).
 *
 * @param outcome          the outcome
 * @param ticketId         the code's ticket id, when the code could be read
 * @param redeemedAt       for REDEEMED: server time of the redemption
 * @param remainingUses    for REDEEMED: uses left at this spot
 * @param previous         for ALREADY_REDEEMED: the redemptions at this spot, oldest first
 * @param revokedAt        for REVOKED
 * @param revocationReason for REVOKED ({@code REFUNDED}, ...)
 * @param message          free text for people
 */
public record RedeemAnswer(RedeemOutcome outcome, OptionalLong ticketId, Optional<Instant> redeemedAt,
                           OptionalInt remainingUses, List<PriorRedemption> previous, Optional<Instant> revokedAt,
                           Optional<String> revocationReason, Optional<String> message) {

    public RedeemAnswer {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(redeemedAt, "redeemedAt");
        Objects.requireNonNull(remainingUses, "remainingUses");
        previous = List.copyOf(previous);
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revocationReason, "revocationReason");
        Objects.requireNonNull(message, "message");
    }

    /** An outcome without extra fields. */
    public static RedeemAnswer of(RedeemOutcome outcome, OptionalLong ticketId, Optional<String> message) {
        return new RedeemAnswer(outcome, ticketId, Optional.empty(), OptionalInt.empty(), List.of(), Optional.empty(),
                Optional.empty(), message);
    }
}
