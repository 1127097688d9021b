package org.ticketledger.verify.spi;

import java.io.Closeable;
import java.io.File;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.ticketledger.verify.internal.FileScanJournal;
import org.ticketledger.verify.internal.InMemoryScanJournal;

/**
 * The device's append-only journal of signed scan records: the offline redemption queue that
 * {@code sync()} uploads, and the memory of what this device redeemed (for "already redeemed").
 *
 * <p>Contract: {@link #append} and {@link #markSynced} are durable when they return (a visitor is
 * only admitted offline after the record is on disk). {@link #load} returns the entries in append
 * order with their latest synced flag, skipping damaged data rather than failing. Thread-safe.
 * Failures are thrown as {@link org.ticketledger.verify.UnableToPersistException}.
 */
public interface ScanJournal extends Closeable {

    /** All retained entries in append order. */
    List<JournalEntry> load();

    /** Durably appends a record. */
    void append(JournalEntry entry);

    /** Durably marks records as synced; unknown ids are ignored. */
    void markSynced(Collection<String> recordIds);

    /**
     * Drops entries for which {@code keep} is false (synced records of expired tickets). The default
     * keeps everything; implementations should reclaim space.
     */
    default void retain(Predicate<JournalEntry> keep) {
    }

    /** How many damaged frames {@link #load} had to skip (0 for a healthy journal). */
    default long damagedFramesSkipped() {
        return 0;
    }

    /** Releases files; further calls fail. */
    @Override
    void close();

    /**
     * The default journal: an append-only file with CRC-checked frames, fsync on every write, a
     * torn last frame truncated and damaged frames skipped on open.
     */
    static ScanJournal file(File file) {
        return new FileScanJournal(file);
    }

    /** A journal in memory: nothing survives the process (tests, demos). */
    static ScanJournal inMemory() {
        return new InMemoryScanJournal();
    }
}
