package org.ticketledger.ledger.postgres;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the group-commit writer's time went since the journal was built: the number of batches and
 * entries it wrote and the wall-clock nanoseconds its threads spent in each {@link Phase} of a
 * batch cycle. Summed over writer threads; cheap to collect (a few counter additions per batch),
 * so it is always on. An immutable snapshot; never null fields.
 *
 * @param batches batches written by the writer threads (not {@code postAll} or hold expiry)
 * @param entries requests in those batches, accepted or not
 * @param nanos   wall-clock nanoseconds per phase; every phase is present
 */
public record WriterStatistics(long batches, long entries, Map<Phase, Long> nanos) {

    /** The phases of one batch cycle, in the order a writer goes through them. */
    public enum Phase {
        /** Waiting for the first entry of the next batch (the gap between batches; any idle flush included). */
        IDLE,
        /** Taking the rest of the batch off the queue (and any configured wait for more). */
        DRAIN,
        /** Taking a pooled connection and starting the transaction. */
        BEGIN,
        /** Locking the ledger's head row (the first statement; carries the BEGIN). */
        LOCK,
        /** Reading what the batch needs and judging each entry in the JVM (hashes, balances). */
        JUDGE,
        /** Turning the accepted entries into the write statement's parameters. */
        BUILD,
        /** The one statement that writes entries, postings, balances and the head. */
        EXECUTE,
        /** COMMIT (a durable flush) and giving the connection back. */
        COMMIT,
        /** Completing each caller's future. */
        COMPLETE
    }

    public WriterStatistics {
        if (batches < 0 || entries < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
        Objects.requireNonNull(nanos, "nanos");
        EnumMap<Phase, Long> copy = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            copy.put(p, Objects.requireNonNull(nanos.get(p), () -> "no time for phase " + p));
        }
        nanos = java.util.Collections.unmodifiableMap(copy);
    }
}
