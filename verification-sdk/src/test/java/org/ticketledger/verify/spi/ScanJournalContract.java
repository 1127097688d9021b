package org.ticketledger.verify.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.ScanRecord;

/** The behaviour every {@link ScanJournal} must have; one subclass per implementation. */
abstract class ScanJournalContract {

    static final DeviceSigner SIGNER = DeviceSigner.software(StateStore.inMemory());

    protected ScanJournal journal;

    protected abstract ScanJournal open();

    @BeforeEach
    void openJournal() {
        journal = open();
    }

    @AfterEach
    void closeJournal() {
        journal.close();
    }

    static ScanRecord record(long ticketId, long sequence) {
        return ScanRecord.builder().recordId(ScanRecord.newRecordId()).deviceId("GATE-1").spotId(12).ticketId(ticketId)
                .code("TL:CODE-" + ticketId).scannedAt(Instant.parse("2026-05-01T10:00:00.123Z").plusSeconds(sequence))
                .clockOffsetMillis(-1500).sequence(sequence).nonce(ScanRecord.newNonce()).sign(SIGNER);
    }

    @Test
    void startsEmpty() {
        assertThat(journal.load()).isEmpty();
        assertThat(journal.damagedFramesSkipped()).isZero();
    }

    @Test
    void returnsAppendedEntriesInOrderWithTheirSyncedFlag() {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        journal.append(new JournalEntry(a, false));
        journal.append(new JournalEntry(b, true));
        assertThat(journal.load()).containsExactly(new JournalEntry(a, false), new JournalEntry(b, true));
    }

    @Test
    void marksRecordsSyncedAndIgnoresUnknownIds() {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        journal.append(new JournalEntry(a, false));
        journal.append(new JournalEntry(b, false));
        journal.markSynced(List.of(b.recordId(), "00000000-0000-4000-8000-000000000000"));
        assertThat(journal.load()).containsExactly(new JournalEntry(a, false), new JournalEntry(b, true));
    }

    @Test
    void keepsRecordsExactlyIncludingTheirSignature() {
        ScanRecord a = record(1, 0);
        journal.append(new JournalEntry(a, false));
        ScanRecord loaded = journal.load().get(0).record();
        assertThat(loaded).isEqualTo(a);
        assertThat(loaded.isSignedBy(SIGNER.publicKey())).isTrue();
    }

    @Test
    void retainDropsOnlyWhatThePredicateRefuses() {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        ScanRecord c = record(3, 2);
        journal.append(new JournalEntry(a, true));
        journal.append(new JournalEntry(b, false));
        journal.append(new JournalEntry(c, true));
        journal.retain(e -> e.record().ticketId() != 1);
        assertThat(journal.load()).containsExactly(new JournalEntry(b, false), new JournalEntry(c, true));
        ScanRecord d = record(4, 3);
        journal.append(new JournalEntry(d, false));
        assertThat(journal.load()).extracting(e -> e.record().ticketId()).containsExactly(2L, 3L, 4L);
    }
}
