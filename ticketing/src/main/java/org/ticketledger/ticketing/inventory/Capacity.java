package org.ticketledger.ticketing.inventory;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Capacity of a product on a visit date (and slot).
 *
 * @param productId the product
 * @param visitDate the date
 * @param slot      the time slot, empty string for the whole day
 * @param capacity  tickets that may be sold
 * @param sold      tickets sold (reserved by orders not failed, minus refunds)
 */
public record Capacity(String productId, LocalDate visitDate, String slot, int capacity, int sold) {

    public Capacity {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(visitDate, "visitDate");
        Objects.requireNonNull(slot, "slot");
    }

    /** Tickets still available (never negative, even if capacity was lowered below sold). */
    public int remaining() {
        return Math.max(0, capacity - sold);
    }
}
