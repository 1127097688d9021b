package org.ticketledger.ledger.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.HoldStatus;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ledger.UnableToOpenAccountException;
import org.ticketledger.ledger.VerificationReport;

/**
 * The behaviour every {@link Journal} must show. Each implementation extends this class once;
 * every test works in a ledger of its own, so tests share one journal (and one database).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JournalContract {

    protected static final String CASH = "platform:alipay:settlement";
    protected static final String UNREDEEMED = "tickets:unredeemed";
    protected static final String FEES = "revenue:issuance-fee";
    protected static final String TOPUP = "equity:capital";

    private static final AtomicInteger LEDGERS = new AtomicInteger();

    protected MutableClock clock;
    protected Journal journal;

    /** A journal that stamps times from {@code clock}. */
    protected abstract Journal createJournal(MutableClock clock);

    @BeforeAll
    void openJournal() {
        clock = MutableClock.at("2026-11-26T02:00:00Z");
        journal = createJournal(clock);
    }

    @AfterAll
    void closeJournal() {
        journal.close();
    }

    /** A fresh CNY ledger with a cash asset (no overdraft), an unredeemed liability, fee revenue and an equity account. */
    protected LedgerId newLedger() {
        LedgerId id = LedgerId.of("t" + LEDGERS.incrementAndGet() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff));
        journal.createLedger(id, Money.CNY);
        journal.openAccount(Account.of(id, CASH, AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
        journal.openAccount(Account.of(id, UNREDEEMED, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
        journal.openAccount(Account.of(id, FEES, AccountType.REVENUE, BalancePolicy.NONE));
        journal.openAccount(Account.of(id, TOPUP, AccountType.EQUITY, BalancePolicy.NONE));
        return id;
    }

    protected static Money yuan(String amount) {
        return Money.parseCny(amount);
    }

    protected static EntryRequest issuance(LedgerId ledger, String key, String price, String fee) {
        Money p = yuan(price);
        Money f = yuan(fee);
        EntryRequest.Builder b = EntryRequest.builder(ledger, key, "issuance")
                .debit(CASH, p.plus(f))
                .credit(UNREDEEMED, p)
                .meta("order", key);
        if (f.isPositive()) {
            b.credit(FEES, f);
        }
        return b.build();
    }

    protected static EntryRequest transfer(LedgerId ledger, String key, String from, String to, String amount) {
        return EntryRequest.builder(ledger, key, "transfer").debit(to, yuan(amount)).credit(from, yuan(amount)).build();
    }

    protected Balance balance(LedgerId ledger, String account) {
        return journal.balance(ledger, AccountCode.of(account)).orElseThrow();
    }

    protected Entry posted(PostResult r) {
        assertThat(r).isInstanceOf(PostResult.Posted.class);
        return ((PostResult.Posted) r).entry();
    }

    protected static void assertRejected(PostResult r, RejectionReason reason) {
        assertThat(r).isInstanceOfSatisfying(PostResult.Rejected.class, rej -> assertThat(rej.reason()).isEqualTo(reason));
    }

    // ------------------------------------------------------------------ posting

    @Test
    void postsBalancedEntryAndMovesBalances() {
        LedgerId l = newLedger();
        Entry e = posted(journal.post(issuance(l, "o-1", "100.00", "1.00")));

        assertThat(e.sequence()).isEqualTo(1);
        assertThat(e.kind()).isEqualTo(EntryKind.STANDARD);
        assertThat(e.total()).isEqualTo(yuan("101.00"));
        assertThat(e.meta("order")).contains("o-1");
        assertThat(balance(l, CASH).posted()).isEqualTo(yuan("101.00"));
        assertThat(balance(l, UNREDEEMED).posted()).isEqualTo(yuan("100.00"));
        assertThat(balance(l, FEES).posted()).isEqualTo(yuan("1.00"));
        assertThat(journal.trialBalance(l, AsOf.latest()).balanced()).isTrue();
    }

    @Test
    void assignsGaplessSequenceAndChainsHashes() {
        LedgerId l = newLedger();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(posted(journal.post(issuance(l, "o-" + i, "10.00", "0.10"))));
        }
        Hash previous = Hash.GENESIS;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            assertThat(e.sequence()).isEqualTo(i + 1);
            assertThat(e.previousHash()).isEqualTo(previous);
            assertThat(CanonicalForm.hashOf(e)).isEqualTo(e.hash());
            previous = e.hash();
        }
        assertThat(journal.head(l)).isEqualTo(new Journal.Head(5, previous));
        assertThat(journal.entries(l, 1, 100)).containsExactlyElementsOf(entries);
        assertThat(journal.entries(l, 2, 2)).containsExactly(entries.get(1), entries.get(2));
        assertThat(journal.entry(l, 3)).contains(entries.get(2));
        assertThat(journal.entryByKey(l, "o-4")).contains(entries.get(4));
        assertThat(journal.entry(l, 6)).isEmpty();
    }

    @Test
    void recordedTimeNeverRunsBackwards() {
        LedgerId l = newLedger();
        Entry first = posted(journal.post(issuance(l, "a", "1.00", "0.00")));
        clock.advance(Duration.ofSeconds(-30));
        Entry second = posted(journal.post(issuance(l, "b", "1.00", "0.00")));
        clock.advance(Duration.ofSeconds(60));
        assertThat(second.recordedAt()).isEqualTo(first.recordedAt());
        assertThat(second.effectiveAt()).isEqualTo(second.recordedAt());
    }

    @Test
    void keepsGivenEffectiveTimeAndMetadata() {
        LedgerId l = newLedger();
        Instant effective = Instant.parse("2026-11-01T08:00:00.123456789Z");
        Entry e = posted(journal.post(EntryRequest.builder(l, "k", "issuance")
                .debit(CASH, yuan("5.00")).credit(UNREDEEMED, yuan("5.00"))
                .effectiveAt(effective)
                .meta("ticket", "T-1").meta("note", "票 ✓")
                .build()));
        assertThat(e.effectiveAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00.123456Z"));
        Entry read = journal.entry(l, e.sequence()).orElseThrow();
        assertThat(read).isEqualTo(e);
        assertThat(read.metadata()).containsExactly(Map.entry("note", "票 ✓"), Map.entry("ticket", "T-1"));
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void sameKeyAndContentReturnsOriginalAndWritesNothing() {
        LedgerId l = newLedger();
        Entry original = posted(journal.post(issuance(l, "o-1", "100.00", "1.00")));
        PostResult again = journal.post(issuance(l, "o-1", "100.00", "1.00"));

        assertThat(again).isEqualTo(new PostResult.Duplicate(original));
        assertThat(journal.head(l).lastSequence()).isEqualTo(1);
        assertThat(balance(l, CASH).posted()).isEqualTo(yuan("101.00"));
    }

    @Test
    void sameKeyWithDifferentContentIsAConflictAndWritesNothing() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "100.00", "1.00")));
        PostResult conflict = journal.post(issuance(l, "o-1", "100.00", "2.00"));

        assertRejected(conflict, RejectionReason.IDEMPOTENCY_CONFLICT);
        assertThat(journal.head(l).lastSequence()).isEqualTo(1);
        assertThat(balance(l, FEES).posted()).isEqualTo(yuan("1.00"));
    }

    @Test
    void aRejectedRequestCanBeRetriedUnderTheSameKey() {
        LedgerId l = newLedger();
        PostResult first = journal.post(transfer(l, "pay-1", CASH, FEES, "5.00"));
        assertRejected(first, RejectionReason.INSUFFICIENT_BALANCE);
        posted(journal.post(issuance(l, "o-1", "10.00", "0.00")));
        Entry retried = posted(journal.post(transfer(l, "pay-1", CASH, FEES, "5.00")));
        assertThat(retried.sequence()).isEqualTo(2);
    }

    @Test
    void hasEntryTellsWhetherAKeyIsRecordedInThatLedger() {
        LedgerId l = newLedger();
        LedgerId other = newLedger();
        assertThat(journal.hasEntry(l, "o-1")).isFalse();
        posted(journal.post(issuance(l, "o-1", "10.00", "0.00")));
        assertThat(journal.hasEntry(l, "o-1")).isTrue();
        assertThat(journal.hasEntry(l, "o-2")).isFalse();
        assertThat(journal.hasEntry(other, "o-1")).isFalse();
        assertThat(journal.hasEntry(LedgerId.of("no-such-ledger"), "o-1")).isFalse();
        // A refused request records nothing under its key.
        assertRejected(journal.post(transfer(l, "pay-1", CASH, FEES, "50.00")), RejectionReason.INSUFFICIENT_BALANCE);
        assertThat(journal.hasEntry(l, "pay-1")).isFalse();
        // Agrees with entryByKey, whose answer it stands for.
        assertThat(journal.hasEntry(l, "o-1")).isEqualTo(journal.entryByKey(l, "o-1").isPresent());
        assertThatThrownBy(() -> journal.hasEntry(l, null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------ rejections

    @Test
    void rejectsUnknownAccountAndWritesNothing() {
        LedgerId l = newLedger();
        PostResult r = journal.post(transfer(l, "k", TOPUP, "nobody:here", "1.00"));
        assertRejected(r, RejectionReason.UNKNOWN_ACCOUNT);
        assertThat(((PostResult.Rejected) r).detail()).contains("nobody:here");
        assertThat(journal.head(l).lastSequence()).isZero();
    }

    @Test
    void rejectsUnknownLedger() {
        assertRejected(journal.post(transfer(LedgerId.of("no-such-ledger"), "k", TOPUP, CASH, "1.00")),
                RejectionReason.UNKNOWN_LEDGER);
    }

    @Test
    void rejectsPostingsInAnotherCurrency() {
        LedgerId l = newLedger();
        Money usd = Money.of(100, Currency.getInstance("USD"));
        PostResult r = journal.post(EntryRequest.builder(l, "k", "fx").debit(CASH, usd).credit(TOPUP, usd).build());
        assertRejected(r, RejectionReason.CURRENCY_MISMATCH);
        assertThat(journal.head(l).lastSequence()).isZero();
    }

    @Test
    void rejectsEntryThatWouldOverdrawAnAsset() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "10.00", "0.00")));
        PostResult r = journal.post(transfer(l, "pay", CASH, FEES, "10.01"));
        assertRejected(r, RejectionReason.INSUFFICIENT_BALANCE);
        assertThat(((PostResult.Rejected) r).detail()).contains(CASH).contains("10.00").contains("10.01");
        assertThat(balance(l, CASH).posted()).isEqualTo(yuan("10.00"));
        posted(journal.post(transfer(l, "pay-exact", CASH, FEES, "10.00")));
        assertThat(balance(l, CASH).posted()).isEqualTo(yuan("0.00"));
    }

    @Test
    void rejectsEntryThatWouldTurnALiabilityIntoDebit() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "10.00", "0.00")));
        assertRejected(journal.post(EntryRequest.builder(l, "redeem", "redemption")
                .debit(UNREDEEMED, yuan("10.01")).credit(FEES, yuan("10.01")).build()), RejectionReason.INSUFFICIENT_BALANCE);
        posted(journal.post(EntryRequest.builder(l, "redeem-ok", "redemption")
                .debit(UNREDEEMED, yuan("10.00")).credit(FEES, yuan("10.00")).build()));
        assertThat(balance(l, UNREDEEMED).posted()).isEqualTo(yuan("0.00"));
    }

    @Test
    void rejectsBalanceOverflow() {
        LedgerId l = newLedger();
        Money max = Money.cny(Long.MAX_VALUE);
        posted(journal.post(EntryRequest.builder(l, "big", "t").debit(CASH, max).credit(TOPUP, max).build()));
        PostResult r = journal.post(EntryRequest.builder(l, "one-more", "t").debit(CASH, Money.cny(1)).credit(TOPUP, Money.cny(1)).build());
        assertRejected(r, RejectionReason.BALANCE_OVERFLOW);
        assertThat(balance(l, CASH).debitsPosted()).isEqualTo(Long.MAX_VALUE);
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void openingTheSameAccountTwiceIsIdempotentButADifferentDefinitionIsRefused() {
        LedgerId l = newLedger();
        Account again = Account.of(l, CASH, AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS);
        assertThat(journal.openAccount(again)).isEqualTo(again);
        assertThatThrownBy(() -> journal.openAccount(Account.of(l, CASH, AccountType.ASSET, BalancePolicy.NONE)))
                .isInstanceOf(UnableToOpenAccountException.class).hasMessageContaining(CASH);
        assertThatThrownBy(() -> journal.openAccount(Account.of(LedgerId.of("missing-ledger"), CASH, AccountType.ASSET, BalancePolicy.NONE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.createLedger(l, Currency.getInstance("USD")))
                .isInstanceOf(UnableToOpenAccountException.class);
        assertThat(journal.accounts(l)).extracting(a -> a.code().value()).containsExactly("equity:capital",
                CASH, FEES, UNREDEEMED);
        Account withMeta = new Account(l, AccountCode.of("scenic:s1:payable"), AccountType.LIABILITY, BalancePolicy.NONE,
                Map.of("rail", "ALIPAY", "name", "西湖"));
        journal.openAccount(withMeta);
        assertThat(journal.account(l, withMeta.code())).contains(withMeta);
        assertThat(journal.ledger(l)).hasValueSatisfying(x -> assertThat(x.currency()).isEqualTo(Money.CNY));
    }

    // ------------------------------------------------------------------ holds

    @Test
    void aHoldReservesAgainstThePolicyAndPostsPartially() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "100.00", "0.00")));
        Entry hold = posted(journal.post(EntryRequest.hold(l, "payout-hold", "payout")
                .debit(FEES, yuan("80.00")).credit(CASH, yuan("80.00")).build()));

        Balance cash = balance(l, CASH);
        assertThat(cash.creditsPending()).isEqualTo(8000);
        assertThat(cash.available()).isEqualTo(yuan("20.00"));
        assertThat(cash.posted()).isEqualTo(yuan("100.00"));
        assertRejected(journal.post(transfer(l, "too-much", CASH, FEES, "20.01")), RejectionReason.INSUFFICIENT_BALANCE);
        assertThat(journal.holdStatus(l, hold.sequence())).contains(HoldStatus.PENDING);

        Entry post = posted(journal.post(EntryRequest.postHold(l, "payout-post", "payout", hold.sequence())
                .debit(FEES, yuan("79.10")).credit(CASH, yuan("79.10")).build()));
        assertThat(post.reference()).hasValue(hold.sequence());
        cash = balance(l, CASH);
        assertThat(cash.creditsPending()).isZero();
        assertThat(cash.posted()).isEqualTo(yuan("20.90"));
        assertThat(journal.holdStatus(l, hold.sequence())).contains(HoldStatus.POSTED);
        assertRejected(journal.post(EntryRequest.voidHold(l, "void-late", "payout", hold.sequence())), RejectionReason.HOLD_NOT_PENDING);
        assertThat(journal.holdStatus(l, post.sequence())).isEmpty();
    }

    @Test
    void postingMoreThanTheHoldOrOnOtherAccountsIsRefused() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "100.00", "0.00")));
        Entry hold = posted(journal.post(EntryRequest.hold(l, "h", "payout").debit(FEES, yuan("50.00")).credit(CASH, yuan("50.00")).build()));
        assertRejected(journal.post(EntryRequest.postHold(l, "p1", "payout", hold.sequence())
                .debit(FEES, yuan("50.01")).credit(CASH, yuan("50.01")).build()), RejectionReason.HOLD_AMOUNT_EXCEEDED);
        assertRejected(journal.post(EntryRequest.postHold(l, "p2", "payout", hold.sequence())
                .debit(TOPUP, yuan("5.00")).credit(CASH, yuan("5.00")).build()), RejectionReason.HOLD_AMOUNT_EXCEEDED);
        assertRejected(journal.post(EntryRequest.postHold(l, "p3", "payout", 1)
                .debit(FEES, yuan("5.00")).credit(CASH, yuan("5.00")).build()), RejectionReason.NOT_A_HOLD);
        assertRejected(journal.post(EntryRequest.postHold(l, "p4", "payout", 99)
                .debit(FEES, yuan("5.00")).credit(CASH, yuan("5.00")).build()), RejectionReason.UNKNOWN_REFERENCE);
        assertThat(journal.head(l).lastSequence()).isEqualTo(2);
    }

    @Test
    void voidingAHoldReleasesIt() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "30.00", "0.00")));
        Entry hold = posted(journal.post(EntryRequest.hold(l, "h", "payout").debit(FEES, yuan("30.00")).credit(CASH, yuan("30.00")).build()));
        Entry voided = posted(journal.post(EntryRequest.voidHold(l, "v", "payout", hold.sequence())));
        assertThat(voided.postings()).isEqualTo(hold.postings());
        assertThat(balance(l, CASH).available()).isEqualTo(yuan("30.00"));
        assertThat(journal.holdStatus(l, hold.sequence())).contains(HoldStatus.VOIDED);
        posted(journal.post(transfer(l, "spend", CASH, FEES, "30.00")));
    }

    @Test
    void expiredHoldsCannotBePostedAndAreReleasedByTheSweep() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "30.00", "0.00")));
        Instant expiry = clock.instant().plus(Duration.ofMinutes(10));
        Entry hold = posted(journal.post(EntryRequest.hold(l, "h", "payout").debit(FEES, yuan("30.00"))
                .credit(CASH, yuan("30.00")).expiresAt(expiry).build()));
        assertThat(journal.expireHolds(l, clock.instant())).isEmpty();

        clock.advance(Duration.ofMinutes(11));
        assertRejected(journal.post(EntryRequest.postHold(l, "late", "payout", hold.sequence())
                .debit(FEES, yuan("30.00")).credit(CASH, yuan("30.00")).build()), RejectionReason.HOLD_EXPIRED);
        List<Entry> expired = journal.expireHolds(l, clock.instant());
        assertThat(expired).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EntryKind.HOLD_EXPIRE);
            assertThat(e.reference()).hasValue(hold.sequence());
        });
        assertThat(journal.expireHolds(l, clock.instant())).isEmpty();
        assertThat(journal.holdStatus(l, hold.sequence())).contains(HoldStatus.EXPIRED);
        assertThat(balance(l, CASH).available()).isEqualTo(yuan("30.00"));
    }

    // ------------------------------------------------------------------ reversals

    @Test
    void aReversalMirrorsTheOriginalOnceOnly() {
        LedgerId l = newLedger();
        Entry issued = posted(journal.post(issuance(l, "o-1", "100.00", "1.00")));
        Entry reversal = posted(journal.post(EntryRequest.reversal(l, "o-1:refund", "refund", issued.sequence())));

        assertThat(reversal.kind()).isEqualTo(EntryKind.REVERSAL);
        assertThat(reversal.reference()).hasValue(issued.sequence());
        assertThat(reversal.postings()).hasSize(3).allSatisfy(p ->
                assertThat(issued.postings()).contains(p.reversed()));
        assertThat(balance(l, CASH).posted()).isEqualTo(yuan("0.00"));
        assertThat(balance(l, FEES).posted()).isEqualTo(yuan("0.00"));
        assertRejected(journal.post(EntryRequest.reversal(l, "again", "refund", issued.sequence())), RejectionReason.ALREADY_REVERSED);
        assertRejected(journal.post(EntryRequest.reversal(l, "rev-rev", "refund", reversal.sequence())), RejectionReason.NOT_REVERSIBLE);
        assertRejected(journal.post(EntryRequest.reversal(l, "nothing", "refund", 42)), RejectionReason.UNKNOWN_REFERENCE);
    }

    @Test
    void aReversalThatWouldBreakAPolicyIsRefused() {
        LedgerId l = newLedger();
        Entry issued = posted(journal.post(issuance(l, "o-1", "10.00", "0.00")));
        posted(journal.post(transfer(l, "spend", CASH, FEES, "5.00")));
        assertRejected(journal.post(EntryRequest.reversal(l, "refund", "refund", issued.sequence())), RejectionReason.INSUFFICIENT_BALANCE);
    }

    // ------------------------------------------------------------------ as-of

    @Test
    void balancesAndTrialBalanceAsOfSequenceAndInstant() {
        LedgerId l = newLedger();
        Instant t0 = clock.instant();
        posted(journal.post(issuance(l, "o-1", "10.00", "1.00")));
        clock.advance(Duration.ofMinutes(1));
        Instant t1 = clock.instant();
        posted(journal.post(issuance(l, "o-2", "20.00", "1.00")));
        Entry hold = posted(journal.post(EntryRequest.hold(l, "h", "payout").debit(FEES, yuan("5.00")).credit(CASH, yuan("5.00")).build()));
        clock.advance(Duration.ofMinutes(1));
        posted(journal.post(EntryRequest.voidHold(l, "v", "payout", hold.sequence())));

        assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.sequence(0)).orElseThrow().posted()).isEqualTo(yuan("0.00"));
        assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.sequence(1)).orElseThrow().posted()).isEqualTo(yuan("11.00"));
        Balance atHold = journal.balance(l, AccountCode.of(CASH), AsOf.sequence(3)).orElseThrow();
        assertThat(atHold.posted()).isEqualTo(yuan("32.00"));
        assertThat(atHold.creditsPending()).isEqualTo(500);
        assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.sequence(4)).orElseThrow().creditsPending()).isZero();
        assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.instant(t0)).orElseThrow().posted()).isEqualTo(yuan("11.00"));
        assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.instant(t0.minusSeconds(1))).orElseThrow().posted()).isEqualTo(yuan("0.00"));
        assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.instant(t1)).orElseThrow().creditsPending()).isEqualTo(500);
        assertThat(journal.balance(l, AccountCode.of("no:such"), AsOf.latest())).isEmpty();

        TrialBalance tb1 = journal.trialBalance(l, AsOf.sequence(1));
        assertThat(tb1.asOfSequence()).isEqualTo(1);
        assertThat(tb1.totalDebits()).isEqualTo(1100).isEqualTo(tb1.totalCredits());
        TrialBalance latest = journal.trialBalance(l, AsOf.latest());
        assertThat(latest.balanced()).isTrue();
        assertThat(latest.totalDebits()).isEqualTo(3200);
        assertThat(latest.asOfSequence()).isEqualTo(4);
        assertThat(latest.lines()).hasSize(4);
        assertThat(journal.trialBalance(l, AsOf.sequence(99))).isEqualTo(latest);
    }

    @Test
    void asOfAnInstantCutsAfterTheLastEntryRecordedByThen() {
        LedgerId l = newLedger();
        java.util.Random random = new java.util.Random(20261127);
        Duration[] steps = {Duration.ZERO, Duration.ofNanos(1_000), Duration.ofMillis(3), Duration.ofMinutes(2),
                Duration.ofSeconds(-5)};
        List<Instant> recorded = new ArrayList<>();
        for (int i = 0; i < 77; i++) {
            // Steps of zero and backwards too: several entries share an instant, and a clock set back
            // must not move recorded times back along the sequence.
            clock.advance(steps[random.nextInt(steps.length)]);
            recorded.add(posted(journal.post(issuance(l, "o-" + i, "1.00", "0.01"))).recordedAt());
        }
        List<Instant> probes = new ArrayList<>(List.of(recorded.get(0).minusSeconds(1), Instant.EPOCH,
                recorded.get(recorded.size() - 1).plusSeconds(1)));
        for (Instant t : recorded) {
            probes.add(t);
            probes.add(t.minusNanos(1_000));
            probes.add(t.plusNanos(1_000));
        }
        for (Instant t : probes) {
            long expected = 0;
            for (int i = 0; i < recorded.size(); i++) {
                if (!recorded.get(i).isAfter(t)) {
                    expected = i + 1;
                }
            }
            assertThat(journal.trialBalance(l, AsOf.instant(t)).asOfSequence()).as("as of %s", t).isEqualTo(expected);
            assertThat(journal.balance(l, AccountCode.of(CASH), AsOf.instant(t)).orElseThrow().posted().minor())
                    .as("cash as of %s", t).isEqualTo(101 * expected);
        }
        for (int i = 1; i < recorded.size(); i++) {
            assertThat(recorded.get(i)).isAfterOrEqualTo(recorded.get(i - 1));
        }
    }

    // ------------------------------------------------------------------ batches

    @Test
    void postAllJudgesEachEntryOnItsOwnInOrder() {
        LedgerId l = newLedger();
        List<PostResult> results = journal.postAll(List.of(
                issuance(l, "o-1", "10.00", "0.00"),
                transfer(l, "too-much", CASH, FEES, "10.01"),
                transfer(l, "fine", CASH, FEES, "10.00"),
                issuance(l, "o-1", "10.00", "0.00"),
                issuance(l, "o-1", "99.00", "0.00"),
                transfer(l, "unknown", CASH, "x:y", "1.00")));

        assertThat(results.get(0)).isInstanceOf(PostResult.Posted.class);
        assertRejected(results.get(1), RejectionReason.INSUFFICIENT_BALANCE);
        assertThat(posted(results.get(2)).sequence()).isEqualTo(2);
        assertThat(results.get(3)).isEqualTo(new PostResult.Duplicate(posted(results.get(0))));
        assertRejected(results.get(4), RejectionReason.IDEMPOTENCY_CONFLICT);
        assertRejected(results.get(5), RejectionReason.UNKNOWN_ACCOUNT);
        assertThat(journal.head(l).lastSequence()).isEqualTo(2);
        assertThat(journal.verify(l).ok()).isTrue();
    }

    @Test
    void postAllSpansLedgers() {
        LedgerId a = newLedger();
        LedgerId b = newLedger();
        List<PostResult> results = journal.postAll(List.of(issuance(b, "x", "1.00", "0.00"), issuance(a, "x", "2.00", "0.00")));
        assertThat(posted(results.get(0)).ledger()).isEqualTo(b);
        assertThat(posted(results.get(1)).ledger()).isEqualTo(a);
        assertThat(balance(a, CASH).posted()).isEqualTo(yuan("2.00"));
    }

    @Test
    void asyncPostingCompletesWithTheSameResult() throws Exception {
        LedgerId l = newLedger();
        PostResult r = journal.postAsync(issuance(l, "o-1", "3.00", "0.00")).get();
        assertThat(posted(r).sequence()).isEqualTo(1);
        assertThat(journal.postAsync(issuance(l, "o-1", "3.00", "0.00")).get()).isInstanceOf(PostResult.Duplicate.class);
    }

    // ------------------------------------------------------------------ verification

    @Test
    void verifyAcceptsASoundLedger() {
        LedgerId l = newLedger();
        posted(journal.post(issuance(l, "o-1", "10.00", "1.00")));
        Entry hold = posted(journal.post(EntryRequest.hold(l, "h", "p").debit(FEES, yuan("1.00")).credit(CASH, yuan("1.00")).build()));
        posted(journal.post(EntryRequest.postHold(l, "hp", "p", hold.sequence()).debit(FEES, yuan("0.50")).credit(CASH, yuan("0.50")).build()));
        posted(journal.post(EntryRequest.reversal(l, "r", "p", 3)));
        VerificationReport report = journal.verify(l);
        assertThat(report.problems()).isEmpty();
        assertThat(report.entriesChecked()).isEqualTo(4);
        assertThat(report.lastSequence()).isEqualTo(4);
    }

    /**
     * Many small entries on a few accounts, then reads, holds, resolutions and a reversal on them:
     * a store that keeps totals lazily (Postgres leaves balance rows behind by up to
     * balanceFlushPostings postings) must answer every read and judgement as if it did not.
     */
    @Test
    void accountsWithManyRecentPostingsReadAndJudgeRightThroughHoldsAndReversals() {
        LedgerId l = newLedger();
        int n = 5;
        long[] held = new long[n];
        for (int a = 0; a < n; a++) {
            journal.openAccount(Account.of(l, "cold:" + a, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
        }
        List<Entry> deposits = new ArrayList<>();
        long[] atHalf = null;
        for (int i = 0; i < 90; i++) {
            int a = (i * 7) % n;
            long amount = 100 + i;
            EntryRequest r = EntryRequest.builder(l, "in-" + i, "deposit").debit(CASH, Money.cny(amount))
                    .credit("cold:" + a, Money.cny(amount)).build();
            if (i % 10 == 9) {
                // Now and then a batch of its own, so accounts see several postings at once.
                EntryRequest other = EntryRequest.builder(l, "in-" + i + "b", "deposit").debit(CASH, Money.cny(1))
                        .credit("cold:" + ((a + 1) % n), Money.cny(1)).build();
                List<PostResult> both = journal.postAll(List.of(r, other));
                deposits.add(posted(both.get(0)));
                posted(both.get(1));
                held[(a + 1) % n] += 1;
            } else {
                deposits.add(posted(journal.post(r)));
            }
            held[a] += amount;
            if (i == 44) {
                atHalf = held.clone();
            }
        }
        long half = deposits.get(44).sequence();
        for (int a = 0; a < n; a++) {
            assertThat(balance(l, "cold:" + a).creditsPosted()).as("cold:%d", a).isEqualTo(held[a]);
            assertThat(journal.balance(l, AccountCode.of("cold:" + a), AsOf.sequence(half)).orElseThrow().creditsPosted())
                    .as("cold:%d as of %d", a, half).isEqualTo(atHalf[a]);
        }
        TrialBalance tb = journal.trialBalance(l, AsOf.latest());
        assertThat(tb.balanced()).isTrue();
        assertThat(tb.totalDebits()).isEqualTo(java.util.Arrays.stream(held).sum());

        // A hold on an account with a long tail reserves against its true balance.
        Entry hold0 = posted(journal.post(EntryRequest.hold(l, "h0", "payout")
                .debit("cold:0", Money.cny(held[0] - 10)).credit(CASH, Money.cny(held[0] - 10)).build()));
        assertThat(balance(l, "cold:0").debitsPending()).isEqualTo(held[0] - 10);
        assertRejected(journal.post(EntryRequest.builder(l, "over0", "payout").debit("cold:0", Money.cny(11))
                .credit(CASH, Money.cny(11)).build()), RejectionReason.INSUFFICIENT_BALANCE);
        posted(journal.post(EntryRequest.builder(l, "fits0", "payout").debit("cold:0", Money.cny(10))
                .credit(CASH, Money.cny(10)).build()));
        posted(journal.post(EntryRequest.postHold(l, "p0", "payout", hold0.sequence())
                .debit("cold:0", Money.cny(held[0] - 20)).credit(CASH, Money.cny(held[0] - 20)).build()));
        Balance cold0 = balance(l, "cold:0");
        assertThat(cold0.debitsPending()).isZero();
        assertThat(cold0.debitsPosted()).isEqualTo(held[0] - 10);
        held[0] = 10;

        // A hold voided after more postings, and the account's postings since read right.
        Entry hold1 = posted(journal.post(EntryRequest.hold(l, "h1", "payout")
                .debit("cold:1", Money.cny(held[1])).credit(CASH, Money.cny(held[1])).build()));
        for (int i = 0; i < 6; i++) {
            posted(journal.post(EntryRequest.builder(l, "more-" + i, "deposit").debit(CASH, Money.cny(5))
                    .credit("cold:1", Money.cny(5)).build()));
            held[1] += 5;
        }
        assertThat(balance(l, "cold:1").available()).isEqualTo(Money.cny(30));
        posted(journal.post(EntryRequest.voidHold(l, "v1", "payout", hold1.sequence())));
        assertThat(balance(l, "cold:1").available()).isEqualTo(Money.cny(held[1]));

        // Reversing an old deposit of an account with a tail; then one too many is refused.
        Entry old = deposits.get(2);
        int a2 = (2 * 7) % n;
        posted(journal.post(EntryRequest.reversal(l, "r2", "refund", old.sequence())));
        held[a2] -= old.postings().get(0).amount().minor();
        for (int a = 0; a < n; a++) {
            assertThat(balance(l, "cold:" + a).available()).as("cold:%d", a).isEqualTo(Money.cny(held[a]));
        }
        assertRejected(journal.post(EntryRequest.builder(l, "drain", "payout").debit("cold:" + a2, Money.cny(held[a2] + 1))
                .credit(CASH, Money.cny(held[a2] + 1)).build()), RejectionReason.INSUFFICIENT_BALANCE);
        posted(journal.post(EntryRequest.builder(l, "drain-ok", "payout").debit("cold:" + a2, Money.cny(held[a2]))
                .credit(CASH, Money.cny(held[a2])).build()));
        assertThat(balance(l, "cold:" + a2).available()).isEqualTo(Money.cny(0));
        assertThat(journal.trialBalance(l, AsOf.latest()).balanced()).isTrue();
        assertThat(journal.trialBalance(l, AsOf.latest()).lines())
                .containsExactlyInAnyOrderElementsOf(journal.trialBalance(l, AsOf.sequence(journal.head(l).lastSequence())).lines());
        assertThat(journal.verify(l).problems()).isEmpty();
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentWritersOnHotAccountsLoseNothingAndNeverOverdraw() throws Exception {
        LedgerId l = newLedger();
        String[] hot = {"hot:a", "hot:b", "hot:c"};
        for (String h : hot) {
            journal.openAccount(Account.of(l, h, AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
        }
        // Seed each hot account with 50.00 so that many moves between them must be refused.
        for (String h : hot) {
            posted(journal.post(EntryRequest.builder(l, "seed-" + h, "seed").debit(h, yuan("50.00")).credit(TOPUP, yuan("50.00")).build()));
        }
        int threads = 8;
        int perThread = entriesPerThreadInConcurrencyTest();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<EntryRequest>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<List<EntryRequest>> work = () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                List<EntryRequest> accepted = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    int from = rnd.nextInt(3);
                    int to = (from + 1 + rnd.nextInt(2)) % 3;
                    Money amount = Money.cny(1 + rnd.nextInt(2000));
                    EntryRequest r = EntryRequest.builder(l, "t" + thread + "-" + i, "transfer")
                            .debit(hot[to], amount).credit(hot[from], amount).build();
                    PostResult result = journal.post(r);
                    if (result instanceof PostResult.Posted) {
                        accepted.add(r);
                    } else {
                        assertRejected(result, RejectionReason.INSUFFICIENT_BALANCE);
                    }
                }
                return accepted;
            };
            futures.add(pool.submit(work));
        }
        long[] expected = new long[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = 5000;
        }
        int accepted = 0;
        for (Future<List<EntryRequest>> f : futures) {
            for (EntryRequest r : f.get()) {
                accepted++;
                for (var p : r.postings()) {
                    int idx = List.of(hot).indexOf(p.account().value());
                    expected[idx] += p.side() == org.ticketledger.ledger.Side.DEBIT ? p.amount().minor() : -p.amount().minor();
                }
            }
        }
        pool.shutdown();
        for (int i = 0; i < 3; i++) {
            Balance b = balance(l, hot[i]);
            assertThat(b.posted().minor()).as(hot[i]).isEqualTo(expected[i]).isGreaterThanOrEqualTo(0);
        }
        assertThat(journal.head(l).lastSequence()).isEqualTo(3 + accepted);
        assertThat(accepted).isGreaterThan(0).isLessThan(threads * perThread);
        assertThat(journal.verify(l).problems()).isEmpty();
        assertThat(journal.trialBalance(l, AsOf.latest()).balanced()).isTrue();
    }

    /** At least 1,000 per thread, as the contract demands. */
    protected int entriesPerThreadInConcurrencyTest() {
        return 1000;
    }
}
