package org.ticketledger.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.ledger.UnableToAccessJournalException;
import org.ticketledger.ledger.VerificationReport;
import org.ticketledger.ledger.VerificationReport.ProblemKind;
import org.ticketledger.ledger.testing.PostgresFixture;

/** What only the database can show: append-only tables, tamper detection, several writers, restarts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJournalStorageTest {

    private String url;
    private HikariDataSource dataSource;
    private PostgresJournal journal;
    private Jdbi admin;
    private int ledgers;

    @BeforeAll
    void open() {
        url = PostgresFixture.newDatabaseUrl();
        dataSource = PostgresFixture.pool(url, 8);
        journal = PostgresJournal.builder().dataSource(dataSource).build();
        admin = Jdbi.create(dataSource);
    }

    @AfterAll
    void close() {
        journal.close();
        dataSource.close();
    }

    private LedgerId ledgerWithEntries(int n) {
        LedgerId l = LedgerId.of("s" + (++ledgers));
        journal.createLedger(l, Money.CNY);
        journal.openAccount(Account.of(l, "cash", AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
        journal.openAccount(Account.of(l, "sales", AccountType.REVENUE, BalancePolicy.NONE));
        for (int i = 1; i <= n; i++) {
            journal.post(EntryRequest.builder(l, "e" + i, "sale").debit("cash", Money.cny(100 * i)).credit("sales", Money.cny(100 * i)).build());
        }
        return l;
    }

    /** Tampering needs the triggers out of the way: what a superuser with bad intent would do. */
    private void tamper(String sql, Object... args) {
        admin.useHandle(h -> {
            h.begin();
            h.execute("SET LOCAL session_replication_role = replica");
            h.execute(sql, args);
            h.commit();
        });
    }

    @Test
    void theWriterCacheForgetsAccountsPastItsLimitAndJudgesTheSame() {
        try (PostgresJournal small = PostgresJournal.builder().dataSource(dataSource).writerCacheAccounts(4).build()) {
            LedgerId l = LedgerId.of("s" + (++ledgers));
            small.createLedger(l, Money.CNY);
            small.openAccount(Account.of(l, "cash", AccountType.ASSET, BalancePolicy.NONE));
            for (int a = 0; a < 12; a++) {
                // Each can pay out no more than it took in: a forgotten or stale total would let an
                // overdraft through or refuse a payment that fits.
                small.openAccount(Account.of(l, "party:" + a, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            }
            long[] held = new long[12];
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 400; i++) {
                int a = random.nextInt(12);
                long amount = 1 + random.nextInt(500);
                boolean payIn = random.nextInt(3) > 0;
                EntryRequest.Builder b = EntryRequest.builder(l, "k" + i, payIn ? "in" : "out");
                EntryRequest r = payIn
                        ? b.debit("cash", Money.cny(amount)).credit("party:" + a, Money.cny(amount)).build()
                        : b.debit("party:" + a, Money.cny(amount)).credit("cash", Money.cny(amount)).build();
                PostResult result = small.post(r);
                if (payIn || held[a] >= amount) {
                    assertThat(result).as("entry %d", i).isInstanceOf(PostResult.Posted.class);
                    held[a] += payIn ? amount : -amount;
                } else {
                    assertThat(result).as("entry %d", i).isInstanceOfSatisfying(PostResult.Rejected.class,
                            rej -> assertThat(rej.reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE));
                }
                assertThat(small.writerCacheSize(l)).isLessThanOrEqualTo(4);
            }
            for (int a = 0; a < 12; a++) {
                assertThat(small.balance(l, AccountCode.of("party:" + a), AsOf.latest()).orElseThrow().posted())
                        .isEqualTo(Money.cny(held[a]));
            }
            assertThat(small.verify(l).problems()).isEmpty();
        }
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletesOfJournalRows() {
        LedgerId l = ledgerWithEntries(2);
        assertThatThrownBy(() -> admin.useHandle(h -> h.execute("UPDATE ledger.postings SET amount = 1 WHERE ledger_id = ?", l.value())))
                .hasMessageContaining("table postings is append-only: UPDATE refused");
        assertThatThrownBy(() -> admin.useHandle(h -> h.execute("DELETE FROM ledger.postings WHERE ledger_id = ?", l.value())))
                .hasMessageContaining("table postings is append-only: DELETE refused");
        assertThatThrownBy(() -> admin.useHandle(h -> h.execute("UPDATE ledger.entries SET metadata = '{\"x\":\"y\"}'::jsonb WHERE ledger_id = ?", l.value())))
                .hasMessageContaining("table entries is append-only: UPDATE refused");
        assertThatThrownBy(() -> admin.useHandle(h -> h.execute("DELETE FROM ledger.entries WHERE ledger_id = ?", l.value())))
                .hasMessageContaining("table entries is append-only: DELETE refused");
        assertThatThrownBy(() -> admin.useHandle(h -> h.execute("UPDATE ledger.accounts SET policy = 'NONE' WHERE ledger_id = ?", l.value())))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> admin.useHandle(h -> h.execute("TRUNCATE ledger.postings CASCADE")))
                .hasMessageContaining("append-only");
        assertThat(journal.verify(l).ok()).isTrue();
    }

    @Test
    void anEditedPostingIsReportedAtItsSequence() {
        LedgerId l = ledgerWithEntries(5);
        tamper("UPDATE ledger.postings SET amount = amount + 1 WHERE ledger_id = ? AND sequence = 3", l.value());
        VerificationReport report = journal.verify(l);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstProblem()).hasValueSatisfying(p -> {
            assertThat(p.sequence()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(ProblemKind.HASH_MISMATCH);
        });
    }

    @Test
    void anEditedEntryFieldIsReportedAtItsSequence() {
        LedgerId l = ledgerWithEntries(4);
        tamper("UPDATE ledger.entries SET metadata = '{\"x\":\"y\"}'::jsonb WHERE ledger_id = ? AND sequence = 2", l.value());
        assertThat(journal.verify(l).firstProblem()).hasValueSatisfying(p -> {
            assertThat(p.sequence()).isEqualTo(2);
            assertThat(p.kind()).isEqualTo(ProblemKind.HASH_MISMATCH);
        });
    }

    @Test
    void aDeletedEntryIsReportedAsAGap() {
        LedgerId l = ledgerWithEntries(5);
        tamper("DELETE FROM ledger.postings WHERE ledger_id = ? AND sequence = 2", l.value());
        tamper("DELETE FROM ledger.entries WHERE ledger_id = ? AND sequence = 2", l.value());
        VerificationReport report = journal.verify(l);
        assertThat(report.firstProblem()).hasValueSatisfying(p -> {
            assertThat(p.sequence()).isEqualTo(3);
            assertThat(p.kind()).isEqualTo(ProblemKind.SEQUENCE_GAP);
            assertThat(p.detail()).contains("entry 2 is missing");
        });
        // No BALANCE_MISMATCH: the balance rows lag (five postings are below the flush bound), and
        // their tails are read from the postings that remain, so they agree with the replay; the
        // sequence and the hash chain are what catch a deleted entry.
        assertThat(report.problems()).extracting(VerificationReport.Problem::kind)
                .containsExactly(ProblemKind.SEQUENCE_GAP, ProblemKind.CHAIN_BROKEN);
    }

    @Test
    void postingsLeftBehindByADeletedEntryAreReported() {
        LedgerId l = ledgerWithEntries(3);
        tamper("DELETE FROM ledger.entries WHERE ledger_id = ? AND sequence = 3", l.value());
        tamper("UPDATE ledger.ledgers SET last_sequence = 2, last_hash = (SELECT hash FROM ledger.entries"
                + " WHERE ledger_id = ? AND sequence = 2) WHERE ledger_id = ?", l.value(), l.value());
        VerificationReport report = journal.verify(l);
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.BAD_REFERENCE);
            assertThat(p.sequence()).isEqualTo(3);
            assertThat(p.detail()).contains("entry does not");
        });
    }

    @Test
    void aPostingToAnAccountThatIsNotOpenIsReported() {
        LedgerId l = ledgerWithEntries(2);
        tamper("UPDATE ledger.postings SET account_code = 'ghost' WHERE ledger_id = ? AND sequence = 2 AND idx = 1", l.value());
        VerificationReport report = journal.verify(l);
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.sequence()).isEqualTo(2);
            assertThat(p.detail()).contains("ghost");
        });
    }

    @Test
    void anEditedBalanceRowIsReported() {
        LedgerId l = ledgerWithEntries(3);
        tamper("UPDATE ledger.balances SET debits_posted = debits_posted + 100 WHERE ledger_id = ? AND account_code = 'cash'", l.value());
        VerificationReport report = journal.verify(l);
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.BALANCE_MISMATCH);
            assertThat(p.detail()).contains("cash");
        });
    }

    @Test
    void twoJournalsOnTwoPoolsShareOneLedgerCorrectly() throws Exception {
        LedgerId l = ledgerWithEntries(0);
        journal.post(EntryRequest.builder(l, "seed", "seed").debit("cash", Money.cny(100_000)).credit("sales", Money.cny(100_000)).build());
        journal.openAccount(Account.of(l, "payouts", AccountType.EXPENSE, BalancePolicy.NONE));
        try (HikariDataSource secondPool = PostgresFixture.pool(url, 4);
             PostgresJournal second = PostgresJournal.builder().dataSource(secondPool).migrate(false).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                PostgresJournal j = t % 2 == 0 ? journal : second;
                int thread = t;
                futures.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        PostResult r = j.post(EntryRequest.builder(l, "w" + thread + "-" + i, "payout")
                                .debit("payouts", Money.cny(70)).credit("cash", Money.cny(70)).build());
                        if (r instanceof PostResult.Posted) {
                            ok++;
                        } else {
                            assertThat(((PostResult.Rejected) r).reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE);
                        }
                    }
                    return ok;
                }));
            }
            int accepted = 0;
            for (Future<Integer> f : futures) {
                accepted += f.get();
            }
            pool.shutdown();
            // 100,000 fen allow exactly 1,428 payouts of 70 fen.
            assertThat(accepted).isEqualTo(1428);
            assertThat(journal.balance(l, AccountCode.of("cash")).orElseThrow().posted()).isEqualTo(Money.cny(100_000 - 1428 * 70));
            assertThat(second.head(l)).isEqualTo(journal.head(l));
            assertThat(journal.verify(l).problems()).isEmpty();
        }
    }

    /**
     * Several writer threads in two journals on two pools, and a journal without group commit (every
     * caller a writer), with concurrent retries of one key, retries of a key committed long ago
     * (their optimistic batches fail on the unique index and are redone) and a balance that runs
     * out: every answer and the stored state must be what one writer at a time would have produced.
     */
    @Test
    void manyWritersKeepEveryAnswer() throws Exception {
        LedgerId l = ledgerWithEntries(0);
        journal.post(EntryRequest.builder(l, "seed", "seed").debit("cash", Money.cny(100_000)).credit("sales", Money.cny(100_000)).build());
        journal.openAccount(Account.of(l, "payouts", AccountType.EXPENSE, BalancePolicy.NONE));
        try (HikariDataSource firstPool = PostgresFixture.pool(url, 4);
             HikariDataSource secondPool = PostgresFixture.pool(url, 4);
             PostgresJournal first = PostgresJournal.builder().dataSource(firstPool).migrate(false).writerThreads(3).maxBatchSize(16).build();
             PostgresJournal second = PostgresJournal.builder().dataSource(secondPool).migrate(false).writerThreads(2).maxBatchSize(16).build();
             HikariDataSource thirdPool = PostgresFixture.pool(url, 8);
             PostgresJournal third = PostgresJournal.builder().dataSource(thirdPool).migrate(false).groupCommit(false).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<List<java.util.Map.Entry<EntryRequest, PostResult>>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<java.util.concurrent.CompletableFuture<PostResult>> pending = new ArrayList<>();
                    List<EntryRequest> sent = new ArrayList<>();
                    for (int i = 0; i < 400; i++) {
                        // Threads 2k and 2k+1 send the same keys; every 50th request retries the seed.
                        EntryRequest r = i % 50 == 49 ? EntryRequest.builder(l, "seed", "seed")
                                .debit("cash", Money.cny(100_000)).credit("sales", Money.cny(100_000)).build()
                                : payout(l, "w" + (thread / 2) + "-" + i, 70);
                        // Without group commit, every caller's thread is a writer of its own.
                        PostgresJournal j = (thread + i) % 3 == 0 ? second : thread >= 6 ? third : first;
                        sent.add(r);
                        pending.add(j.postAsync(r));
                        if (pending.size() >= 24) {
                            pending.get(pending.size() - 24).join();
                        }
                    }
                    List<java.util.Map.Entry<EntryRequest, PostResult>> out = new ArrayList<>();
                    for (int i = 0; i < sent.size(); i++) {
                        out.add(java.util.Map.entry(sent.get(i), pending.get(i).join()));
                    }
                    return out;
                }));
            }
            java.util.Map<String, org.ticketledger.ledger.Entry> posted = new java.util.HashMap<>();
            List<java.util.Map.Entry<EntryRequest, PostResult>> all = new ArrayList<>();
            for (Future<List<java.util.Map.Entry<EntryRequest, PostResult>>> f : futures) {
                all.addAll(f.get());
            }
            pool.shutdown();
            for (var a : all) {
                if (a.getValue() instanceof PostResult.Posted p) {
                    assertThat(posted.put(a.getKey().idempotencyKey(), p.entry())).as("posted twice").isNull();
                }
            }
            org.ticketledger.ledger.Entry seed = journal.entryByKey(l, "seed").orElseThrow();
            for (var a : all) {
                PostResult r = a.getValue();
                String key = a.getKey().idempotencyKey();
                if (key.equals("seed")) {
                    assertThat(r).isEqualTo(new PostResult.Duplicate(seed));
                } else if (r instanceof PostResult.Duplicate d) {
                    assertThat(d.original()).isEqualTo(posted.get(key));
                } else if (r instanceof PostResult.Rejected rejected) {
                    assertThat(rejected.reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE);
                    assertThat(posted).doesNotContainKey(key);
                }
            }
            // 100,000 fen allow exactly 1,428 payouts of 70 fen; 4 x 392 distinct keys ask.
            assertThat(posted).hasSize(1428);
            assertThat(journal.balance(l, AccountCode.of("cash")).orElseThrow().posted()).isEqualTo(Money.cny(100_000 - 1428 * 70));
            assertThat(journal.head(l).lastSequence()).isEqualTo(1 + 1428);
            assertThat(journal.verify(l).problems()).isEmpty();
        }
    }

    @Test
    void aWriterNeverJudgesAgainstBalancesAnotherJournalHasMovedOn() {
        LedgerId l = ledgerWithEntries(1); // cash 100
        journal.openAccount(Account.of(l, "payouts", AccountType.EXPENSE, BalancePolicy.NONE));
        assertThat(journal.post(payout(l, "p1", 60))).isInstanceOf(PostResult.Posted.class); // cash 40, as this writer knows
        try (HikariDataSource secondPool = PostgresFixture.pool(url, 2);
             PostgresJournal second = PostgresJournal.builder().dataSource(secondPool).migrate(false).build()) {
            assertThat(second.post(payout(l, "p2", 30))).isInstanceOf(PostResult.Posted.class); // cash 10
        }
        // Judged against what the first writer committed last, 30 would still fit in 40.
        PostResult third = journal.post(payout(l, "p3", 30));
        assertThat(third).isInstanceOfSatisfying(PostResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE));
        assertThat(journal.post(payout(l, "p4", 10))).isInstanceOf(PostResult.Posted.class);
        assertThat(journal.balance(l, AccountCode.of("cash")).orElseThrow().posted()).isEqualTo(Money.cny(0));
        assertThat(journal.verify(l).problems()).isEmpty();
    }

    @Test
    void aWriterNeverRejectsOnBalancesAnotherJournalHasMovedOn() {
        LedgerId l = ledgerWithEntries(1); // cash 100
        journal.openAccount(Account.of(l, "payouts", AccountType.EXPENSE, BalancePolicy.NONE));
        assertThat(journal.post(payout(l, "p1", 60))).isInstanceOf(PostResult.Posted.class); // cash 40, as this writer knows
        try (HikariDataSource secondPool = PostgresFixture.pool(url, 2);
             PostgresJournal second = PostgresJournal.builder().dataSource(secondPool).migrate(false).build()) {
            assertThat(second.post(EntryRequest.builder(l, "d1", "sale").debit("cash", Money.cny(50))
                    .credit("sales", Money.cny(50)).build())).isInstanceOf(PostResult.Posted.class); // cash 90
        }
        // Judged against what the first writer committed last, 80 would not fit in 40; a batch of
        // nothing but that rejection writes nothing, so it must still find out the head has moved.
        assertThat(journal.post(payout(l, "p2", 80))).isInstanceOf(PostResult.Posted.class);
        assertThat(journal.balance(l, AccountCode.of("cash")).orElseThrow().posted()).isEqualTo(Money.cny(10));
        assertThat(journal.post(payout(l, "p3", 11))).isInstanceOfSatisfying(PostResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE));
        assertThat(journal.verify(l).problems()).isEmpty();
    }

    @Test
    void theWriterAccountsForItsBatchCycle() {
        LedgerId l = ledgerWithEntries(0);
        WriterStatistics before = journal.writerStatistics();
        for (int i = 0; i < 5; i++) {
            journal.post(EntryRequest.builder(l, "c" + i, "sale").debit("cash", Money.cny(1)).credit("sales", Money.cny(1)).build());
        }
        journal.postAll(List.of(EntryRequest.builder(l, "c-all", "sale").debit("cash", Money.cny(1)).credit("sales", Money.cny(1)).build()));
        WriterStatistics after = journal.writerStatistics();
        // Five posts through the writer (one at a time, so five batches); postAll bypasses it.
        assertThat(after.entries() - before.entries()).isEqualTo(5);
        assertThat(after.batches() - before.batches()).isEqualTo(5);
        for (WriterStatistics.Phase phase : List.of(WriterStatistics.Phase.EXECUTE, WriterStatistics.Phase.COMMIT)) {
            assertThat(after.nanos().get(phase)).isGreaterThan(before.nanos().get(phase));
        }
        assertThat(after.nanos()).containsOnlyKeys(WriterStatistics.Phase.values());
    }

    @Test
    void aRetriedKeyInABatchOfNewEntriesIsADuplicateAndItsNeighboursStillPost() {
        LedgerId l = ledgerWithEntries(2);
        org.ticketledger.ledger.Entry first = journal.entry(l, 1).orElseThrow();
        List<PostResult> results = journal.postAll(List.of(
                EntryRequest.builder(l, "n1", "sale").debit("cash", Money.cny(7)).credit("sales", Money.cny(7)).build(),
                EntryRequest.builder(l, "e1", "sale").debit("cash", Money.cny(100)).credit("sales", Money.cny(100)).build(),
                EntryRequest.builder(l, "n2", "sale").debit("cash", Money.cny(8)).credit("sales", Money.cny(8)).build(),
                EntryRequest.builder(l, "e2", "sale").debit("cash", Money.cny(1)).credit("sales", Money.cny(1)).build()));
        assertThat(results.get(0)).isInstanceOf(PostResult.Posted.class);
        assertThat(results.get(1)).isEqualTo(new PostResult.Duplicate(first));
        assertThat(results.get(2)).isInstanceOf(PostResult.Posted.class);
        assertThat(results.get(3)).isInstanceOfSatisfying(PostResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.IDEMPOTENCY_CONFLICT));
        assertThat(journal.head(l).lastSequence()).isEqualTo(4);
        assertThat(journal.balance(l, AccountCode.of("cash")).orElseThrow().posted()).isEqualTo(Money.cny(300 + 15));
        assertThat(journal.verify(l).problems()).isEmpty();
    }

    @Test
    void oneKeyInTwoLedgersIsTwoEntriesAndEachRetryMeetsItsOwn() {
        LedgerId a = ledgerWithEntries(1);
        LedgerId b = ledgerWithEntries(1);
        // The unique index holds the ledger beside the key: an index change that dropped it would
        // turn the second ledger's post into a conflict or a Duplicate of the first one's entry.
        PostResult inA = journal.post(EntryRequest.builder(a, "shared", "sale").debit("cash", Money.cny(5)).credit("sales", Money.cny(5)).build());
        PostResult inB = journal.post(EntryRequest.builder(b, "shared", "sale").debit("cash", Money.cny(6)).credit("sales", Money.cny(6)).build());
        assertThat(inA).isInstanceOf(PostResult.Posted.class);
        assertThat(inB).isInstanceOf(PostResult.Posted.class);
        assertThat(journal.post(EntryRequest.builder(b, "shared", "sale").debit("cash", Money.cny(6)).credit("sales", Money.cny(6)).build()))
                .isEqualTo(new PostResult.Duplicate(inB.acceptedEntry().orElseThrow()));
        assertThat(journal.entryByKey(a, "shared").orElseThrow().postings().get(0).amount()).isEqualTo(Money.cny(5));
        assertThat(journal.entryByKey(b, "shared").orElseThrow().postings().get(0).amount()).isEqualTo(Money.cny(6));
        assertThat(journal.entryByKey(b, "absent")).isEmpty();
    }

    @Test
    void aRetryOfAnAcceptedEntryIsADuplicateEvenWhenItWouldNotFitAnyMore() {
        LedgerId l = ledgerWithEntries(1); // cash 100
        journal.openAccount(Account.of(l, "payouts", AccountType.EXPENSE, BalancePolicy.NONE));
        PostResult first = journal.post(payout(l, "p1", 100)); // cash 0
        assertThat(first).isInstanceOf(PostResult.Posted.class);
        assertThat(journal.post(payout(l, "p1", 100))).isEqualTo(new PostResult.Duplicate(first.acceptedEntry().orElseThrow()));
        assertThat(journal.postAll(List.of(payout(l, "p2", 1), payout(l, "p1", 100))).get(1))
                .isEqualTo(new PostResult.Duplicate(first.acceptedEntry().orElseThrow()));
    }

    private static EntryRequest payout(LedgerId l, String key, long fen) {
        return EntryRequest.builder(l, key, "payout").debit("payouts", Money.cny(fen)).credit("cash", Money.cny(fen)).build();
    }

    @Test
    void committedEntriesSurviveAServerRestart() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pg-restart");
        LedgerId l = LedgerId.of("restart");
        org.ticketledger.ledger.Entry written;
        try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(dir, 0);
             PostgresJournal j = PostgresJournal.builder().jdbcUrl(db.jdbcUrl("postgres")).username(db.user()).maximumPoolSize(2).build()) {
            j.createLedger(l, Money.CNY);
            j.openAccount(Account.of(l, "cash", AccountType.ASSET, BalancePolicy.NONE));
            j.openAccount(Account.of(l, "sales", AccountType.REVENUE, BalancePolicy.NONE));
            written = j.post(EntryRequest.builder(l, "before", "sale").debit("cash", Money.cny(5)).credit("sales", Money.cny(5)).build())
                    .acceptedEntry().orElseThrow();
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(dir, 0);
             PostgresJournal j = PostgresJournal.builder().jdbcUrl(db.jdbcUrl("postgres")).username(db.user()).maximumPoolSize(2).build()) {
            assertThat(j.entry(l, 1)).contains(written);
            assertThat(j.post(EntryRequest.builder(l, "before", "sale").debit("cash", Money.cny(5)).credit("sales", Money.cny(5)).build()))
                    .isEqualTo(new PostResult.Duplicate(written));
            assertThat(j.verify(l).ok()).isTrue();
        }
    }

    /** The stored row of an account: its last_sequence and posted debits and credits. */
    private long[] balanceRow(LedgerId l, String account) {
        return admin.withHandle(h -> h.createQuery("SELECT last_sequence, debits_posted, credits_posted FROM ledger.balances"
                        + " WHERE ledger_id = :l AND account_code = :a")
                .bind("l", l.value())
                .bind("a", account)
                .map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .one());
    }

    @Test
    void balanceRowsLagByFewerThanTheFlushBoundAndPendingChangesWriteThemAtOnce() {
        // The idle flush would write the rows this test watches lag.
        try (PostgresJournal lazy = PostgresJournal.builder().dataSource(dataSource).migrate(false).balanceFlushPostings(4)
                .idleFlushAfter(java.time.Duration.ZERO).build();
             PostgresJournal eager = PostgresJournal.builder().dataSource(dataSource).migrate(false).balanceFlushPostings(1)
                     .idleFlushAfter(java.time.Duration.ZERO).build()) {
            LedgerId l = ledgerWithEntries(0);
            for (int i = 1; i <= 3; i++) {
                lazy.post(EntryRequest.builder(l, "e" + i, "sale").debit("cash", Money.cny(i)).credit("sales", Money.cny(i)).build());
            }
            // Three postings each: below the bound, the rows are as the ledger opened them.
            assertThat(balanceRow(l, "cash")).containsExactly(0, 0, 0);
            assertThat(lazy.balance(l, AccountCode.of("cash")).orElseThrow().debitsPosted()).isEqualTo(6);
            lazy.post(EntryRequest.builder(l, "e4", "sale").debit("cash", Money.cny(4)).credit("sales", Money.cny(4)).build());
            assertThat(balanceRow(l, "cash")).containsExactly(4, 10, 0);
            lazy.post(EntryRequest.builder(l, "e5", "sale").debit("cash", Money.cny(5)).credit("sales", Money.cny(5)).build());
            assertThat(balanceRow(l, "cash")).containsExactly(4, 10, 0);
            // A hold changes pending totals: both rows are written with it, the tail is gone.
            lazy.post(EntryRequest.hold(l, "h", "payout").debit("sales", Money.cny(1)).credit("cash", Money.cny(1)).build());
            assertThat(balanceRow(l, "cash")).containsExactly(6, 15, 0);
            assertThat(balanceRow(l, "sales")).containsExactly(6, 0, 15);
            // With a bound of 1 every changed row is written in every batch, as before lazy rows.
            eager.post(EntryRequest.builder(l, "e7", "sale").debit("cash", Money.cny(7)).credit("sales", Money.cny(7)).build());
            assertThat(balanceRow(l, "cash")).containsExactly(7, 22, 0);
            assertThat(lazy.verify(l).problems()).isEmpty();
        }
    }

    @Test
    void aPostThatFindsTheWriterCacheTakenWritesEveryBalanceRowItChanges() throws Exception {
        LedgerId l = ledgerWithEntries(0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (PostgresJournal direct = PostgresJournal.builder().dataSource(dataSource).migrate(false)
                .groupCommit(false).balanceFlushPostings(4).build();
             org.jdbi.v3.core.Handle blocker = admin.open()) {
            // Hold the ledger's head row, so the first post waits holding the writer cache and the
            // second finds the cache taken: it goes without, as concurrent posts without group commit do.
            blocker.begin();
            blocker.createQuery("SELECT 1 FROM ledger.ledgers WHERE ledger_id = :l FOR UPDATE").bind("l", l.value()).mapTo(Integer.class).one();
            Future<PostResult> first = pool.submit(() -> direct.post(
                    EntryRequest.builder(l, "first", "sale").debit("cash", Money.cny(1)).credit("sales", Money.cny(1)).build()));
            awaitLockWaiters(1);
            Future<PostResult> second = pool.submit(() -> direct.post(
                    EntryRequest.builder(l, "second", "sale").debit("cash", Money.cny(2)).credit("sales", Money.cny(2)).build()));
            awaitLockWaiters(2);
            blocker.rollback();
            assertThat(first.get()).isInstanceOf(PostResult.Posted.class);
            assertThat(second.get()).isInstanceOf(PostResult.Posted.class);
            long uncached = ((PostResult.Posted) second.get()).entry().sequence();
            // One posting per account is far below the bound of 4: only the rule for a post without
            // the cache writes the rows. Whichever post went last, the rows stand at least at its entry.
            for (String account : List.of("cash", "sales")) {
                assertThat(balanceRow(l, account)[0]).as("%s row", account).isGreaterThanOrEqualTo(uncached);
            }
            assertThat(direct.balance(l, AccountCode.of("cash")).orElseThrow().debitsPosted()).isEqualTo(3);
            assertThat(direct.verify(l).problems()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitLockWaiters(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (admin.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'").mapTo(Integer.class).one()) < n) {
            assertThat(System.nanoTime()).as("%d posts waiting on the head row", n).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aNewJournalOnTheSameDatabaseReadsAndJudgesBalanceRowsBehindTheirTails() {
        LedgerId l = ledgerWithEntries(0);
        long[] expected = new long[4];
        // Without the idle flush: this test is about reading and judging rows behind their tails.
        try (PostgresJournal before = PostgresJournal.builder().dataSource(dataSource).migrate(false).balanceFlushPostings(10)
                .idleFlushAfter(java.time.Duration.ZERO).build()) {
            for (int a = 0; a < 4; a++) {
                before.openAccount(Account.of(l, "party:" + a, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            }
            // Eight or nine postings per party: none reaches the bound, every party row stays as opened.
            for (int i = 0; i < 35; i++) {
                int a = i % 4;
                before.post(EntryRequest.builder(l, "in" + i, "in").debit("cash", Money.cny(10 + i)).credit("party:" + a, Money.cny(10 + i)).build());
                expected[a] += 10 + i;
            }
        }
        try (PostgresJournal after = PostgresJournal.builder().dataSource(dataSource).migrate(false).balanceFlushPostings(10)
                .idleFlushAfter(java.time.Duration.ZERO).build()) {
            for (int a = 0; a < 4; a++) {
                assertThat(balanceRow(l, "party:" + a)[0]).as("party:%d has a tail", a).isZero();
                assertThat(after.balance(l, AccountCode.of("party:" + a)).orElseThrow().creditsPosted()).isEqualTo(expected[a]);
                // Judged on row plus tail: one fen more than the account holds is refused, all of it passes.
                assertThat(after.post(EntryRequest.builder(l, "over" + a, "out").debit("party:" + a, Money.cny(expected[a] + 1))
                        .credit("cash", Money.cny(expected[a] + 1)).build()))
                        .isInstanceOfSatisfying(PostResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE));
                assertThat(after.post(EntryRequest.builder(l, "all" + a, "out").debit("party:" + a, Money.cny(expected[a]))
                        .credit("cash", Money.cny(expected[a])).build())).isInstanceOf(PostResult.Posted.class);
                assertThat(after.balance(l, AccountCode.of("party:" + a)).orElseThrow().available()).isEqualTo(Money.cny(0));
            }
            assertThat(after.verify(l).problems()).isEmpty();
        }
    }

    @Test
    void twoWritersTakingTurnsEachSeeTheOthersUnwrittenTails() {
        LedgerId l = ledgerWithEntries(0);
        try (HikariDataSource secondPool = PostgresFixture.pool(url, 2);
             PostgresJournal first = PostgresJournal.builder().dataSource(dataSource).migrate(false).balanceFlushPostings(5).build();
             PostgresJournal second = PostgresJournal.builder().dataSource(secondPool).migrate(false).balanceFlushPostings(5).build()) {
            first.openAccount(Account.of(l, "party", AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            long held = 0;
            java.util.Random random = new java.util.Random(11);
            for (int i = 0; i < 120; i++) {
                PostgresJournal j = random.nextBoolean() ? first : second;
                long amount = 1 + random.nextInt(100);
                boolean in = random.nextInt(5) < 3;
                EntryRequest.Builder b = EntryRequest.builder(l, "k" + i, in ? "in" : "out");
                PostResult r = j.post(in ? b.debit("cash", Money.cny(amount)).credit("party", Money.cny(amount)).build()
                        : b.debit("party", Money.cny(amount)).credit("cash", Money.cny(amount)).build());
                if (in || held >= amount) {
                    assertThat(r).as("entry %d", i).isInstanceOf(PostResult.Posted.class);
                    held += in ? amount : -amount;
                } else {
                    assertThat(r).as("entry %d", i).isInstanceOf(PostResult.Rejected.class);
                }
                org.ticketledger.ledger.Balance now = (i % 2 == 0 ? first : second).balance(l, AccountCode.of("party")).orElseThrow();
                assertThat(now.creditsPosted() - now.debitsPosted()).as("entry %d", i).isEqualTo(held);
            }
            assertThat(first.verify(l).problems()).isEmpty();
        }
    }

    @Test
    void aBalanceRowBehindAHoldIsRefusedByReadersAndReportedByVerify() {
        LedgerId l = ledgerWithEntries(2);
        journal.post(EntryRequest.hold(l, "h", "payout").debit("sales", Money.cny(50)).credit("cash", Money.cny(50)).build());
        // Moves the row back before the hold, with the totals it had then: the sums match, the tail does not.
        tamper("UPDATE ledger.balances SET last_sequence = 2, debits_posted = 300, credits_pending = 0"
                + " WHERE ledger_id = ? AND account_code = 'cash'", l.value());
        assertThatThrownBy(() -> journal.balance(l, AccountCode.of("cash"))).hasMessageContaining("journal state is corrupt");
        assertThat(journal.verify(l).problems()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.BALANCE_MISMATCH);
            assertThat(p.detail()).contains("cash");
        });
    }

    @Test
    void aBadUrlIsAStorageErrorWithTheReason() {
        assertThatThrownBy(() -> PostgresJournal.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/none").username("x").build())
                .isInstanceOf(UnableToAccessJournalException.class)
                .hasMessageContaining("cannot connect");
        assertThatThrownBy(() -> PostgresJournal.builder().jdbcUrl("jdbc:mysql://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresJournal.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void asOfQueriesMatchTheLatestAtTheHead() {
        LedgerId l = ledgerWithEntries(6);
        assertThat(journal.trialBalance(l, AsOf.sequence(6))).isEqualTo(journal.trialBalance(l, AsOf.latest()));
        assertThat(journal.balance(l, AccountCode.of("cash"), AsOf.sequence(3)).orElseThrow().posted()).isEqualTo(Money.cny(600));
    }
}
