package org.ticketledger.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Judges a ticket code on the device alone. The order of checks is part of the contract (TICKET-CODE.md,
 * "Verification"): authenticity first (nothing in an unauthenticated payload is believed), then the
 * clock, then the ticket's own rules, then this device's memory, and last the freshness of the
 * device's revocation data (only a code that would otherwise pass is refused for staleness).
 * Stateless and thread-safe.
 */
final class OfflineVerifier {

    /** Everything a verification looks at, captured once per call. */
    static final class Context {
        final KeySet keys;
        final RevocationList revocations;
        final ScenicSpot spot;
        final String deviceId;
        final Optional<String> gate;
        final Instant now;
        final Instant clockFloor;
        final Optional<Instant> lastSyncAt;
        final Duration maxOffline;
        final Duration leeway;
        final LocalRedemptions local;

        Context(KeySet keys, RevocationList revocations, ScenicSpot spot, String deviceId, Optional<String> gate,
                Instant now, Instant clockFloor, Optional<Instant> lastSyncAt, Duration maxOffline, Duration leeway,
                LocalRedemptions local) {
            this.keys = keys;
            this.revocations = revocations;
            this.spot = spot;
            this.deviceId = deviceId;
            this.gate = gate;
            this.now = now;
            this.clockFloor = clockFloor;
            this.lastSyncAt = lastSyncAt;
            this.maxOffline = maxOffline;
            this.leeway = leeway;
            this.local = local;
        }
    }

    private final Reasons reasons;

    OfflineVerifier(Reasons reasons) {
        this.reasons = reasons;
    }

    VerifyResult verify(String text, Context c) {
        DecodeResult decoded = TicketCodec.decode(text);
        if (decoded instanceof DecodeResult.Malformed) {
            DecodeResult.Malformed m = (DecodeResult.Malformed) decoded;
            return new VerifyResult.Invalid(m.code(), m.code() == ResultCode.UNSUPPORTED_VERSION
                    ? reasons.unsupportedVersion(m.detail()) : reasons.invalid(m.detail()));
        }
        TicketCode code = ((DecodeResult.Decoded) decoded).code();
        TicketPayload t = code.payload();
        if (c.keys.version() == 0 || !c.lastSyncAt.isPresent()) {
            return new VerifyResult.OfflineTooLong(Optional.<Instant>empty(), c.maxOffline, Optional.<TicketPayload>empty(),
                    reasons.offlineTooLong(Optional.<Instant>empty(), c.maxOffline));
        }
        IssuerKey key = c.keys.find(t.keyId());
        if (key == null) {
            return new VerifyResult.Forged(ResultCode.UNKNOWN_KEY, OptionalInt.of(t.keyId()),
                    reasons.unknownKey(OptionalInt.of(t.keyId())));
        }
        if (!code.isSignedBy(key.publicKey())) {
            return new VerifyResult.Forged(ResultCode.FORGED, OptionalInt.of(t.keyId()), reasons.forged());
        }
        // From here on the payload is authentic.
        if (c.now.isBefore(c.clockFloor.minus(c.leeway))) {
            return new VerifyResult.ClockUntrusted(Optional.of(t), reasons.clockUntrusted());
        }
        if (!key.isActiveAt(c.now, c.leeway)) {
            return new VerifyResult.Forged(ResultCode.KEY_EXPIRED, OptionalInt.of(t.keyId()),
                    reasons.keyExpired(OptionalInt.of(t.keyId())));
        }
        Optional<Revocation> revocation = c.revocations.isRevoked(t.ticketId())
                ? c.revocations.find(t.ticketId()) : Optional.<Revocation>empty();
        if (revocation.isPresent()) {
            Revocation r = revocation.get();
            return new VerifyResult.Revoked(t, Optional.of(r.revokedAt()), r.reason(),
                    reasons.revoked(Optional.of(r.revokedAt()), r.reason()));
        }
        if (!t.isValidAt(c.spot.id())) {
            return new VerifyResult.WrongSpot(t, c.spot, reasons.wrongSpot(t, c.spot));
        }
        if (c.now.isBefore(t.validFrom().minus(c.leeway))) {
            return new VerifyResult.NotYetValid(t, reasons.notYetValid(t));
        }
        if (!c.now.isBefore(t.validUntil().plus(c.leeway))) {
            return new VerifyResult.Expired(t, reasons.expired(t));
        }
        List<ScanRecord> used = c.local.at(t.ticketId(), c.spot.id());
        if (used.size() >= t.uses()) {
            List<Redemption> previous = new ArrayList<>(used.size());
            for (ScanRecord r : used) {
                previous.add(new Redemption(r.scannedAt(), c.spot, r.deviceId(), c.gate));
            }
            return new VerifyResult.AlreadyRedeemed(t, previous, reasons.alreadyRedeemed(t, previous));
        }
        if (Duration.between(c.lastSyncAt.get(), c.now).compareTo(c.maxOffline) > 0) {
            return new VerifyResult.OfflineTooLong(c.lastSyncAt, c.maxOffline, Optional.of(t),
                    reasons.offlineTooLong(c.lastSyncAt, c.maxOffline));
        }
        int remaining = t.uses() - used.size();
        return new VerifyResult.Valid(t, remaining, reasons.valid(t, remaining));
    }
}
