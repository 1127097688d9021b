package org.ticketledger.ticketing.codes;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An issuer key as the admin sees it (never the private half).
 *
 * @param keyId     the key id codes carry (0..65535)
 * @param notBefore published from
 * @param signFrom  mints codes from (the newest key whose {@code signFrom} has passed signs)
 * @param notAfter  codes verify until
 * @param removedAt when it was withdrawn from the key set (compromise or expiry)
 * @param signing   whether it is the key that signs new codes now
 */
public record SigningKeyInfo(int keyId, Instant notBefore, Instant signFrom, Instant notAfter, Optional<Instant> removedAt,
                             boolean signing) {

    public SigningKeyInfo {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(signFrom, "signFrom");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(removedAt, "removedAt");
    }
}
