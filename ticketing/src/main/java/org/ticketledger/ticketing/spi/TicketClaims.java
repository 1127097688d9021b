package org.ticketledger.ticketing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a ticket code states about its ticket.
 *
 * @param ticketId       our ticket id
 * @param ticketNumber   the ticket number
 * @param productId      the product
 * @param productVersion the product version
 * @param spotIds        the spots it is valid at
 * @param validFrom      start of validity
 * @param validUntil     end of validity (exclusive)
 * @param uses           redemptions allowed per spot
 */
public record TicketClaims(String ticketId, String ticketNumber, String productId, int productVersion,
                           List<String> spotIds, Instant validFrom, Instant validUntil, int uses) {

    public TicketClaims {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(ticketNumber, "ticketNumber");
        Objects.requireNonNull(productId, "productId");
        spotIds = List.copyOf(spotIds);
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        if (uses < 1) {
            throw new IllegalArgumentException("uses must be >= 1");
        }
    }
}
