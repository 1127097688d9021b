package org.ticketledger.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A redemption that already happened: when, at which spot, by which device (and gate, if the
 * server knows it). Used to tell an operator where an already used ticket was used. Immutable.
 */
public final class Redemption {

    private final Instant at;
    private final ScenicSpot spot;
    private final String deviceId;
    private final String gate;

    /** Creates a redemption reference; {@code gate} may be empty. */
    public Redemption(Instant at, ScenicSpot spot, String deviceId, Optional<String> gate) {
        this.at = Objects.requireNonNull(at, "at");
        this.spot = Objects.requireNonNull(spot, "spot");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.gate = Objects.requireNonNull(gate, "gate").orElse(null);
    }

    /** When the ticket was redeemed (scan time). */
    public Instant at() {
        return at;
    }

    /** Where. */
    public ScenicSpot spot() {
        return spot;
    }

    /** By which device. */
    public String deviceId() {
        return deviceId;
    }

    /** At which gate, if known. */
    public Optional<String> gate() {
        return Optional.ofNullable(gate);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Redemption)) {
            return false;
        }
        Redemption r = (Redemption) o;
        return at.equals(r.at) && spot.equals(r.spot) && deviceId.equals(r.deviceId) && Objects.equals(gate, r.gate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, spot, deviceId, gate);
    }

    @Override
    public String toString() {
        return "Redemption[" + at + " at " + spot + " by " + deviceId + (gate == null ? "" : " gate " + gate) + "]";
    }
}
