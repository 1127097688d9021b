package org.ticketledger.verify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Builds offline-verification contexts for tests of the judging rules. */
final class VerifyFixture {

    static final ScenicSpot WEST_LAKE = new ScenicSpot(12, "West Lake");
    static final Instant NOON = Instant.parse("2026-05-01T12:00:00Z");

    final OfflineVerifier verifier = new OfflineVerifier(new Reasons(ZoneOffset.UTC));
    final LocalRedemptions local = new LocalRedemptions();
    KeySet keys = TestKeys.keySet();
    RevocationList revocations = new RevocationList(5, List.of());
    ScenicSpot spot = WEST_LAKE;
    Instant now = NOON;
    /** Highest trusted time seen before; null means an hour before {@link #now}. */
    Instant clockFloor;
    /** Last sync; null means an hour before {@link #now}. */
    Optional<Instant> lastSyncAt;
    Duration maxOffline = Duration.ofHours(24);
    Duration leeway = Duration.ofMinutes(2);

    VerifyResult verify(String code) {
        Instant anHourAgo = now.minus(Duration.ofHours(1));
        return verifier.verify(code, new OfflineVerifier.Context(keys, revocations, spot, "GATE-1", Optional.of("North"),
                now, clockFloor != null ? clockFloor : anHourAgo, lastSyncAt != null ? lastSyncAt : Optional.of(anHourAgo),
                maxOffline, leeway, local));
    }

    static String mint(TicketPayload.Builder payload) {
        TicketPayload p = payload.build();
        java.security.PrivateKey key = p.keyId() == 1 ? TestKeys.ISSUER_1.getPrivate()
                : p.keyId() == 2 ? TestKeys.ISSUER_2.getPrivate()
                : p.keyId() == 9 ? TestKeys.RETIRED.getPrivate() : TestKeys.STRANGER.getPrivate();
        return TicketCodec.mint(p, key);
    }
}
