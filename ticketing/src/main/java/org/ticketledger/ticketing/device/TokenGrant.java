package org.ticketledger.ticketing.device;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Tokens for a session (DEVICE-API.md §4.3/§4.4). The tokens are shown this once; only their
 * hashes are stored.
 *
 * @param accessToken      bearer token for every other endpoint
 * @param accessExpiresIn  its lifetime from now
 * @param refreshToken     the token for {@code refresh} (rotates on every use)
 * @param refreshExpiresIn its lifetime from now
 * @param deviceId         the device
 * @param operator         the operator
 * @param spot             the spot the session is bound to
 * @param gate             the gate, if any
 * @param maxOffline       the platform's maximum offline time ({@code policy.maxOfflineSeconds})
 */
public record TokenGrant(String accessToken, Duration accessExpiresIn, String refreshToken, Duration refreshExpiresIn,
                         String deviceId, OperatorRef operator, SpotRef spot, Optional<String> gate, Duration maxOffline) {

    public TokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessExpiresIn, "accessExpiresIn");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(refreshExpiresIn, "refreshExpiresIn");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(spot, "spot");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(maxOffline, "maxOffline");
    }

    @Override
    public String toString() {
        return "TokenGrant[" + deviceId + ", " + operator + ", " + spot + "]";
    }
}
