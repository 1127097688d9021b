package org.ticketledger.verify;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.List;

/** Issuer key pairs shared by tests (key generation is the slow part). */
final class TestKeys {

    static final KeyPair ISSUER_1 = EcP256.generateKeyPair();
    static final KeyPair ISSUER_2 = EcP256.generateKeyPair();
    static final KeyPair RETIRED = EcP256.generateKeyPair();
    static final KeyPair STRANGER = EcP256.generateKeyPair();

    static final Instant KEYS_FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant KEYS_UNTIL = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant RETIRED_UNTIL = Instant.parse("2026-03-01T00:00:00Z");

    /** Key 1 and 2 active through 2026, key 9 retired on 2026-03-01. */
    static KeySet keySet() {
        return new KeySet(3, List.of(
                new IssuerKey(1, (ECPublicKey) ISSUER_1.getPublic(), KEYS_FROM, KEYS_UNTIL),
                new IssuerKey(2, (ECPublicKey) ISSUER_2.getPublic(), KEYS_FROM, KEYS_UNTIL),
                new IssuerKey(9, (ECPublicKey) RETIRED.getPublic(), Instant.parse("2025-01-01T00:00:00Z"), RETIRED_UNTIL)));
    }

    static TicketPayload.Builder ticket() {
        return TicketPayload.builder()
                .keyId(1)
                .ticketId(4_200_000_001L)
                .productId(77)
                .spotIds(12)
                .validFrom(Instant.parse("2026-05-01T00:00:00Z"))
                .validUntil(Instant.parse("2026-05-02T00:00:00Z"))
                .uses(1);
    }

    private TestKeys() {
    }
}
