package org.ticketledger.ledger.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Accumulates the wall-clock time group-commit writers spend in each phase of a batch cycle, by
 * phase index (the journal names the phases). A few atomic additions per batch, so it stays on.
 * Thread-safe.
 */
public final class CycleClock {

    private final AtomicLongArray nanos;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();

    /** A clock of {@code phases} phases, numbered from 0. */
    public CycleClock(int phases) {
        if (phases < 3) {
            throw new IllegalArgumentException("need at least three phases");
        }
        this.nanos = new AtomicLongArray(phases);
    }

    /** Adds the time since {@code since} (a {@link System#nanoTime()}) to {@code phase}; returns now. */
    public long lap(int phase, long since) {
        long now = System.nanoTime();
        nanos.addAndGet(phase, now - since);
        return now;
    }

    /** Counts one batch of {@code size} entries. */
    public void batch(int size) {
        batches.incrementAndGet();
        entries.addAndGet(size);
    }

    public int phases() {
        return nanos.length();
    }

    public long nanos(int phase) {
        return nanos.get(phase);
    }

    public long batches() {
        return batches.get();
    }

    public long entries() {
        return entries.get();
    }
}
