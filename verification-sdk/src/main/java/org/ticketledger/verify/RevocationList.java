package org.ticketledger.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device's copy of the revoked-tickets list at a server version. Updated by applying a
 * {@link RevocationDelta}; entries whose ticket has expired are pruned. Immutable and thread-safe;
 * lookups are a binary search over a sorted {@code long[]}, so checking a ticket allocates nothing.
 */
public final class RevocationList {

    private static final RevocationList EMPTY = new RevocationList(0, Collections.<Revocation>emptyList());

    private final long version;
    private final long[] ticketIds; // ascending
    private final Revocation[] entries; // parallel to ticketIds

    /**
     * Creates a list; a ticket listed twice keeps its last entry. Throws IllegalArgumentException
     * for a negative version.
     */
    public RevocationList(long version, Collection<Revocation> entries) {
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative: " + version);
        }
        this.version = version;
        Map<Long, Revocation> unique = new LinkedHashMap<>();
        for (Revocation r : entries) {
            unique.put(r.ticketId(), r);
        }
        List<Revocation> sorted = new ArrayList<>(unique.values());
        sorted.sort((a, b) -> Long.compare(a.ticketId(), b.ticketId()));
        this.entries = sorted.toArray(new Revocation[0]);
        this.ticketIds = new long[this.entries.length];
        for (int i = 0; i < this.entries.length; i++) {
            ticketIds[i] = this.entries[i].ticketId();
        }
    }

    /** The empty list of version 0 (before the first sync). */
    public static RevocationList empty() {
        return EMPTY;
    }

    /** The server version this list reflects (0 = never fetched). */
    public long version() {
        return version;
    }

    /** Number of entries. */
    public int size() {
        return entries.length;
    }

    /** All entries by ascending ticket id; a new unmodifiable list. */
    public List<Revocation> entries() {
        return Collections.unmodifiableList(Arrays.asList(entries.clone()));
    }

    /** Whether the ticket is revoked (allocation-free). */
    public boolean isRevoked(long ticketId) {
        return Arrays.binarySearch(ticketIds, ticketId) >= 0;
    }

    /** The entry for a ticket, if revoked. */
    public Optional<Revocation> find(long ticketId) {
        int i = Arrays.binarySearch(ticketIds, ticketId);
        return i >= 0 ? Optional.of(entries[i]) : Optional.<Revocation>empty();
    }

    /** Whether {@link #apply} accepts the delta: a full list, or a delta that starts at our version. */
    public boolean canApply(RevocationDelta delta) {
        return delta.full() || delta.since() == version;
    }

    /**
     * The list after the delta: a full list replaces everything, a delta adds entries. Throws
     * IllegalArgumentException when the delta starts at another version (refetch in full then).
     */
    public RevocationList apply(RevocationDelta delta) {
        if (!canApply(delta)) {
            throw new IllegalArgumentException("delta from version " + delta.since() + " does not apply to version " + version);
        }
        if (delta.full()) {
            return new RevocationList(delta.version(), delta.entries());
        }
        List<Revocation> merged = new ArrayList<>(Arrays.asList(entries));
        merged.addAll(delta.entries());
        return new RevocationList(delta.version(), merged);
    }

    /** The list without entries whose ticket expired before {@code cutoff}; this list if none did. */
    public RevocationList pruneExpiredBefore(Instant cutoff) {
        List<Revocation> kept = new ArrayList<>(entries.length);
        for (Revocation r : entries) {
            if (!r.expiresAt().isBefore(cutoff)) {
                kept.add(r);
            }
        }
        return kept.size() == entries.length ? this : new RevocationList(version, kept);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevocationList && ((RevocationList) o).version == version
                && Arrays.equals(((RevocationList) o).entries, entries);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        return "RevocationList[version=" + version + ", size=" + entries.length + "]";
    }
}
