package org.ticketledger.ticketing.codes;

import java.time.Duration;
import java.util.Objects;

/**
 * How issuer keys are rotated.
 *
 * @param publishLead how long a new key is published before it signs (TICKET-CODE.md §5: at least
 *                    the devices' maximum offline time, so offline devices know it in time)
 * @param lifetime    how long a key stays valid after it starts signing ({@code notAfter}); rotate
 *                    well within it: a ticket valid beyond its key's {@code notAfter} cannot be minted
 */
public record KeyPolicy(Duration publishLead, Duration lifetime) {

    public KeyPolicy {
        Objects.requireNonNull(publishLead, "publishLead");
        Objects.requireNonNull(lifetime, "lifetime");
        if (publishLead.isNegative()) {
            throw new IllegalArgumentException("publishLead must not be negative");
        }
        if (lifetime.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("lifetime must be at least a day");
        }
    }

    /** 24 h lead, 400 days' lifetime. */
    public static KeyPolicy defaults() {
        return new KeyPolicy(Duration.ofHours(24), Duration.ofDays(400));
    }
}
