package org.ticketledger.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far the device clock is from server time, as last measured. The SDK corrects its own notion
 * of "now" by {@link #offset()}; {@link #skewed()} says the raw device clock is off by more than
 * the tolerance (worth fixing in the device settings). Immutable.
 */
public final class ClockStatus {

    private final Duration offset;
    private final boolean skewed;
    private final Instant lastServerTime;

    /** Creates a status; {@code lastServerTime} is empty before any server contact. */
    public ClockStatus(Duration offset, boolean skewed, Optional<Instant> lastServerTime) {
        this.offset = Objects.requireNonNull(offset, "offset");
        this.skewed = skewed;
        this.lastServerTime = Objects.requireNonNull(lastServerTime, "lastServerTime").orElse(null);
    }

    /** Server time minus device time (positive: the device clock is behind). */
    public Duration offset() {
        return offset;
    }

    /** Whether |offset| exceeds the configured clock-skew tolerance. */
    public boolean skewed() {
        return skewed;
    }

    /** Server time at the last contact, if any. */
    public Optional<Instant> lastServerTime() {
        return Optional.ofNullable(lastServerTime);
    }

    @Override
    public String toString() {
        return "ClockStatus[offset=" + offset + (skewed ? ", SKEWED" : "") + "]";
    }
}
