package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ticketledger.ledger.testing.MutableClock;

/**
 * The in-memory journal tells a duplicate from a conflict without keeping the original request: it
 * compares the retry against the stored entry. This checks that comparison against
 * {@link EntryRequest#equals} over requests that differ in one or more fields, including the
 * subtle one: an effectiveAt given explicitly and equal to the recorded time is still different
 * content from an effectiveAt left empty.
 */
class InMemoryIdempotencyProperties {

    private static final Instant NOW = Instant.parse("2026-11-26T02:00:00.123456Z");

    @Property(tries = 1000)
    void aRetryIsADuplicateExactlyWhenItEqualsTheOriginalRequest(@ForAll("requests") Shape original,
                                                                @ForAll("requests") Shape retry) {
        MutableClock clock = new MutableClock(NOW);
        InMemoryJournal journal = InMemoryJournal.withClock(clock);
        LedgerId l = LedgerId.of("props");
        journal.createLedger(l, Money.CNY);
        journal.openAccount(Account.of(l, "a:1", AccountType.ASSET, BalancePolicy.NONE));
        journal.openAccount(Account.of(l, "a:2", AccountType.LIABILITY, BalancePolicy.NONE));
        // Entry 1 can be reversed, entry 2 is a hold that can be voided.
        journal.post(EntryRequest.builder(l, "base", "issuance").debit("a:1", Money.cny(5)).credit("a:2", Money.cny(5)).build());
        journal.post(EntryRequest.hold(l, "held", "issuance").debit("a:1", Money.cny(5)).credit("a:2", Money.cny(5)).build());

        EntryRequest first = original.toRequest(l);
        EntryRequest second = retry.toRequest(l);
        PostResult posted = journal.post(first);
        assertThat(posted).isInstanceOf(PostResult.Posted.class);
        clock.advance(Duration.ofMillis(original.clockStepMillis()));
        PostResult again = journal.post(second);

        if (second.equals(first)) {
            assertThat(again).isEqualTo(new PostResult.Duplicate(((PostResult.Posted) posted).entry()));
        } else {
            assertThat(again).isInstanceOfSatisfying(PostResult.Rejected.class,
                    r -> assertThat(r.reason()).isEqualTo(RejectionReason.IDEMPOTENCY_CONFLICT));
        }
        assertThat(journal.head(l).lastSequence()).isEqualTo(3);
        assertThat(journal.entryByKey(l, "k")).contains(((PostResult.Posted) posted).entry());
    }

    /** A request drawn from a small space, so that equal pairs are frequent. */
    record Shape(EntryKind kind, String type, long amount, int effective, boolean expires, int meta, long clockStepMillis) {

        EntryRequest toRequest(LedgerId l) {
            EntryRequest.Builder b;
            switch (kind) {
                case REVERSAL:
                    b = EntryRequest.referencing(l, "k", type, EntryKind.REVERSAL, 1);
                    break;
                case HOLD_VOID:
                    b = EntryRequest.referencing(l, "k", type, EntryKind.HOLD_VOID, 2);
                    break;
                case HOLD:
                    b = EntryRequest.hold(l, "k", type).debit("a:1", Money.cny(amount)).credit("a:2", Money.cny(amount));
                    if (expires) {
                        b.expiresAt(NOW.plusSeconds(3600));
                    }
                    break;
                default:
                    b = EntryRequest.builder(l, "k", type).debit("a:1", Money.cny(amount)).credit("a:2", Money.cny(amount));
            }
            if (effective == 1) {
                b.effectiveAt(NOW); // equal to the recorded time of the original
            } else if (effective == 2) {
                b.effectiveAt(NOW.minusSeconds(60));
            }
            if (meta == 1) {
                b.meta("order", "o-1");
            } else if (meta == 2) {
                b.meta("order", "o-2");
            }
            return b.build();
        }
    }

    @Provide
    Arbitrary<Shape> requests() {
        return Combinators.combine(
                Arbitraries.of(EntryKind.STANDARD, EntryKind.HOLD, EntryKind.REVERSAL, EntryKind.HOLD_VOID),
                Arbitraries.of("issuance", "refund"),
                Arbitraries.longs().between(1, 2),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(0L, 5L)).as(Shape::new);
    }
}
