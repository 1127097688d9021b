package org.ticketledger.ticketing.device;

import java.security.interfaces.ECPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator logging in on a device (DEVICE-API.md §4.3): exactly one of password and PIN.
 *
 * @param deviceId         the device
 * @param deviceCredential its credential from provisioning
 * @param username         the operator
 * @param password         the password, or
 * @param pin              the PIN
 * @param devicePublicKey  the device's key (must equal the registered one)
 * @param sdkVersion       the SDK version, if sent
 */
public record LoginRequest(String deviceId, String deviceCredential, String username, Optional<String> password,
                           Optional<String> pin, ECPublicKey devicePublicKey, Optional<String> sdkVersion) {

    public LoginRequest {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceCredential, "deviceCredential");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(devicePublicKey, "devicePublicKey");
        Objects.requireNonNull(sdkVersion, "sdkVersion");
        if (password.isPresent() == pin.isPresent()) {
            throw new IllegalArgumentException("exactly one of password and pin");
        }
    }

    @Override
    public String toString() {
        return "LoginRequest[" + deviceId + ", " + username + (pin.isPresent() ? ", pin" : ", password") + "]";
    }
}
