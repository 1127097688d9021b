package org.ticketledger.ticketing.inventory;

import java.time.LocalDate;
import java.util.Optional;
import org.ticketledger.ticketing.Outcome;

/**
 * Capacity management. A product/date/slot without a capacity is unlimited. Orders reserve their
 * quantity when placed; a failed order or a refund gives it back. Thread-safe.
 */
public interface Inventory {

    /**
     * Sets the capacity of a product for a date and slot ({@code ""} for the whole day). Lowering
     * it below what is sold is allowed and just stops further sales.
     */
    Outcome<Capacity> setCapacity(String productId, LocalDate visitDate, String slot, int capacity, String actor);

    /** The capacity record, if one is set. */
    Optional<Capacity> capacity(String productId, LocalDate visitDate, String slot);
}
