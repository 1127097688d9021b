package org.ticketledger.ledger.internal;

import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Idempotency key to sequence for a journal that keeps its entries in memory: an open-addressing
 * table of two {@code int} arrays (key hash, sequence) instead of a {@code HashMap<String, Entry>}.
 * The keys themselves are not stored: a candidate slot's key is read back from the journal's own
 * entry through {@code keyOf}. Why: with millions of retained entries a HashMap node per entry
 * (32 bytes, one more object for every young collection to copy and trace) and its reference table
 * were a large share of the in-memory journal's GC work; primitive arrays are neither traced nor
 * split into objects. Not thread-safe: callers hold the ledger's lock.
 */
public final class KeyIndex {

    private static final int MAX_SLOTS = 1 << 29;

    private final IntFunction<String> keyOf;
    /**
     * Two ints per slot, side by side so that a probe touches one cache line: the sequence (>= 1;
     * 0 for an empty slot) at {@code 2 * slot} and the spread hash of its key at {@code 2 * slot + 1}.
     */
    private int[] table;
    private int size;

    /** An empty index that resolves a sequence to its entry's key with {@code keyOf}. */
    public KeyIndex(IntFunction<String> keyOf) {
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.table = new int[2 * 1024];
    }

    /** The sequence recorded for {@code key}, or 0 when there is none. */
    public int find(String key) {
        int h = spread(key.hashCode());
        int[] t = table;
        int mask = (t.length >>> 1) - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int seq = t[2 * slot];
            if (seq == 0) {
                return 0;
            }
            if (t[2 * slot + 1] == h && keyOf.apply(seq).equals(key)) {
                return seq;
            }
        }
    }

    /** Records {@code key} for {@code sequence}; the caller has checked that the key is new. */
    public void add(String key, int sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1");
        }
        // Load factor at most 1/2 keeps probe runs short.
        if (2 * (size + 1) > table.length >>> 1) {
            grow();
        }
        insert(table, spread(key.hashCode()), sequence);
        size++;
    }

    /** The number of keys. */
    public int size() {
        return size;
    }

    private void grow() {
        int slots = table.length >>> 1;
        if (slots >= MAX_SLOTS) {
            throw new IllegalStateException("key index is full");
        }
        int[] bigger = new int[4 * slots];
        // Rehashing needs only the stored hashes, never the keys.
        for (int slot = 0; slot < slots; slot++) {
            if (table[2 * slot] != 0) {
                insert(bigger, table[2 * slot + 1], table[2 * slot]);
            }
        }
        table = bigger;
    }

    private static void insert(int[] t, int h, int sequence) {
        int mask = (t.length >>> 1) - 1;
        int slot = h & mask;
        while (t[2 * slot] != 0) {
            slot = (slot + 1) & mask;
        }
        t[2 * slot] = sequence;
        t[2 * slot + 1] = h;
    }

    /**
     * Mixes before masking. Keys such as "e1", "e2", ... or "ledger:hold-expiry:N" have String hash
     * codes in runs; with linear probing HashMap's plain {@code h ^ h >>> 16} made probe runs of
     * thousands of slots for them (measured: average 13-24 probes, worst 11,000 at 8M keys), the
     * golden-ratio multiply keeps the average under one and the worst under 100.
     */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
