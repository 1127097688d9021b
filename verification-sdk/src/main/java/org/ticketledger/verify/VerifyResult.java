package org.ticketledger.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a ticket code means at this gate now: {@link Valid}, or one of the {@link Refused} kinds.
 * Every result has a stable {@link #code()} for apps and a {@link #reason()} a gate operator
 * understands ("Already used on 2026-05-01 10:02 at West Lake, device GATE-3").
 *
 * <p>A closed hierarchy: Java 11 has no {@code sealed}, so the constructors of the abstract types
 * are package-private and every leaf is final. Switch on {@link #code()} or use
 * {@code instanceof} on the leaves. Immutable and thread-safe.
 */
public abstract class VerifyResult {

    private final ResultCode code;
    private final String reason;
    private final TicketPayload ticket;

    VerifyResult(ResultCode code, String reason, TicketPayload ticket) {
        this.code = Objects.requireNonNull(code, "code");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.ticket = ticket;
    }

    /** The stable outcome code. */
    public final ResultCode code() {
        return code;
    }

    /** A one-line explanation for the gate operator (English; apps may translate by code). */
    public final String reason() {
        return reason;
    }

    /** The ticket, when the code was genuine enough to name one. */
    public final Optional<TicketPayload> ticket() {
        return Optional.ofNullable(ticket);
    }

    /** Whether the visitor may pass. */
    public final boolean admits() {
        return code.admits();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + ": " + reason + "]";
    }

    /** The code is genuine and valid here and now. */
    public static final class Valid extends VerifyResult {
        private final int remainingUses;

        /** Creates the result; {@code remainingUses} counts this device's knowledge, 1..uses. */
        public Valid(TicketPayload ticket, int remainingUses, String reason) {
            super(ResultCode.VALID, reason, Objects.requireNonNull(ticket, "ticket"));
            if (remainingUses < 1 || remainingUses > ticket.uses()) {
                throw new IllegalArgumentException("remainingUses must be 1.." + ticket.uses());
            }
            this.remainingUses = remainingUses;
        }

        /** Entries left at this spot as far as this device knows, including the one about to happen. */
        public int remainingUses() {
            return remainingUses;
        }
    }

    /** The visitor must not pass; the subclass says why. */
    public abstract static class Refused extends VerifyResult {
        Refused(ResultCode code, String reason, TicketPayload ticket) {
            super(code, reason, ticket);
            if (code.admits()) {
                throw new IllegalArgumentException(code + " is not a refusal");
            }
        }
    }

    /** Not a readable ticket code ({@link ResultCode#INVALID}) or of an unknown format version. */
    public static final class Invalid extends Refused {
        /** {@code code} is INVALID or UNSUPPORTED_VERSION. */
        public Invalid(ResultCode code, String reason) {
            super(code, reason, null);
            if (code != ResultCode.INVALID && code != ResultCode.UNSUPPORTED_VERSION) {
                throw new IllegalArgumentException("Invalid carries INVALID or UNSUPPORTED_VERSION, not " + code);
            }
        }
    }

    /**
     * The signature does not hold: {@link ResultCode#FORGED}, {@link ResultCode#UNKNOWN_KEY} or
     * {@link ResultCode#KEY_EXPIRED}. The payload is not trusted, so no ticket is attached.
     */
    public static final class Forged extends Refused {
        private final OptionalInt keyId;

        /** {@code code} is FORGED, UNKNOWN_KEY or KEY_EXPIRED. */
        public Forged(ResultCode code, OptionalInt keyId, String reason) {
            super(code, reason, null);
            if (code != ResultCode.FORGED && code != ResultCode.UNKNOWN_KEY && code != ResultCode.KEY_EXPIRED) {
                throw new IllegalArgumentException("Forged carries FORGED, UNKNOWN_KEY or KEY_EXPIRED, not " + code);
            }
            this.keyId = Objects.requireNonNull(keyId, "keyId");
        }

        /** The key id the code claims, when it could be read. */
        public OptionalInt keyId() {
            return keyId;
        }
    }

    /** Refunded or cancelled. */
    public static final class Revoked extends Refused {
        private final Optional<Instant> revokedAt;
        private final String revocationReason;

        /** {@code revocationReason} is the server's word (REFUNDED, CANCELLED, ...). */
        public Revoked(TicketPayload ticket, Optional<Instant> revokedAt, String revocationReason, String reason) {
            super(ResultCode.REVOKED, reason, Objects.requireNonNull(ticket, "ticket"));
            this.revokedAt = Objects.requireNonNull(revokedAt, "revokedAt");
            this.revocationReason = Objects.requireNonNull(revocationReason, "revocationReason");
        }

        /** When it was revoked, if known. */
        public Optional<Instant> revokedAt() {
            return revokedAt;
        }

        /** The server's revocation reason word. */
        public String revocationReason() {
            return revocationReason;
        }
    }

    /** Every entry at this spot is used up; {@link #previous()} says when, where and by which device. */
    public static final class AlreadyRedeemed extends Refused {
        private final List<Redemption> previous;

        /** {@code previous} lists earlier redemptions, latest last (may be empty if the server gave none). */
        public AlreadyRedeemed(TicketPayload ticket, List<Redemption> previous, String reason) {
            super(ResultCode.ALREADY_REDEEMED, reason, Objects.requireNonNull(ticket, "ticket"));
            this.previous = Collections.unmodifiableList(new ArrayList<>(previous));
        }

        /** Earlier redemptions, oldest first; unmodifiable. */
        public List<Redemption> previous() {
            return previous;
        }

        /** The latest earlier redemption, if known. */
        public Optional<Redemption> last() {
            return previous.isEmpty() ? Optional.<Redemption>empty() : Optional.of(previous.get(previous.size() - 1));
        }
    }

    /** Scanned before the ticket's valid-from. */
    public static final class NotYetValid extends Refused {
        /** Creates the result. */
        public NotYetValid(TicketPayload ticket, String reason) {
            super(ResultCode.NOT_YET_VALID, reason, Objects.requireNonNull(ticket, "ticket"));
        }

        /** When the ticket becomes valid. */
        public Instant validFrom() {
            return ticket().get().validFrom();
        }
    }

    /** Scanned at or after the ticket's valid-until. */
    public static final class Expired extends Refused {
        /** Creates the result. */
        public Expired(TicketPayload ticket, String reason) {
            super(ResultCode.EXPIRED, reason, Objects.requireNonNull(ticket, "ticket"));
        }

        /** When the ticket expired. */
        public Instant validUntil() {
            return ticket().get().validUntil();
        }
    }

    /** The ticket does not list this device's scenic spot. */
    public static final class WrongSpot extends Refused {
        private final ScenicSpot here;

        /** Creates the result; {@code here} is the device's spot. */
        public WrongSpot(TicketPayload ticket, ScenicSpot here, String reason) {
            super(ResultCode.WRONG_SPOT, reason, Objects.requireNonNull(ticket, "ticket"));
            this.here = Objects.requireNonNull(here, "here");
        }

        /** The spot this device serves. */
        public ScenicSpot here() {
            return here;
        }

        /** The spots the ticket is valid at. */
        public List<Long> validAt() {
            return ticket().get().spotIds();
        }
    }

    /** The device has not synchronised within the maximum offline time (or ever). */
    public static final class OfflineTooLong extends Refused {
        private final Optional<Instant> lastSyncAt;
        private final Duration maxOffline;

        /** Creates the result; {@code lastSyncAt} is empty when the device never synchronised. */
        public OfflineTooLong(Optional<Instant> lastSyncAt, Duration maxOffline, Optional<TicketPayload> ticket,
                String reason) {
            super(ResultCode.OFFLINE_TOO_LONG, reason, ticket.orElse(null));
            this.lastSyncAt = Objects.requireNonNull(lastSyncAt, "lastSyncAt");
            this.maxOffline = Objects.requireNonNull(maxOffline, "maxOffline");
        }

        /** The last successful sync, empty if never. */
        public Optional<Instant> lastSyncAt() {
            return lastSyncAt;
        }

        /** The configured maximum offline time. */
        public Duration maxOffline() {
            return maxOffline;
        }
    }

    /** The device clock went backwards since the last server contact; resync before trusting time. */
    public static final class ClockUntrusted extends Refused {
        /** Creates the result. */
        public ClockUntrusted(Optional<TicketPayload> ticket, String reason) {
            super(ResultCode.CLOCK_UNTRUSTED, reason, ticket.orElse(null));
        }
    }

    /** A server refusal whose code this SDK version does not know ({@link ResultCode#REFUSED}). */
    public static final class Other extends Refused {
        private final String serverCode;

        /** Creates the result with the server's code and message. */
        public Other(String serverCode, Optional<TicketPayload> ticket, String reason) {
            super(ResultCode.REFUSED, reason, ticket.orElse(null));
            this.serverCode = Objects.requireNonNull(serverCode, "serverCode");
        }

        /** The server's outcome code as sent. */
        public String serverCode() {
            return serverCode;
        }
    }
}
