package org.ticketledger.ticketing.pool;

import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * A spot a product is valid at and its scenic settlement price S there.
 *
 * @param spotId      the scenic spot
 * @param scenicPrice what the spot is paid (before the payout fee) when a ticket is redeemed there
 */
public record SpotPrice(String spotId, Money scenicPrice) {

    public SpotPrice {
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(scenicPrice, "scenicPrice");
    }
}
