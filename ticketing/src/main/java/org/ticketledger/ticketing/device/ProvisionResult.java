package org.ticketledger.ticketing.device;

import java.util.Objects;
import java.util.Optional;

/** What became of a provisioning. */
public sealed interface ProvisionResult {

    /**
     * The device is registered; {@code deviceCredential} is shown this once (only its hash is kept).
     */
    record Provisioned(String deviceId, String deviceCredential, SpotRef spot, Optional<String> gate) implements ProvisionResult {
        public Provisioned {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(deviceCredential, "deviceCredential");
            Objects.requireNonNull(spot, "spot");
            Objects.requireNonNull(gate, "gate");
        }

        @Override
        public String toString() {
            return "Provisioned[" + deviceId + " at " + spot + "]";
        }
    }

    /** Refused ({@link DeviceError#PROVISIONING_TOKEN_INVALID}); nothing registered. */
    record Refused(DeviceError error, String detail) implements ProvisionResult {
        public Refused {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
