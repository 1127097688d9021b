package org.ticketledger.ticketing.device;

import java.security.interfaces.ECPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated device session: who calls, from which device, bound to which spot.
 *
 * @param sessionId  the session
 * @param deviceId   the device
 * @param operatorId the operator
 * @param spot       the device's spot
 * @param gate       its gate, if any
 * @param deviceKey  the device's registered key (scan records must verify with it)
 */
public record DeviceSession(String sessionId, String deviceId, String operatorId, SpotRef spot, Optional<String> gate,
                            ECPublicKey deviceKey) {

    public DeviceSession {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(spot, "spot");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(deviceKey, "deviceKey");
    }
}
