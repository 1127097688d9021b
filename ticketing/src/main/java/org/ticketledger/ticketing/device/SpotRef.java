package org.ticketledger.ticketing.device;

import java.util.Objects;

/**
 * A scenic spot as devices know it.
 *
 * @param spotId our party id of the spot
 * @param number its number in ticket codes and on the device API ({@code spotId} there), 1..2^32-1
 * @param name   its name
 */
public record SpotRef(String spotId, long number, String name) {

    public SpotRef {
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(name, "name");
        if (number < 1 || number > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("spot number out of range: " + number);
        }
    }
}
