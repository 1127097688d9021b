package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.ledger.testing.MutableClock;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * Random streams of valid and invalid requests, including holds, reversals, resubmissions and key
 * conflicts, run against both journals side by side. After every step: the books balance, no
 * account breaks its policy, a rejected or repeated request changed nothing. At the end: replaying
 * the stored journal rebuilds every balance and the hash chain, and both journals hold exactly the
 * same entries, hashes included. The Postgres side is two journals on one database taking turns
 * (each must notice the other's writes), with balance rows written at most every third posting,
 * so reads and judgements go through row-plus-tail all the time.
 */
class JournalProperties {

    private static final String[] ACCOUNTS = {"cash:a", "cash:b", "liability:t", "revenue:r", "equity:e"};
    private static final AtomicInteger LEDGERS = new AtomicInteger();

    private static MutableClock clock;
    private static InMemoryJournal memory;
    private static PostgresJournal postgres;
    private static PostgresJournal otherWriter;
    private static HikariDataSource dataSource;

    private static synchronized void open() {
        if (memory == null) {
            clock = MutableClock.at("2026-11-26T00:00:00Z");
            memory = InMemoryJournal.withClock(clock);
            dataSource = PostgresFixture.newDataSource(4);
            postgres = PostgresJournal.builder().dataSource(dataSource).clock(clock).balanceFlushPostings(3).build();
            otherWriter = PostgresJournal.builder().dataSource(dataSource).clock(clock).migrate(false)
                    .balanceFlushPostings(3).build();
        }
    }

    @AfterContainer
    static void close() {
        if (postgres != null) {
            postgres.close();
            otherWriter.close();
            dataSource.close();
        }
    }

    /** One step: what to do, between which accounts, how much, and which earlier entry or key it refers to. */
    record Op(int what, int from, int to, long amount, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, ACCOUNTS.length - 1),
                Arbitraries.integers().between(0, ACCOUNTS.length - 1),
                Arbitraries.oneOf(Arbitraries.longs().between(1, 50_000), Arbitraries.of(1L, Long.MAX_VALUE / 2, Long.MAX_VALUE)),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 100)
    void bothJournalsKeepTheInvariantsAndAgreeEntryForEntry(@ForAll("ops") List<Op> ops) {
        open();
        LedgerId ledger = LedgerId.of("p" + LEDGERS.incrementAndGet());
        for (Journal j : List.of(memory, postgres)) {
            j.createLedger(ledger, Money.CNY);
            j.openAccount(Account.of(ledger, "cash:a", AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
            j.openAccount(Account.of(ledger, "cash:b", AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
            j.openAccount(Account.of(ledger, "liability:t", AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
            j.openAccount(Account.of(ledger, "revenue:r", AccountType.REVENUE, BalancePolicy.NONE));
            j.openAccount(Account.of(ledger, "equity:e", AccountType.EQUITY, BalancePolicy.NONE));
        }
        List<EntryRequest> sent = new ArrayList<>();
        List<EntryRequest> accepted = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int step = 0;
        for (Op op : ops) {
            step++;
            EntryRequest request = toRequest(ledger, op, step, sent, entries);
            if (request == null) {
                continue;
            }
            Map<String, Balance> before = balances(memory, ledger);
            long headBefore = memory.head(ledger).lastSequence();
            PostResult m = memory.post(request);
            PostResult p = (op.pick() % 3 == 0 ? otherWriter : postgres).post(request);
            assertThat(p).as("step %d %s", step, request).isEqualTo(m);
            assertThat(balances(postgres, ledger)).as("step %d", step).isEqualTo(balances(memory, ledger));
            if (m instanceof PostResult.Posted posted) {
                entries.add(posted.entry());
                accepted.add(request);
            } else {
                assertThat(balances(memory, ledger)).isEqualTo(before);
                assertThat(memory.head(ledger).lastSequence()).isEqualTo(headBefore);
            }
            sent.add(request);
            assertBooksBalanceAndPoliciesHold(memory, ledger);
            clock.advance(Duration.ofMillis(1 + op.pick()));
        }
        for (Journal j : List.of(memory, postgres)) {
            assertThat(j.entries(ledger, 1, 10_000)).isEqualTo(entries);
            assertThat(balances(j, ledger)).isEqualTo(balances(memory, ledger));
            VerificationReport report = j.verify(ledger);
            assertThat(report.problems()).isEmpty();
            JournalReplay replay = new JournalReplay(j.ledger(ledger).orElseThrow(), j.accounts(ledger), true);
            j.entries(ledger, 1, 10_000).forEach(replay::accept);
            for (Balance b : replay.balances().values()) {
                assertThat(j.balance(ledger, b.account())).contains(b);
            }
            assertThat(replay.lastHash()).isEqualTo(j.head(ledger).lastHash());
        }
        // Re-submitting every accepted request changes nothing (a rejected one may pass now, rightly).
        long head = memory.head(ledger).lastSequence();
        Map<String, Balance> finalBalances = balances(memory, ledger);
        for (EntryRequest r : accepted) {
            PostResult again = memory.post(r);
            assertThat(again).isInstanceOf(PostResult.Duplicate.class).isEqualTo(postgres.post(r));
        }
        assertThat(memory.head(ledger).lastSequence()).isEqualTo(head);
        assertThat(postgres.head(ledger).lastSequence()).isEqualTo(head);
        assertThat(balances(memory, ledger)).isEqualTo(finalBalances);
        assertThat(balances(postgres, ledger)).isEqualTo(finalBalances);
    }

    private static EntryRequest toRequest(LedgerId ledger, Op op, int step, List<EntryRequest> sent, List<Entry> entries) {
        String from = ACCOUNTS[op.from()];
        String to = ACCOUNTS[op.to()];
        Money amount = Money.cny(op.amount());
        String key = "s" + step;
        switch (op.what()) {
            case 0:
            case 1:
            case 2:
                return EntryRequest.builder(ledger, key, "transfer").debit(to, amount).credit(from, amount).build();
            case 3:
                return EntryRequest.hold(ledger, key, "hold").debit(to, amount).credit(from, amount).build();
            case 4:
            case 5: {
                Entry hold = pick(entries, EntryKind.HOLD, op.pick());
                if (hold == null) {
                    return null;
                }
                if (op.what() == 5) {
                    return EntryRequest.voidHold(ledger, key, "void", hold.sequence());
                }
                // Post part of the hold (or more than it, which must be refused).
                long want = Math.max(1, hold.postings().get(0).amount().minor() * (op.pick() % 120) / 100);
                Money part = Money.cny(want);
                return EntryRequest.postHold(ledger, key, "post", hold.sequence())
                        .posting(new Posting(hold.postings().get(0).account(), hold.postings().get(0).side(), part))
                        .posting(new Posting(hold.postings().get(1).account(), hold.postings().get(1).side(), part))
                        .build();
            }
            case 6: {
                Entry target = entries.isEmpty() ? null : entries.get(op.pick() % entries.size());
                return target == null ? null : EntryRequest.reversal(ledger, key, "reversal", target.sequence());
            }
            case 7:
                // Resubmit an earlier request unchanged.
                return sent.isEmpty() ? null : sent.get(op.pick() % sent.size());
            case 8: {
                // Reuse an earlier key with different content.
                if (sent.isEmpty()) {
                    return null;
                }
                EntryRequest earlier = sent.get(op.pick() % sent.size());
                return EntryRequest.builder(ledger, earlier.idempotencyKey(), "transfer").debit(to, amount).credit(from, amount).build();
            }
            default:
                return EntryRequest.builder(ledger, key, "transfer").debit(to, amount).credit("missing:acct", amount).build();
        }
    }

    private static Entry pick(List<Entry> entries, EntryKind kind, int pick) {
        List<Entry> of = entries.stream().filter(e -> e.kind() == kind).toList();
        return of.isEmpty() ? null : of.get(pick % of.size());
    }

    private static Map<String, Balance> balances(Journal j, LedgerId ledger) {
        Map<String, Balance> out = new HashMap<>();
        for (String a : ACCOUNTS) {
            out.put(a, j.balance(ledger, AccountCode.of(a)).orElseThrow());
        }
        return out;
    }

    /** Sums in BigInteger: single accounts stay within long, but the whole book's totals need not. */
    private static void assertBooksBalanceAndPoliciesHold(Journal j, LedgerId ledger) {
        BigInteger debits = BigInteger.ZERO;
        BigInteger credits = BigInteger.ZERO;
        BigInteger pendingDebits = BigInteger.ZERO;
        BigInteger pendingCredits = BigInteger.ZERO;
        for (Balance b : balances(j, ledger).values()) {
            Account a = j.account(ledger, b.account()).orElseThrow();
            assertThat(a.policy().allows(b.debitsPosted(), b.creditsPosted(), b.debitsPending(), b.creditsPending()))
                    .as("%s keeps %s", b.account(), a.policy()).isTrue();
            debits = debits.add(BigInteger.valueOf(b.debitsPosted()));
            credits = credits.add(BigInteger.valueOf(b.creditsPosted()));
            pendingDebits = pendingDebits.add(BigInteger.valueOf(b.debitsPending()));
            pendingCredits = pendingCredits.add(BigInteger.valueOf(b.creditsPending()));
        }
        assertThat(debits).isEqualTo(credits);
        assertThat(pendingDebits).isEqualTo(pendingCredits);
    }
}
