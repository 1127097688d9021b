package org.ticketledger.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The logged-in state of the device: which device, bound to which scenic spot, which operator, and
 * until when the access token lasts. Tokens themselves are never exposed. Immutable.
 */
public final class DeviceSession {

    private final String deviceId;
    private final ScenicSpot spot;
    private final String gate;
    private final Operator operator;
    private final Instant accessTokenExpiresAt;

    /** Creates a session view; {@code gate} may be empty. */
    public DeviceSession(String deviceId, ScenicSpot spot, Optional<String> gate, Operator operator,
            Instant accessTokenExpiresAt) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.spot = Objects.requireNonNull(spot, "spot");
        this.gate = Objects.requireNonNull(gate, "gate").orElse(null);
        this.operator = Objects.requireNonNull(operator, "operator");
        this.accessTokenExpiresAt = Objects.requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt");
    }

    /** The server-assigned device id. */
    public String deviceId() {
        return deviceId;
    }

    /** The scenic spot the device is bound to. */
    public ScenicSpot spot() {
        return spot;
    }

    /** The gate, if the device was provisioned for one. */
    public Optional<String> gate() {
        return Optional.ofNullable(gate);
    }

    /** The logged-in operator. */
    public Operator operator() {
        return operator;
    }

    /** When the current access token expires (trusted device time); the SDK refreshes before. */
    public Instant accessTokenExpiresAt() {
        return accessTokenExpiresAt;
    }

    @Override
    public String toString() {
        return "DeviceSession[" + deviceId + " at " + spot + ", " + operator + "]";
    }
}
