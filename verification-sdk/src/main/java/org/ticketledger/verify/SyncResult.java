package org.ticketledger.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link VerifierClient#sync} achieved: how many queued scan records the server took, which
 * of them lost to an earlier scan elsewhere (conflicts) or were rejected, how many remain queued,
 * and the key-set and revocation versions now held. Immutable.
 */
public final class SyncResult {

    private final int uploaded;
    private final int recorded;
    private final int duplicates;
    private final List<Conflict> conflicts;
    private final List<Rejection> rejections;
    private final int stillQueued;
    private final long keySetVersion;
    private final long revocationVersion;
    private final Instant syncedAt;

    /** Creates a result; counts must not be negative. */
    public SyncResult(int uploaded, int recorded, int duplicates, List<Conflict> conflicts, List<Rejection> rejections,
            int stillQueued, long keySetVersion, long revocationVersion, Instant syncedAt) {
        if (uploaded < 0 || recorded < 0 || duplicates < 0 || stillQueued < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        this.uploaded = uploaded;
        this.recorded = recorded;
        this.duplicates = duplicates;
        this.conflicts = Collections.unmodifiableList(new ArrayList<>(conflicts));
        this.rejections = Collections.unmodifiableList(new ArrayList<>(rejections));
        this.stillQueued = stillQueued;
        this.keySetVersion = keySetVersion;
        this.revocationVersion = revocationVersion;
        this.syncedAt = Objects.requireNonNull(syncedAt, "syncedAt");
    }

    /** Records sent to the server in this sync. */
    public int uploaded() {
        return uploaded;
    }

    /** Records the server recorded as redemptions. */
    public int recorded() {
        return recorded;
    }

    /** Records the server already had (e.g. an online redeem whose answer was lost). */
    public int duplicates() {
        return duplicates;
    }

    /** Records that lost to an earlier redemption of the same ticket; unmodifiable. */
    public List<Conflict> conflicts() {
        return conflicts;
    }

    /** Records the server refused to record; unmodifiable. */
    public List<Rejection> rejections() {
        return rejections;
    }

    /** Records still waiting for upload after this sync. */
    public int stillQueued() {
        return stillQueued;
    }

    /** The key-set version held after the sync. */
    public long keySetVersion() {
        return keySetVersion;
    }

    /** The revocation-list version held after the sync. */
    public long revocationVersion() {
        return revocationVersion;
    }

    /** When the sync completed (trusted device time). */
    public Instant syncedAt() {
        return syncedAt;
    }

    @Override
    public String toString() {
        return "SyncResult[uploaded=" + uploaded + ", recorded=" + recorded + ", duplicates=" + duplicates
                + ", conflicts=" + conflicts.size() + ", rejections=" + rejections.size() + ", stillQueued="
                + stillQueued + ", keys v" + keySetVersion + ", revocations v" + revocationVersion + "]";
    }

    /**
     * A queued offline redemption that the server recorded but that lost to an earlier redemption of
     * the same ticket (the earliest scan wins single-use tickets). Immutable.
     */
    public static final class Conflict {
        private final String recordId;
        private final long ticketId;
        private final Instant scannedAt;
        private final Redemption winner;
        private final String message;

        /** Creates a conflict; {@code winner} is empty when the server did not say. */
        public Conflict(String recordId, long ticketId, Instant scannedAt, Optional<Redemption> winner, String message) {
            this.recordId = Objects.requireNonNull(recordId, "recordId");
            this.ticketId = ticketId;
            this.scannedAt = Objects.requireNonNull(scannedAt, "scannedAt");
            this.winner = Objects.requireNonNull(winner, "winner").orElse(null);
            this.message = Objects.requireNonNull(message, "message");
        }

        /** The losing record (this device's). */
        public String recordId() {
            return recordId;
        }

        /** The ticket. */
        public long ticketId() {
            return ticketId;
        }

        /** When this device scanned it. */
        public Instant scannedAt() {
            return scannedAt;
        }

        /** The redemption that won, when the server said. */
        public Optional<Redemption> winner() {
            return Optional.ofNullable(winner);
        }

        /** The server's message. */
        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return "Conflict[" + recordId + " ticket " + ticketId + " lost to " + winner + "]";
        }
    }

    /** A queued record the server would not record (bad device signature, malformed, ...). Immutable. */
    public static final class Rejection {
        private final String recordId;
        private final long ticketId;
        private final String code;
        private final String message;

        /** Creates a rejection with the server's stable code. */
        public Rejection(String recordId, long ticketId, String code, String message) {
            this.recordId = Objects.requireNonNull(recordId, "recordId");
            this.ticketId = ticketId;
            this.code = Objects.requireNonNull(code, "code");
            this.message = Objects.requireNonNull(message, "message");
        }

        /** The rejected record. */
        public String recordId() {
            return recordId;
        }

        /** The ticket. */
        public long ticketId() {
            return ticketId;
        }

        /** The server's stable rejection code (see DEVICE-API.md). */
        public String code() {
            return code;
        }

        /** The server's message. */
        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return "Rejection[" + recordId + " " + code + "]";
        }
    }
}
