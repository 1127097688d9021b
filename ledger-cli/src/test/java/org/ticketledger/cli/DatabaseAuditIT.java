package org.ticketledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.cli.internal.journal.DatabaseReader;
import org.ticketledger.cli.internal.journal.DatabaseTarget;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.ledger.testing.MutableClock;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * The CLI against a real PostgreSQL journal: a 100k-entry journal exports, verifies and replays;
 * rows edited or deleted behind the platform's back (triggers disabled as superuser) are reported at
 * the right sequence; the CLI's connection cannot write; the failures an auditor meets get clear
 * messages and exit codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseAuditIT {

    private static final LedgerId BIG = LedgerId.of("platform-cny");
    private static final int BIG_ENTRIES = 100_000;

    private String url;
    private HikariDataSource pool;
    private PostgresJournal journal;
    private MutableClock clock;
    private Jdbi admin;
    private int ledgers;

    @TempDir
    Path dir;

    @BeforeAll
    void fill() {
        url = PostgresFixture.newDatabaseUrl();
        pool = PostgresFixture.pool(url, 4);
        clock = MutableClock.at("2026-11-26T02:00:00.123456Z");
        // Without the idle flush: tests below damage rows and tails and look at them as the writer left them.
        journal = PostgresJournal.builder().dataSource(pool).clock(clock).idleFlushAfter(java.time.Duration.ZERO).build();
        admin = Jdbi.create(pool);
        SampleJournal.open(journal, BIG);
        SampleJournal.fill(journal, BIG, BIG_ENTRIES, 1000, clock);
    }

    @AfterAll
    void close() {
        journal.close();
        pool.close();
    }

    /** A fresh small ledger in the same database, for tests that damage it. */
    private LedgerId smallLedger() {
        LedgerId l = LedgerId.of("t" + (++ledgers));
        SampleJournal.open(journal, l);
        SampleJournal.fill(journal, l, 200, 50, clock);
        return l;
    }

    /** Runs SQL as the superuser with the append-only triggers switched off, as an attacker with DBA rights could. */
    private void tamper(String sql, Object... args) {
        admin.useTransaction(h -> {
            h.execute("SET LOCAL session_replication_role = replica");
            h.execute(sql, args);
        });
    }

    @Test
    void hundredThousandEntriesExportVerifyAndReplay() throws IOException {
        Path file = dir.resolve("big.jsonl");
        Cli export = Cli.run("export", "--db-url", url, "--ledger", BIG.value(), "--out", file.toString());
        assertThat(export.exitCode()).as(export.toString()).isEqualTo(ExitCode.OK);
        assertThat(export.out()).contains("exported " + BIG_ENTRIES + " entries of 1 ledger(s)");
        assertThat(Files.lines(file, StandardCharsets.UTF_8).filter(l -> l.startsWith("{\"record\":\"entry\"")).count())
                .isEqualTo(BIG_ENTRIES);

        Cli fromFile = Cli.run("verify", "--file", file.toString());
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(ExitCode.OK);
        assertThat(fromFile.out()).contains("entries 1.." + BIG_ENTRIES + " checked", "OK");

        Cli fromDb = Cli.run("verify", "--db-url", url, "--ledger", BIG.value());
        assertThat(fromDb.exitCode()).as(fromDb.toString()).isEqualTo(ExitCode.OK);

        Cli replay = Cli.run("replay", "--db-url", url, "--ledger", BIG.value());
        assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCode.OK);
        assertThat(replay.out()).contains("replayed " + BIG_ENTRIES + " entries", "compared with the database's balance table",
                "all agree");

        Cli asOf = Cli.run("replay", "--db-url", url, "--ledger", BIG.value(), "--as-of", "54321");
        assertThat(asOf.exitCode()).as(asOf.toString()).isEqualTo(ExitCode.OK);
        assertThat(asOf.out()).contains("replayed 54321 entries to sequence 54321", "SQL totals", "all agree");

        Cli fileReplay = Cli.run("replay", "--file", file.toString());
        assertThat(fileReplay.exitCode()).as(fileReplay.toString()).isEqualTo(ExitCode.OK);

        Cli tb = Cli.run("trial-balance", "--db-url", url, "--ledger", BIG.value(), "--format", "csv");
        assertThat(tb.exitCode()).as(tb.toString()).isEqualTo(ExitCode.OK);
        Cli tbFile = Cli.run("trial-balance", "--file", file.toString(), "--format", "csv");
        assertThat(tbFile.out()).isEqualTo(tb.out());
    }

    @Test
    void partialExportChecksTheChainFromItsFirstEntry() {
        LedgerId l = smallLedger();
        Path file = dir.resolve("partial.jsonl");
        Cli export = Cli.run("export", "--db-url", url, "--ledger", l.value(), "--from", "150", "--out", file.toString());
        assertThat(export.exitCode()).as(export.toString()).isEqualTo(ExitCode.OK);
        Cli verify = Cli.run("verify", "--file", file.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCode.OK);
        assertThat(verify.out()).contains("entries 150..200 checked (partial export from entry 150");
    }

    @Test
    void editedPostingIsReportedAtItsSequence() {
        LedgerId l = smallLedger();
        tamper("UPDATE ledger.postings SET amount = amount + 1 WHERE ledger_id = ? AND sequence = 77 AND idx = 0", l.value());
        Cli r = Cli.run("verify", "--db-url", url, "--ledger", l.value());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("first break: sequence 77: HASH_MISMATCH", "first break in ledger " + l + " at sequence 77");
    }

    @Test
    void editedEntryRowIsReportedAtItsSequence() {
        LedgerId l = smallLedger();
        tamper("UPDATE ledger.entries SET type = 'refund' WHERE ledger_id = ? AND sequence = 123", l.value());
        Cli r = Cli.run("verify", "--db-url", url, "--ledger", l.value());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("first break: sequence 123: HASH_MISMATCH");
    }

    @Test
    void deletedEntryIsReportedAsAGap() {
        LedgerId l = smallLedger();
        tamper("DELETE FROM ledger.postings WHERE ledger_id = ? AND sequence = 61", l.value());
        tamper("DELETE FROM ledger.entries WHERE ledger_id = ? AND sequence = 61", l.value());
        Cli r = Cli.run("verify", "--db-url", url, "--ledger", l.value());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("first break: sequence 61: SEQUENCE_GAP: entry 61 is missing (the next entry is 62)");
    }

    @Test
    void editedBalanceRowIsADifferenceForReplay() {
        LedgerId l = smallLedger();
        admin.useHandle(h -> h.execute("UPDATE ledger.balances SET credits_posted = credits_posted + 100"
                + " WHERE ledger_id = ? AND account_code = ?", l.value(), SampleJournal.MARGIN));
        Cli r = Cli.run("replay", "--db-url", url, "--ledger", l.value());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("BALANCE_MISMATCH: account revenue:margin: stored Dr 0.00 Cr 401.00",
                "but the journal gives Dr 0.00 Cr 400.00");
        Cli verify = Cli.run("verify", "--db-url", url, "--ledger", l.value());
        assertThat(verify.exitCode()).isEqualTo(ExitCode.JOURNAL_BROKEN);
    }

    /** Postings of {@code account} after its balance row's last_sequence: the row's tail. */
    private long tail(LedgerId l, String account) {
        return admin.withHandle(h -> h.createQuery("SELECT count(*) FROM ledger.postings p JOIN ledger.balances b"
                        + " ON b.ledger_id = p.ledger_id AND b.account_code = p.account_code"
                        + " WHERE p.ledger_id = :l AND p.account_code = :a AND p.sequence > b.last_sequence")
                .bind("l", l.value())
                .bind("a", account)
                .mapTo(Long.class)
                .one());
    }

    @Test
    void aBalanceRowMovedPastItsTailIsADifferenceForReplay() {
        LedgerId l = smallLedger();
        for (int i = 0; i < 3; i++) {
            assertThat(journal.post(org.ticketledger.ledger.EntryRequest.builder(l, "late-" + i, "margin")
                    .debit(SampleJournal.SETTLEMENT, org.ticketledger.ledger.Money.cny(100))
                    .credit(SampleJournal.MARGIN, org.ticketledger.ledger.Money.cny(100)).build()))
                    .isInstanceOf(org.ticketledger.ledger.PostResult.Posted.class);
        }
        assertThat(tail(l, SampleJournal.MARGIN)).isPositive();
        assertThat(Cli.run("replay", "--db-url", url, "--ledger", l.value()).exitCode()).isEqualTo(ExitCode.OK);
        // The row's totals stay, its last_sequence claims the tail's postings: they drop out of the sum.
        tamper("UPDATE ledger.balances SET last_sequence = 203 WHERE ledger_id = ? AND account_code = ?",
                l.value(), SampleJournal.MARGIN);
        Cli r = Cli.run("replay", "--db-url", url, "--ledger", l.value());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("BALANCE_MISMATCH: account revenue:margin: stored", "but the journal gives Dr 0.00 Cr 403.00");
    }

    /** Tail postings of every balance row of the ledger. */
    private long ledgerTail(LedgerId l) {
        return admin.withHandle(h -> h.createQuery("SELECT count(*) FROM ledger.postings p JOIN ledger.balances b"
                        + " ON b.ledger_id = p.ledger_id AND b.account_code = p.account_code"
                        + " WHERE p.ledger_id = :l AND p.sequence > b.last_sequence")
                .bind("l", l.value())
                .mapTo(Long.class)
                .one());
    }

    @Test
    void rowsTheIdleFlushBroughtUpToDateAgreeWithReplayAndVerify() throws InterruptedException {
        LedgerId l = smallLedger();
        for (int i = 0; i < 3; i++) {
            journal.post(org.ticketledger.ledger.EntryRequest.builder(l, "behind-" + i, "margin")
                    .debit(SampleJournal.SETTLEMENT, org.ticketledger.ledger.Money.cny(100))
                    .credit(SampleJournal.MARGIN, org.ticketledger.ledger.Money.cny(100)).build());
        }
        assertThat(ledgerTail(l)).isPositive();
        try (PostgresJournal flushing = PostgresJournal.builder().dataSource(pool).clock(clock).migrate(false)
                .idleFlushAfter(java.time.Duration.ofMillis(5)).build()) {
            assertThat(flushing.post(org.ticketledger.ledger.EntryRequest.builder(l, "after-quiet", "margin")
                    .debit(SampleJournal.SETTLEMENT, org.ticketledger.ledger.Money.cny(100))
                    .credit(SampleJournal.MARGIN, org.ticketledger.ledger.Money.cny(100)).build()))
                    .isInstanceOf(org.ticketledger.ledger.PostResult.Posted.class);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (ledgerTail(l) > 0) {
                assertThat(System.nanoTime()).as("rows still behind").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        Cli replay = Cli.run("replay", "--db-url", url, "--ledger", l.value());
        assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCode.OK);
        assertThat(replay.out()).contains("all agree");
        Cli verify = Cli.run("verify", "--db-url", url, "--ledger", l.value());
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aBalanceRowWhoseTailHoldsAHoldIsADifferenceForReplay() {
        LedgerId l = smallLedger();
        // Back to the row as the account was opened: the sums of its tail would give the right
        // posted totals, but the tail holds holds, which the writer never leaves behind a row.
        tamper("UPDATE ledger.balances SET last_sequence = 0, debits_posted = 0, credits_posted = 0,"
                + " debits_pending = 0, credits_pending = 0 WHERE ledger_id = ? AND account_code = ?",
                l.value(), SampleJournal.SETTLEMENT);
        Cli r = Cli.run("replay", "--db-url", url, "--ledger", l.value());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).contains("BALANCE_MISMATCH: account platform:alipay:settlement: no stored balance");
    }

    @Test
    void theCliConnectionCannotWrite() throws SQLException {
        try (DatabaseReader reader = DatabaseReader.open(DatabaseTarget.of(url, Optional.empty(), Optional.empty(), Map.of()))) {
            Connection c = reader.connection();
            assertThat(c.isReadOnly()).isTrue();
            try (Statement s = c.createStatement()) {
                var rs = s.executeQuery("SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation')");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
                assertThat(rs.getString(2)).isEqualTo("repeatable read");
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO ledger.ledgers (ledger_id, currency, last_hash)"
                        + " VALUES ('intruder', 'CNY', decode(repeat('00', 32), 'hex'))"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            }
            // A later transaction on the same session is read-only too (default_transaction_read_only).
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                var rs = s.executeQuery("SHOW default_transaction_read_only");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
                assertThatThrownBy(() -> s.executeUpdate("UPDATE ledger.balances SET debits_posted = 0"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            }
        }
    }

    @Test
    void unknownLedgerNamesTheLedgersThere() {
        Cli r = Cli.run("verify", "--db-url", url, "--ledger", "nope");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(r.err()).contains("no ledger nope", "ledgers: platform-cny");
    }

    @Test
    void unreachableDatabaseIsAClearError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli r = Cli.run("verify", "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/journal?user=x&password=secret-x");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.DATABASE);
        assertThat(r.err()).contains("cannot reach the database at jdbc:postgresql://127.0.0.1:" + port)
                .doesNotContain("secret-x");
    }

    @Test
    void missingDatabaseAndNonJournalDatabaseAreClearErrors() {
        String base = url.substring(0, url.lastIndexOf('/'));
        Cli missing = Cli.run("verify", "--db-url", base + "/no_such_db?user=postgres");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.DATABASE);
        assertThat(missing.err()).contains("does not exist");
        Cli empty = Cli.run("verify", "--db-url", PostgresFixture.newDatabaseUrl());
        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(ExitCode.DATABASE);
        assertThat(empty.err()).contains("no TicketLedger journal");
    }

    @Test
    void wrongPasswordIsRefusedAndTheRightOneFromTheEnvironmentWorks() throws Exception {
        admin.useHandle(h -> {
            h.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN"
                    + " CREATE ROLE ledger_auditor LOGIN PASSWORD 'right-secret'; END IF; END $$");
            h.execute("GRANT USAGE ON SCHEMA ledger TO ledger_auditor");
            h.execute("GRANT SELECT ON ALL TABLES IN SCHEMA ledger TO ledger_auditor");
            // Trust is the embedded server's default; demand a password from this role only.
            String hba = h.createQuery("SHOW hba_file").mapTo(String.class).one();
            Path path = Path.of(hba);
            String content = Files.readString(path);
            if (!content.contains("ledger_auditor")) {
                Files.writeString(path, "host all ledger_auditor 127.0.0.1/32 scram-sha-256\n"
                        + "host all ledger_auditor ::1/128 scram-sha-256\n" + content);
            }
            h.createQuery("SELECT pg_reload_conf()").mapTo(Boolean.class).one();
        });
        String bare = url.substring(0, url.indexOf('?'));
        Cli wrong = Cli.run("verify", "--db-url", bare, "--ledger", BIG.value(), "--user", "ledger_auditor",
                "--password", "wrong-secret");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCode.DATABASE);
        assertThat(wrong.err()).contains("authentication failed for user ledger_auditor").doesNotContain("wrong-secret");
        Cli right = Cli.runWithEnv(Map.of("PGUSER", "ledger_auditor", "PGPASSWORD", "right-secret"),
                "verify", "--db-url", bare, "--ledger", "t1", "--quiet");
        assertThat(right.exitCode()).as(right.toString()).isIn(ExitCode.OK, ExitCode.JOURNAL_BROKEN);
        assertThat(right.out()).contains("verify ");
    }
}
