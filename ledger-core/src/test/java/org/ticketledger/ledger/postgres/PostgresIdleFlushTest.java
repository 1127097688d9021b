package org.ticketledger.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.JournalReplay;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ledger.testing.PostgresFixture;

/** The idle flush: balance rows catch up with their tails when the writer is quiet, and nothing else changes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresIdleFlushTest {

    private String url;
    private HikariDataSource dataSource;
    private Jdbi admin;
    private int ledgers;

    @BeforeAll
    void open() {
        url = PostgresFixture.newDatabaseUrl();
        dataSource = PostgresFixture.pool(url, 8);
        PostgresJournal.migrate(dataSource);
        admin = Jdbi.create(dataSource);
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    private PostgresJournal.Builder journal(HikariDataSource pool) {
        return PostgresJournal.builder().dataSource(pool).migrate(false);
    }

    private LedgerId ledger(PostgresJournal j, int parties, BalancePolicy policy) {
        LedgerId l = LedgerId.of("f" + (++ledgers));
        j.createLedger(l, Money.CNY);
        j.openAccount(Account.of(l, "cash", AccountType.ASSET, BalancePolicy.NONE));
        for (int a = 0; a < parties; a++) {
            j.openAccount(Account.of(l, "party:" + a, AccountType.LIABILITY, policy));
        }
        return l;
    }

    /** Postings after their balance row's last_sequence, over the ledger: what every reader adds to the rows. */
    private long tailPostings(LedgerId l) {
        return admin.withHandle(h -> h.createQuery("SELECT count(*) FROM ledger.balances b JOIN ledger.postings p"
                        + " ON p.ledger_id = b.ledger_id AND p.account_code = b.account_code AND p.sequence > b.last_sequence"
                        + " WHERE b.ledger_id = :l")
                .bind("l", l.value())
                .mapTo(Long.class)
                .one());
    }

    private void awaitNoTails(LedgerId l) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long left;
        while ((left = tailPostings(l)) > 0) {
            assertThat(System.nanoTime()).as("%d tail postings left", left).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The stored rows alone, without their tails. */
    private List<Balance> rows(LedgerId l, PostgresJournal j) {
        return admin.withHandle(h -> h.createQuery("SELECT account_code, debits_posted, credits_posted, debits_pending,"
                        + " credits_pending FROM ledger.balances WHERE ledger_id = :l ORDER BY account_code")
                .bind("l", l.value())
                .map((rs, ctx) -> {
                    AccountCode code = AccountCode.of(rs.getString(1));
                    return new Balance(code, j.account(l, code).orElseThrow().type(), Money.CNY,
                            rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                })
                .list());
    }

    @Test
    void afterAQuietMomentEveryBalanceRowIsCurrentAndNoBalanceChanged() throws Exception {
        try (PostgresJournal j = journal(dataSource).idleFlushAfter(Duration.ofMillis(5)).idleFlushAccounts(4).build()) {
            LedgerId l = ledger(j, 40, BalancePolicy.NONE);
            // Ten postings per party, in batches: far below the bound of 32, so no batch writes a party's row.
            for (int burst = 0; burst < 4; burst++) {
                List<CompletableFuture<PostResult>> sent = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = burst * 100 + i;
                    sent.add(j.postAsync(EntryRequest.builder(l, "e" + n, "sale").debit("cash", Money.cny(1 + n))
                            .credit("party:" + (n % 40), Money.cny(1 + n)).build()));
                }
                sent.forEach(f -> assertThat(f.join()).isInstanceOf(PostResult.Posted.class));
            }
            TrialBalance before = j.trialBalance(l, AsOf.latest());
            awaitNoTails(l);
            TrialBalance after = j.trialBalance(l, AsOf.latest());
            assertThat(after).isEqualTo(before);
            // The rows themselves now hold the balances: nothing is left for a reader to add.
            assertThat(rows(l, j)).containsExactlyElementsOf(after.lines());
            assertThat(j.verify(l).problems()).isEmpty();
            // The cache knows the rows are current: a post judges and writes as before.
            assertThat(j.post(EntryRequest.builder(l, "last", "refund").debit("party:3", Money.cny(5)).credit("cash", Money.cny(5)).build()))
                    .isInstanceOf(PostResult.Posted.class);
            assertThat(j.balance(l, AccountCode.of("party:3")).orElseThrow().creditsPosted()
                    - j.balance(l, AccountCode.of("party:3")).orElseThrow().debitsPosted())
                    .isEqualTo(before.lines().stream().filter(b -> b.account().value().equals("party:3")).findFirst()
                            .orElseThrow().creditsPosted() - 5);
            assertThat(j.verify(l).problems()).isEmpty();
        }
    }

    @Test
    void aNewJournalWritesTheRowsAnEarlierOneLeftBehind() throws Exception {
        LedgerId l;
        long[] expected = new long[30];
        try (PostgresJournal earlier = journal(dataSource).idleFlushAfter(Duration.ZERO).build()) {
            l = ledger(earlier, 30, BalancePolicy.NONE);
            for (int i = 0; i < 150; i++) {
                earlier.post(EntryRequest.builder(l, "e" + i, "sale").debit("cash", Money.cny(10 + i))
                        .credit("party:" + (i % 30), Money.cny(10 + i)).build());
                expected[i % 30] += 10 + i;
            }
            Thread.sleep(200);
            // Switched off, nothing writes the rows of a quiet writer.
            assertThat(tailPostings(l)).isGreaterThanOrEqualTo(150);
        }
        try (PostgresJournal later = journal(dataSource).idleFlushAfter(Duration.ofMillis(5)).idleFlushAccounts(7).build()) {
            // One post to one party: this journal's cache knows no other tail, its walk finds them.
            assertThat(later.post(EntryRequest.builder(l, "next", "sale").debit("cash", Money.cny(1)).credit("party:0", Money.cny(1)).build()))
                    .isInstanceOf(PostResult.Posted.class);
            expected[0] += 1;
            awaitNoTails(l);
            for (int a = 0; a < 30; a++) {
                assertThat(later.balance(l, AccountCode.of("party:" + a)).orElseThrow().creditsPosted()).as("party:%d", a).isEqualTo(expected[a]);
            }
            assertThat(later.verify(l).problems()).isEmpty();
        }
    }

    /**
     * Two journals on two pools post in bursts with short pauses, so idle flushes of both run
     * between and during their posts (a millisecond of quiet, two rows a step), while a reader in
     * other transactions checks that the stored balances always equal a replay of the entries
     * (verify, one snapshot) and that the books always balance. Every answer must match a model.
     */
    @Test
    void postsAndReadersInOtherTransactionsStayRightWhileTwoWritersFlush() throws Exception {
        try (HikariDataSource secondPool = PostgresFixture.pool(url, 4);
             PostgresJournal first = journal(dataSource).idleFlushAfter(Duration.ofMillis(1)).idleFlushAccounts(2)
                     .balanceFlushPostings(6).build();
             PostgresJournal second = journal(secondPool).idleFlushAfter(Duration.ofMillis(1)).idleFlushAccounts(2)
                     .balanceFlushPostings(6).build();
             PostgresJournal reader = journal(dataSource).idleFlushAfter(Duration.ZERO).build()) {
            int parties = 12;
            LedgerId l = ledger(first, parties, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            Thread check = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        var problems = reader.verify(l).problems();
                        if (!problems.isEmpty()) {
                            seen.add("verify: " + problems);
                        }
                        TrialBalance tb = reader.trialBalance(l, AsOf.latest());
                        long debits = 0;
                        long credits = 0;
                        for (Balance b : tb.lines()) {
                            debits += b.debitsPosted();
                            credits += b.creditsPosted();
                        }
                        if (debits != credits) {
                            seen.add("trial balance off by " + (debits - credits));
                        }
                        reads.incrementAndGet();
                    } catch (RuntimeException e) {
                        seen.add(e.toString());
                    }
                }
            }, "reader");
            check.start();
            long[] held = new long[parties];
            Random random = new Random(23);
            try {
                for (int i = 0; i < 700; i++) {
                    PostgresJournal j = random.nextBoolean() ? first : second;
                    int a = random.nextInt(parties);
                    long amount = 1 + random.nextInt(200);
                    boolean in = random.nextInt(5) < 3;
                    EntryRequest.Builder b = EntryRequest.builder(l, "k" + i, in ? "in" : "out");
                    PostResult r = j.post(in ? b.debit("cash", Money.cny(amount)).credit("party:" + a, Money.cny(amount)).build()
                            : b.debit("party:" + a, Money.cny(amount)).credit("cash", Money.cny(amount)).build());
                    // A stale or doubled total after a flush would pass an overdraft or refuse what fits.
                    if (in || held[a] >= amount) {
                        assertThat(r).as("entry %d", i).isInstanceOf(PostResult.Posted.class);
                        held[a] += in ? amount : -amount;
                    } else {
                        assertThat(r).as("entry %d", i).isInstanceOf(PostResult.Rejected.class);
                    }
                    if (random.nextInt(4) == 0) {
                        Thread.sleep(random.nextInt(4));
                    }
                }
            } finally {
                stop.set(true);
                check.join();
            }
            assertThat(seen).isEmpty();
            assertThat(reads.get()).isPositive();
            awaitNoTails(l);
            JournalReplay replay = new JournalReplay(first.ledger(l).orElseThrow(), first.accounts(l), true);
            first.entries(l, 1, 10_000).forEach(replay::accept);
            for (int a = 0; a < parties; a++) {
                Balance b = second.balance(l, AccountCode.of("party:" + a)).orElseThrow();
                assertThat(b.creditsPosted() - b.debitsPosted()).as("party:%d", a).isEqualTo(held[a]);
                assertThat(b).isEqualTo(replay.balances().get(AccountCode.of("party:" + a)));
            }
            assertThat(rows(l, first)).containsExactlyElementsOf(first.trialBalance(l, AsOf.latest()).lines());
            assertThat(first.verify(l).problems()).isEmpty();
        }
    }
}
