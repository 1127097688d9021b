package org.ticketledger.ticketing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a ticket code states about its ticket, with both our text ids and the numbers codes carry.
 *
 * @param ticketId       our ticket id
 * @param ticketNumber   the ticket number (decimal digits; the code's ticket id)
 * @param productId      the product
 * @param productVersion the product version
 * @param productNumber  the product's number in codes (1..2^32-1)
 * @param spotIds        the spots it is valid at
 * @param spotNumbers    the same spots' numbers in codes (1..2^32-1), in the same order
 * @param validFrom      start of validity
 * @param validUntil     end of validity (exclusive)
 * @param uses           redemptions allowed per spot
 */
public record TicketClaims(String ticketId, String ticketNumber, String productId, int productVersion, long productNumber,
                           List<String> spotIds, List<Long> spotNumbers, Instant validFrom, Instant validUntil, int uses) {

    public TicketClaims {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(ticketNumber, "ticketNumber");
        Objects.requireNonNull(productId, "productId");
        spotIds = List.copyOf(spotIds);
        spotNumbers = List.copyOf(spotNumbers);
        if (spotIds.size() != spotNumbers.size()) {
            throw new IllegalArgumentException("spotIds and spotNumbers differ in length");
        }
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        if (uses < 1) {
            throw new IllegalArgumentException("uses must be >= 1");
        }
    }
}
