package org.ticketledger.ticketing.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A redemption as shown to a gate: when, where, by which device (or operator, for redemptions
 * made without a device) at which gate.
 *
 * @param recordId the scan record, if it was a device scan
 * @param at       scan time (corrected device time) or, for online redeems, server time
 * @param spot     the spot
 * @param deviceId the device, or the operator who redeemed without one
 * @param gate     the device's gate, if any
 */
public record PriorRedemption(Optional<String> recordId, Instant at, SpotRef spot, String deviceId, Optional<String> gate) {

    public PriorRedemption {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(spot, "spot");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(gate, "gate");
    }
}
