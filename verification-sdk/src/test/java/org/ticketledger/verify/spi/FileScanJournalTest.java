package org.ticketledger.verify.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.verify.ScanRecord;

class FileScanJournalTest extends ScanJournalContract {

    @TempDir
    File dir;

    private File file() {
        return new File(dir, "scans.journal");
    }

    @Override
    protected ScanJournal open() {
        return ScanJournal.file(file());
    }

    private ScanJournal reopen() {
        journal.close();
        journal = open();
        return journal;
    }

    @Test
    void survivesARestart() {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        journal.append(new JournalEntry(a, false));
        journal.append(new JournalEntry(b, false));
        journal.markSynced(List.of(a.recordId()));
        assertThat(reopen().load()).containsExactly(new JournalEntry(a, true), new JournalEntry(b, false));
    }

    @Test
    void cutsATornLastRecordAndKeepsAppendingCleanly() throws IOException {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        journal.append(new JournalEntry(a, false));
        journal.append(new JournalEntry(b, false));
        journal.close();
        long full = file().length();
        for (long cut = 1; cut < 40; cut += 7) { // torn at several points inside the last frame
            try (RandomAccessFile raf = new RandomAccessFile(file(), "rw")) {
                raf.setLength(full - cut);
            }
            journal = open();
            assertThat(journal.load()).as("cut %d", cut).containsExactly(new JournalEntry(a, false));
            assertThat(journal.damagedFramesSkipped()).isZero(); // a torn tail was never acknowledged
            journal.append(new JournalEntry(b, false));
            journal.close();
            full = file().length();
        }
        journal = open();
        ScanRecord c = record(3, 2);
        journal.append(new JournalEntry(c, false));
        assertThat(reopen().load()).extracting(e -> e.record().ticketId()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void skipsADamagedRecordInTheMiddleCountsItAndRewritesTheFileClean() throws IOException {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        ScanRecord c = record(3, 2);
        journal.append(new JournalEntry(a, false));
        long endOfA = file().length();
        journal.append(new JournalEntry(b, false));
        journal.append(new JournalEntry(c, false));
        journal.close();
        try (RandomAccessFile raf = new RandomAccessFile(file(), "rw")) {
            raf.seek(endOfA + 40); // inside b's payload
            int original = raf.read();
            raf.seek(endOfA + 40);
            raf.write(original ^ 0x5A);
        }
        journal = open();
        assertThat(journal.load()).extracting(e -> e.record().ticketId()).containsExactly(1L, 3L);
        assertThat(journal.damagedFramesSkipped()).isEqualTo(1);
        assertThat(reopen().damagedFramesSkipped()).isZero(); // rewritten without the damage
        assertThat(journal.load()).extracting(e -> e.record().ticketId()).containsExactly(1L, 3L);
    }

    @Test
    void recoversFromADamagedFrameHeader() throws IOException {
        ScanRecord a = record(1, 0);
        ScanRecord b = record(2, 1);
        journal.append(new JournalEntry(a, false));
        journal.append(new JournalEntry(b, false));
        journal.close();
        byte[] bytes = Files.readAllBytes(file().toPath());
        bytes[5] = (byte) 0x7F; // a's length field now points far past the end
        Files.write(file().toPath(), bytes);
        journal = open();
        assertThat(journal.load()).extracting(e -> e.record().ticketId()).containsExactly(2L);
        assertThat(journal.damagedFramesSkipped()).isEqualTo(1);
    }

    @Test
    void treatsGarbageFileAsEmptyTail() throws IOException {
        journal.close();
        Files.write(file().toPath(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        journal = open();
        assertThat(journal.load()).isEmpty();
        journal.append(new JournalEntry(record(1, 0), false));
        assertThat(reopen().load()).hasSize(1);
    }

    @Test
    void retainSurvivesARestart() {
        journal.append(new JournalEntry(record(1, 0), true));
        journal.append(new JournalEntry(record(2, 1), false));
        journal.retain(e -> !e.synced());
        assertThat(reopen().load()).extracting(e -> e.record().ticketId()).containsExactly(2L);
        assertThat(new File(dir, "scans.journal.tmp")).doesNotExist();
    }
}
