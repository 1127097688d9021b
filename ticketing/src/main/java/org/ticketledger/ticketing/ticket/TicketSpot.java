package org.ticketledger.ticketing.ticket;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.Money;

/**
 * A spot a ticket is valid at, and whether it was redeemed there.
 *
 * @param spotId      the spot
 * @param scenicPrice S at that spot
 * @param redeemedAt  when it was redeemed there
 * @param redeemedBy  by which operator or device
 */
public record TicketSpot(String spotId, Money scenicPrice, Optional<Instant> redeemedAt, Optional<String> redeemedBy) {

    public TicketSpot {
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(scenicPrice, "scenicPrice");
        Objects.requireNonNull(redeemedAt, "redeemedAt");
        Objects.requireNonNull(redeemedBy, "redeemedBy");
    }

    public boolean redeemed() {
        return redeemedAt.isPresent();
    }
}
