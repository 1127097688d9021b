package org.ticketledger.verify.spi;

import java.util.Objects;
import org.ticketledger.verify.ScanRecord;

/** One scan record as kept in the {@link ScanJournal}, with whether the server has it. Immutable. */
public final class JournalEntry {

    private final ScanRecord record;
    private final boolean synced;

    /** Creates an entry. */
    public JournalEntry(ScanRecord record, boolean synced) {
        this.record = Objects.requireNonNull(record, "record");
        this.synced = synced;
    }

    /** The signed scan record. */
    public ScanRecord record() {
        return record;
    }

    /** Whether the server has processed it (online redeem or sync answer). */
    public boolean synced() {
        return synced;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry && ((JournalEntry) o).record.equals(record) && ((JournalEntry) o).synced == synced;
    }

    @Override
    public int hashCode() {
        return record.hashCode() * 31 + (synced ? 1 : 0);
    }

    @Override
    public String toString() {
        return "JournalEntry[" + record.recordId() + (synced ? " synced" : " pending") + "]";
    }
}
