package org.ticketledger.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The issuer's public keys as published by the server under a version: key id → key. The device
 * replaces its whole key set when the server has a newer version. Immutable and thread-safe;
 * lookups are a binary search over a few keys.
 */
public final class KeySet {

    private static final KeySet EMPTY = new KeySet(0, Collections.<IssuerKey>emptyList());

    private final long version;
    private final List<IssuerKey> keys;
    private final int[] ids; // ascending, parallel to sorted
    private final IssuerKey[] sorted;

    /** Creates a key set; throws IllegalArgumentException for a negative version or a repeated key id. */
    public KeySet(long version, Collection<IssuerKey> keys) {
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative: " + version);
        }
        this.version = version;
        List<IssuerKey> list = new ArrayList<>(keys);
        for (IssuerKey k : list) {
            Objects.requireNonNull(k, "key");
        }
        this.keys = Collections.unmodifiableList(new ArrayList<>(list));
        list.sort((a, b) -> Integer.compare(a.keyId(), b.keyId()));
        this.sorted = list.toArray(new IssuerKey[0]);
        this.ids = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ids[i] = sorted[i].keyId();
            if (i > 0 && ids[i] == ids[i - 1]) {
                throw new IllegalArgumentException("key id " + ids[i] + " appears twice");
            }
        }
    }

    /** The empty key set of version 0 (what a device has before its first sync). */
    public static KeySet empty() {
        return EMPTY;
    }

    /** The server's version of this key set (0 = none yet). */
    public long version() {
        return version;
    }

    /** All keys; unmodifiable. */
    public List<IssuerKey> keys() {
        return keys;
    }

    /** The key with this id, if the set has it. */
    public Optional<IssuerKey> key(int keyId) {
        return Optional.ofNullable(find(keyId));
    }

    /** The key with this id or null; for the allocation-free verify path only. */
    IssuerKey find(int keyId) {
        int i = Arrays.binarySearch(ids, keyId);
        return i >= 0 ? sorted[i] : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySet && ((KeySet) o).version == version && ((KeySet) o).keys.equals(keys);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + keys.hashCode();
    }

    @Override
    public String toString() {
        return "KeySet[version=" + version + ", keys=" + keys + "]";
    }
}
