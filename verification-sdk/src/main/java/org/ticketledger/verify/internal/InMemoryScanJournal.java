package org.ticketledger.verify.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.ticketledger.verify.spi.JournalEntry;
import org.ticketledger.verify.spi.ScanJournal;

/** A {@link ScanJournal} in memory; nothing survives the process. Not API. Thread-safe. */
public final class InMemoryScanJournal implements ScanJournal {

    private final Map<String, JournalEntry> entries = new LinkedHashMap<>();
    private boolean closed;

    @Override
    public synchronized List<JournalEntry> load() {
        checkOpen();
        return new ArrayList<>(entries.values());
    }

    @Override
    public synchronized void append(JournalEntry entry) {
        checkOpen();
        entries.put(entry.record().recordId(), entry);
    }

    @Override
    public synchronized void markSynced(Collection<String> recordIds) {
        checkOpen();
        for (String id : recordIds) {
            JournalEntry e = entries.get(id);
            if (e != null) {
                entries.put(id, new JournalEntry(e.record(), true));
            }
        }
    }

    @Override
    public synchronized void retain(Predicate<JournalEntry> keep) {
        checkOpen();
        entries.values().removeIf(keep.negate());
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal is closed");
        }
    }
}
