package org.ticketledger.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link VerifierClient#provision}: {@link Provisioned} (the device now has an id, a
 * credential and a scenic spot) or {@link Refused} (unknown, used or expired provisioning token).
 * Closed hierarchy. Immutable.
 */
public abstract class ProvisionResult {

    ProvisionResult() {
    }

    /** The device is registered; its credential and key are stored locally. */
    public static final class Provisioned extends ProvisionResult {
        private final String deviceId;
        private final ScenicSpot spot;
        private final String gate;

        /** Creates the result; {@code gate} may be empty. */
        public Provisioned(String deviceId, ScenicSpot spot, Optional<String> gate) {
            this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
            this.spot = Objects.requireNonNull(spot, "spot");
            this.gate = Objects.requireNonNull(gate, "gate").orElse(null);
        }

        /** The server-assigned device id. */
        public String deviceId() {
            return deviceId;
        }

        /** The scenic spot the device serves. */
        public ScenicSpot spot() {
            return spot;
        }

        /** The gate, if any. */
        public Optional<String> gate() {
            return Optional.ofNullable(gate);
        }

        @Override
        public String toString() {
            return "Provisioned[" + deviceId + " at " + spot + "]";
        }
    }

    /** The server refused the provisioning token. */
    public static final class Refused extends ProvisionResult {
        private final String problemCode;
        private final String detail;

        /** Creates the result. */
        public Refused(String problemCode, String detail) {
            this.problemCode = Objects.requireNonNull(problemCode, "problemCode");
            this.detail = Objects.requireNonNull(detail, "detail");
        }

        /** The stable problem code, e.g. {@code provisioning-token-invalid}. */
        public String problemCode() {
            return problemCode;
        }

        /** The server's detail. */
        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return "Refused[" + problemCode + ": " + detail + "]";
        }
    }
}
