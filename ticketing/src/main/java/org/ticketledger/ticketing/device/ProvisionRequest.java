package org.ticketledger.ticketing.device;

import java.security.interfaces.ECPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A device registering itself with a provisioning token (DEVICE-API.md §4.2).
 *
 * @param provisioningToken the token from the admin's QR code
 * @param devicePublicKey   the device's own P-256 key (on the curve: {@code EcP256.publicKey} checks)
 * @param sdkVersion        the SDK version, if sent
 * @param platform          the device platform, if sent
 */
public record ProvisionRequest(String provisioningToken, ECPublicKey devicePublicKey, Optional<String> sdkVersion,
                               Optional<String> platform) {

    public ProvisionRequest {
        Objects.requireNonNull(provisioningToken, "provisioningToken");
        Objects.requireNonNull(devicePublicKey, "devicePublicKey");
        Objects.requireNonNull(sdkVersion, "sdkVersion");
        Objects.requireNonNull(platform, "platform");
    }

    @Override
    public String toString() {
        return "ProvisionRequest[sdkVersion=" + sdkVersion + ", platform=" + platform + "]";
    }
}
