package org.ticketledger.ticketing.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A one-time provisioning token, returned once to the admin who created it (only its hash is
 * stored). Show {@link #qrText()} as a QR code; the device app passes the scanned text to
 * {@code VerifierClient.provision}.
 *
 * @param token     the secret ({@code pt-} + 43 base64url characters; QR byte mode, version 4 at level M)
 * @param spot      the spot the device will be bound to
 * @param gate      the gate, if any
 * @param expiresAt unusable from then on
 */
public record ProvisioningToken(String token, SpotRef spot, Optional<String> gate, Instant expiresAt) {

    public ProvisioningToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(spot, "spot");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The text to encode in the QR code: the token itself. */
    public String qrText() {
        return token;
    }

    @Override
    public String toString() {
        return "ProvisioningToken[spot=" + spot + ", gate=" + gate + ", expiresAt=" + expiresAt + "]";
    }
}
