package org.ticketledger.verify;

import java.time.Instant;
import java.util.Objects;

/**
 * One revoked ticket: refunded or cancelled at {@code revokedAt}. {@code expiresAt} is the ticket's
 * own valid-until, after which the entry is useless (the ticket is refused as expired anyway) and
 * devices drop it. Immutable and thread-safe.
 */
public final class Revocation {

    private final long ticketId;
    private final Instant revokedAt;
    private final Instant expiresAt;
    private final String reason;

    /**
     * Creates an entry; {@code reason} is a stable upper-case word such as {@code REFUNDED} or
     * {@code CANCELLED}. Throws IllegalArgumentException for a non-positive ticket id or a blank reason.
     */
    public Revocation(long ticketId, Instant revokedAt, Instant expiresAt, String reason) {
        if (ticketId < 1) {
            throw new IllegalArgumentException("ticketId must be positive: " + ticketId);
        }
        this.ticketId = ticketId;
        this.revokedAt = Objects.requireNonNull(revokedAt, "revokedAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.reason = Objects.requireNonNull(reason, "reason");
        if (reason.trim().isEmpty()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
    }

    /** The revoked ticket. */
    public long ticketId() {
        return ticketId;
    }

    /** When the ticket was revoked (server time). */
    public Instant revokedAt() {
        return revokedAt;
    }

    /** The ticket's valid-until: the entry may be dropped after it. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Why: REFUNDED, CANCELLED, or another stable word from the server. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Revocation)) {
            return false;
        }
        Revocation r = (Revocation) o;
        return ticketId == r.ticketId && revokedAt.equals(r.revokedAt) && expiresAt.equals(r.expiresAt)
                && reason.equals(r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticketId, revokedAt, expiresAt, reason);
    }

    @Override
    public String toString() {
        return "Revocation[" + ticketId + " " + reason + " at " + revokedAt + "]";
    }
}
