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

    private static final int MAX_CAPACITY = 1 << 30;

    private final IntFunction<String> keyOf;
    /** Slot -> sequence (>= 1), 0 for an empty slot. */
    private int[] sequences;
    /** Slot -> the spread hash of the key stored there (valid where sequences[slot] != 0). */
    private int[] hashes;
    private int size;

    /** An empty index that resolves a sequence to its entry's key with {@code keyOf}. */
    public KeyIndex(IntFunction<String> keyOf) {
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.sequences = new int[1024];
        this.hashes = new int[1024];
    }

    /** The sequence recorded for {@code key}, or 0 when there is none. */
    public int find(String key) {
        int h = spread(key.hashCode());
        int mask = sequences.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int seq = sequences[slot];
            if (seq == 0) {
                return 0;
            }
            if (hashes[slot] == h && keyOf.apply(seq).equals(key)) {
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
        if (2 * (size + 1) > sequences.length) {
            grow();
        }
        insert(spread(key.hashCode()), sequence, sequences, hashes);
        size++;
    }

    /** The number of keys. */
    public int size() {
        return size;
    }

    private void grow() {
        if (sequences.length >= MAX_CAPACITY) {
            throw new IllegalStateException("key index is full");
        }
        int[] newSequences = new int[sequences.length * 2];
        int[] newHashes = new int[sequences.length * 2];
        // Rehashing needs only the stored hashes, never the keys.
        for (int slot = 0; slot < sequences.length; slot++) {
            if (sequences[slot] != 0) {
                insert(hashes[slot], sequences[slot], newSequences, newHashes);
            }
        }
        sequences = newSequences;
        hashes = newHashes;
    }

    private static void insert(int h, int sequence, int[] sequences, int[] hashes) {
        int mask = sequences.length - 1;
        int slot = h & mask;
        while (sequences[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        sequences[slot] = sequence;
        hashes[slot] = h;
    }

    /** Keys like "e1", "e2", ... differ only in their last characters: mix before masking. */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
