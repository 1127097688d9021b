package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.ticketledger.ledger.testing.MutableClock;

/**
 * The in-memory journal keeps its entries column by column and rebuilds them on read: whatever was
 * posted reads back equal, by sequence, by key and by range, and replays to the live balances.
 * The keys cover the whole allowed length and every printable character; the entries cover every
 * field that is stored apart from the columns (metadata, hold expiry, references, effectiveAt) and
 * non-ASCII metadata.
 */
class InMemoryEntryStorageProperties {

    private static final Instant START = Instant.parse("2026-11-27T01:00:00.000001Z");
    private static final String[] ACCOUNTS = {"cash", "hot:settlement", "spot:xihu", "fees", "wealth:plan-7"};

    @Property(tries = 200)
    void everyEntryReadsBackAsItWasPosted(@ForAll @Size(max = 60) List<@net.jqwik.api.From("steps") Step> steps) {
        MutableClock clock = new MutableClock(START);
        InMemoryJournal journal = InMemoryJournal.withClock(clock);
        LedgerId l = LedgerId.of("storage");
        journal.createLedger(l, Money.CNY);
        for (String a : ACCOUNTS) {
            journal.openAccount(Account.of(l, a, AccountType.ASSET, BalancePolicy.NONE));
        }
        List<Entry> posted = new ArrayList<>();
        List<Instant> cuts = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            EntryRequest r = s.toRequest(l, "k" + n++ + s.keySuffix(), posted);
            PostResult result = journal.post(r);
            if (result instanceof PostResult.Posted p) {
                posted.add(p.entry());
            }
            cuts.add(clock.instant());
            clock.advance(Duration.ofNanos(s.clockStepNanos()));
        }

        for (Entry e : posted) {
            assertThat(journal.entry(l, e.sequence())).contains(e);
            assertThat(journal.entryByKey(l, e.idempotencyKey())).contains(e);
        }
        assertThat(journal.entries(l, 1, Integer.MAX_VALUE)).isEqualTo(posted);
        if (!posted.isEmpty()) {
            assertThat(journal.entries(l, 2, 3)).isEqualTo(posted.subList(1, Math.min(4, posted.size())));
            assertThat(journal.head(l)).isEqualTo(new Journal.Head(posted.size(), posted.get(posted.size() - 1).hash()));
        }
        assertThat(journal.entry(l, posted.size() + 1)).isEmpty();
        assertThat(journal.verify(l).ok()).isTrue();
        for (Instant cut : cuts) {
            JournalReplay replay = new JournalReplay(journal.ledger(l).orElseThrow(), journal.accounts(l), false);
            posted.stream().filter(e -> !e.recordedAt().isAfter(cut)).forEach(replay::accept);
            assertThat(journal.trialBalance(l, AsOf.instant(cut))).isEqualTo(replay.trialBalance());
        }
        for (Entry e : posted) {
            assertThat(journal.entryByKey(l, e.idempotencyKey() + "x")).isEmpty();
        }
    }

    /** One request: its kind, postings, and the fields kept beside the columns. */
    record Step(int kind, int postings, long amount, int account, String keySuffix, String type, int flags,
                long clockStepNanos) {

        boolean meta() {
            return (flags & 1) != 0;
        }

        boolean effective() {
            return (flags & 2) != 0;
        }

        EntryRequest toRequest(LedgerId l, String key, List<Entry> posted) {
            EntryRequest.Builder b;
            boolean derived = (kind == 2 || kind == 3) && !posted.isEmpty();
            if (kind == 1) {
                b = EntryRequest.hold(l, key, type);
                if (meta()) {
                    b.expiresAt(START.plusSeconds(amount));
                }
            } else if (kind == 2 && !posted.isEmpty()) {
                b = EntryRequest.referencing(l, key, type, EntryKind.REVERSAL, posted.get((int) (amount % posted.size())).sequence());
            } else if (kind == 3 && !posted.isEmpty()) {
                b = EntryRequest.referencing(l, key, type, EntryKind.HOLD_VOID, posted.get((int) (amount % posted.size())).sequence());
            } else {
                b = EntryRequest.builder(l, key, type);
            }
            if (!derived) {
                for (int i = 0; i < postings; i++) {
                    String debit = ACCOUNTS[(account + i) % ACCOUNTS.length];
                    String credit = ACCOUNTS[(account + i + 1) % ACCOUNTS.length];
                    b.debit(debit, Money.cny(amount + i)).credit(credit, Money.cny(amount + i));
                }
            }
            if (meta()) {
                b.meta("order", key).meta("spot", "西湖 " + amount);
            }
            if (effective()) {
                b.effectiveAt(START.minusSeconds(amount).plusNanos(1_000L * amount));
            }
            return b.build();
        }
    }

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<String> suffixes = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(150).ofMaxLength(190),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40));
        return Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 3),
                Arbitraries.longs().between(1, 10_000),
                Arbitraries.integers().between(0, ACCOUNTS.length - 1),
                suffixes,
                Arbitraries.of("issuance", "refund", "payout"),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(0L, 1_000L, 999L, 2_000_000L)).as(Step::new);
    }
}
