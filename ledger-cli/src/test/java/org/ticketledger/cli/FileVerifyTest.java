package org.ticketledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.ledger.InMemoryJournal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.testing.MutableClock;

/** Verify, replay and reports over export files, with the damage an auditor must see. */
class FileVerifyTest {

    static final LedgerId LEDGER = LedgerId.of("platform-cny");

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void export() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-26T02:00:00.123456Z");
        InMemoryJournal journal = InMemoryJournal.withClock(clock);
        SampleJournal.open(journal, LEDGER);
        SampleJournal.fill(journal, LEDGER, 95, 10, clock);
        SampleJournal.expiringHold(journal, LEDGER, clock);
        file = dir.resolve("journal.jsonl");
        try (OutputStream out = Files.newOutputStream(file)) {
            JournalExport.write(journal, Optional.empty(), out);
        }
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws Exception {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** The 1-based line of entry {@code seq}: one ledger line and six account lines come first. */
    static int lineOf(long seq) {
        return 7 + (int) seq;
    }

    @Test
    void soundExportVerifies() {
        Cli r = Cli.run("verify", "--file", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("entries 1..97 checked", ": OK");
    }

    @Test
    void editedAmountIsReportedAtItsSequenceAndLine() throws Exception {
        List<String> lines = lines();
        int at = lineOf(41) - 1;
        lines.set(at, lines.get(at).replace("\"amount\":\"101.01\"", "\"amount\":\"101.02\""));
        write(lines);
        Cli r = Cli.run("verify", "--file", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("first break: sequence 41 (line " + lineOf(41) + "): HASH_MISMATCH");
    }

    @Test
    void deletedEntryIsAGap() throws Exception {
        List<String> lines = lines();
        lines.remove(lineOf(30) - 1);
        write(lines);
        Cli r = Cli.run("verify", "--file", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("first break: sequence 30 (line " + lineOf(30) + "): SEQUENCE_GAP: entry 30 is missing");
    }

    @Test
    void truncatedEndIsAGapBeforeTheHead() throws Exception {
        List<String> lines = lines();
        lines.remove(lineOf(97) - 1);
        lines.remove(lineOf(96) - 1);
        write(lines);
        Cli r = Cli.run("verify", "--file", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("first break: sequence 96: SEQUENCE_GAP: entries 96 to 97 are missing");
    }

    @Test
    void unparseableLineIsNamedWithItsLineNumber() throws Exception {
        List<String> lines = lines();
        int at = lineOf(12) - 1;
        lines.set(at, lines.get(at).substring(0, 40));
        write(lines);
        Cli r = Cli.run("verify", "--file", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.BAD_FILE);
        assertThat(r.out()).contains("line " + lineOf(12) + ":", "where entry 12 of ledger platform-cny is expected");
    }

    @Test
    void replayAgreesWithTheExportedBalances() {
        Cli r = Cli.run("replay", "--file", file.toString(), "--print-balances");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("replayed 97 entries to sequence 97", "all agree", SampleJournal.UNREDEEMED);
    }

    @Test
    void reportsPrintInEveryFormat() {
        Cli table = Cli.run("trial-balance", "--file", file.toString());
        assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.OK);
        assertThat(table.out()).contains("Trial balance", "balanced: yes");
        Cli csv = Cli.run("balances", "--file", file.toString(), "--format", "csv", "--as-of", "20");
        assertThat(csv.exitCode()).as(csv.toString()).isEqualTo(ExitCode.OK);
        assertThat(csv.out()).startsWith("ledger,account,type,debitsPosted");
        Cli json = Cli.run("statement", "--file", file.toString(), "--account", SampleJournal.PAYABLE,
                "--from", "5", "--to", "30", "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.OK);
        assertThat(json.out()).contains("\"report\" : \"Statement\"", "\"openingBalance\"");
        System.out.println(table.out() + csv.out() + json.out());
    }
}
