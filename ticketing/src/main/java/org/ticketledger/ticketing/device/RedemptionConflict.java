package org.ticketledger.ticketing.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A double redemption for the operator console: a scan that came after the ticket's uses at the
 * spot were taken (both devices, both times). Recorded once, never paid twice.
 *
 * @param id               increasing id (page with {@code afterId})
 * @param ticketNumber     the code's ticket id (our ticket number)
 * @param ticketId         our ticket id, if the ticket is ours
 * @param spot             where
 * @param winner           the earliest redemption
 * @param loser            the later scan
 * @param detectedAt       when the server found out
 * @param reportedToDevice whether the losing device was told (CONFLICT in its sync answer) or only
 *                         the admin (the loser had been answered RECORDED before an earlier scan arrived)
 */
public record RedemptionConflict(long id, long ticketNumber, Optional<String> ticketId, SpotRef spot, PriorRedemption winner,
                                 PriorRedemption loser, Instant detectedAt, boolean reportedToDevice) {

    public RedemptionConflict {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(spot, "spot");
        Objects.requireNonNull(winner, "winner");
        Objects.requireNonNull(loser, "loser");
        Objects.requireNonNull(detectedAt, "detectedAt");
    }
}
