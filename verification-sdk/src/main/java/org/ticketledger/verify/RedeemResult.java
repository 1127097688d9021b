package org.ticketledger.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of {@link VerifierClient#redeem}: {@link Redeemed} (admit; recorded online or queued
 * offline) or {@link Refused} (do not admit; the refusal says why). Closed hierarchy (see
 * {@link VerifyResult}). Immutable and thread-safe.
 */
public abstract class RedeemResult {

    /** Whether the server decided (ONLINE) or the device decided and queued the record (OFFLINE). */
    public enum Mode {
        /** Decided by the server. */
        ONLINE,
        /** Decided by this device without the server; the record is synced later. */
        OFFLINE
    }

    private final Mode mode;

    RedeemResult(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Who decided. */
    public final Mode mode() {
        return mode;
    }

    /** The stable outcome code: REDEEMED or the refusal's code. */
    public abstract ResultCode code();

    /** A one-line explanation for the gate operator. */
    public abstract String reason();

    /** The ticket, when known. */
    public abstract Optional<TicketPayload> ticket();

    /** Whether the visitor may pass. */
    public final boolean admits() {
        return code().admits();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + mode + " " + code() + ": " + reason() + "]";
    }

    /** Admitted: the redemption is recorded by the server (ONLINE) or durably queued (OFFLINE). */
    public static final class Redeemed extends RedeemResult {
        private final TicketPayload ticket;
        private final String recordId;
        private final Instant redeemedAt;
        private final OptionalInt remainingUses;
        private final String reason;

        /** Creates the result; {@code remainingUses} is empty when the server did not say. */
        public Redeemed(Mode mode, TicketPayload ticket, String recordId, Instant redeemedAt,
                OptionalInt remainingUses, String reason) {
            super(mode);
            this.ticket = Objects.requireNonNull(ticket, "ticket");
            this.recordId = Objects.requireNonNull(recordId, "recordId");
            this.redeemedAt = Objects.requireNonNull(redeemedAt, "redeemedAt");
            this.remainingUses = Objects.requireNonNull(remainingUses, "remainingUses");
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        @Override
        public ResultCode code() {
            return ResultCode.REDEEMED;
        }

        @Override
        public String reason() {
            return reason;
        }

        @Override
        public Optional<TicketPayload> ticket() {
            return Optional.of(ticket);
        }

        /** The scan record id (the device request id / idempotency key of this redemption). */
        public String recordId() {
            return recordId;
        }

        /** When it was redeemed (server time online; corrected device time offline). */
        public Instant redeemedAt() {
            return redeemedAt;
        }

        /** Entries left at this spot after this one, when known. */
        public OptionalInt remainingUses() {
            return remainingUses;
        }
    }

    /** Not admitted; {@link #refusal()} carries the details (when, where, why). */
    public static final class Refused extends RedeemResult {
        private final VerifyResult.Refused refusal;

        /** Creates the result. */
        public Refused(Mode mode, VerifyResult.Refused refusal) {
            super(mode);
            this.refusal = Objects.requireNonNull(refusal, "refusal");
        }

        /** Why: the same refusal kinds {@link VerifierClient#verify} returns. */
        public VerifyResult.Refused refusal() {
            return refusal;
        }

        @Override
        public ResultCode code() {
            return refusal.code();
        }

        @Override
        public String reason() {
            return refusal.reason();
        }

        @Override
        public Optional<TicketPayload> ticket() {
            return refusal.ticket();
        }
    }
}
