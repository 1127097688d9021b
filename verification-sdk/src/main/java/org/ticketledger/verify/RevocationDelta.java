package org.ticketledger.verify;

import java.util.Collections;
import java.util.List;
import java.util.ArrayList;

/**
 * What {@code GET /device/v1/revocations?since=N} returns: either the full list at {@code version}
 * ({@code full}), or the entries added after version {@code since} up to {@code version}.
 * Immutable and thread-safe.
 */
public final class RevocationDelta {

    private final long since;
    private final long version;
    private final boolean full;
    private final List<Revocation> entries;

    /**
     * Creates a delta; throws IllegalArgumentException when {@code version < since} for a delta, or
     * for negative versions.
     */
    public RevocationDelta(long since, long version, boolean full, List<Revocation> entries) {
        if (since < 0 || version < 0) {
            throw new IllegalArgumentException("versions must not be negative");
        }
        if (!full && version < since) {
            throw new IllegalArgumentException("a delta cannot go back from " + since + " to " + version);
        }
        this.since = since;
        this.version = version;
        this.full = full;
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /** The version the delta starts from (ignored when {@link #full}). */
    public long since() {
        return since;
    }

    /** The version the list has after applying this. */
    public long version() {
        return version;
    }

    /** Whether {@link #entries} is the whole list rather than additions. */
    public boolean full() {
        return full;
    }

    /** Entries (added ones for a delta, all for a full list); unmodifiable. */
    public List<Revocation> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return "RevocationDelta[" + (full ? "full" : since + "->") + version + ", " + entries.size() + " entries]";
    }
}
