package org.ticketledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ticketledger.cli.internal.audit.Auditor;
import org.ticketledger.cli.internal.audit.Finding;
import org.ticketledger.cli.internal.journal.JsonLinesReader;
import org.ticketledger.cli.internal.journal.Progress;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.InMemoryJournal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.testing.MutableClock;

/**
 * Flipping any single byte of an exported entry line is caught: verify names that line and its
 * entry's sequence, or refuses the line as unreadable at that line number. It never says "ok".
 */
class TamperProperties {

    private static final LedgerId LEDGER = LedgerId.of("platform-cny");
    private static final int ENTRIES = 120;
    /** One ledger line and six account lines come before the entries. */
    private static final int FIRST_ENTRY_LINE = 8;

    private static final byte[] EXPORT = export();
    private static final int[] LINE_STARTS = lineStarts(EXPORT);

    private static byte[] export() {
        MutableClock clock = MutableClock.at("2026-11-26T02:00:00.123456Z");
        InMemoryJournal journal = InMemoryJournal.withClock(clock);
        SampleJournal.open(journal, LEDGER);
        SampleJournal.fill(journal, LEDGER, ENTRIES - 2, 7, clock); // the expiring hold adds two
        SampleJournal.expiringHold(journal, LEDGER, clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JournalExport.write(journal, Optional.empty(), out);
        return out.toByteArray();
    }

    private static int[] lineStarts(byte[] b) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && i + 1 < b.length) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    @Example
    void theUntouchedExportVerifies() {
        Auditor auditor = verify(EXPORT);
        assertThat(auditor.ok()).isTrue();
        assertThat(auditor.entriesRead()).isEqualTo(ENTRIES);
    }

    @Property(tries = 1000)
    void anyFlippedByteOfAnEntryLineIsReportedAtThatLine(@ForAll @IntRange(min = 1, max = ENTRIES) int sequence,
                                                         @ForAll @IntRange(min = 0, max = 100_000) int where,
                                                         @ForAll @IntRange(min = 1, max = 255) int mask) {
        int line = FIRST_ENTRY_LINE + sequence - 1;
        int start = LINE_STARTS[line - 1];
        int length = LINE_STARTS[line] - start; // includes the line end
        flipAndCheck(sequence, line, start + where % length, mask);
    }

    @Example
    void everyBitOfAnEntryLineWithEscapesAndUtf8IsCovered() {
        int sequence = 71; // carries the metadata note with quotes, a backslash, a tab, ESC and CJK text
        int line = FIRST_ENTRY_LINE + sequence - 1;
        String text = new String(EXPORT, LINE_STARTS[line - 1], LINE_STARTS[line] - LINE_STARTS[line - 1], StandardCharsets.UTF_8);
        assertThat(text).contains("\\\"VIP\\\"", "\\\\", "\\u0009", "\\u001b", "景区");
        for (int at = LINE_STARTS[line - 1]; at < LINE_STARTS[line]; at++) {
            for (int bit = 0; bit < 8; bit++) {
                flipAndCheck(sequence, line, at, 1 << bit);
            }
        }
    }

    private static void flipAndCheck(int sequence, int line, int at, int mask) {
        byte[] copy = EXPORT.clone();
        copy[at] ^= (byte) mask;
        String what = "byte " + at + " (line " + line + ", column " + (at - LINE_STARTS[line - 1] + 1) + ") ^ 0x"
                + Integer.toHexString(mask);
        try {
            Auditor auditor = verify(copy);
            assertThat(auditor.ok()).as(what + " went unnoticed").isFalse();
            Finding first = auditor.ledgers().get(0).findings().get(0);
            assertThat(first.sequence()).as(what + ": " + first.describe()).isEqualTo(sequence);
            assertThat(first.line()).as(what + ": " + first.describe()).isEqualTo(line);
        } catch (UnableToReadJournalFileException e) {
            assertThat(e.line()).as(what + ": " + e.getMessage()).isEqualTo(line);
        } catch (RuntimeException e) {
            fail(what + " made verify fail instead of reporting: " + e, e);
        }
    }

    private static Auditor verify(byte[] export) {
        Auditor auditor = new Auditor(AsOf.latest(), false);
        new JsonLinesReader(Progress.NONE).read(new ByteArrayInputStream(export), auditor);
        return auditor;
    }
}
