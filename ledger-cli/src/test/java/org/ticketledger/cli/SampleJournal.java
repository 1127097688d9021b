package org.ticketledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.testing.MutableClock;

/**
 * A ticketing-shaped journal for tests: issuances, redemptions, refunds (reversals), payouts as
 * holds that are posted, voided or left to expire, with metadata that needs escaping and UTF-8.
 */
final class SampleJournal {

    static final String SETTLEMENT = "platform:alipay:settlement";
    static final String UNREDEEMED = "tickets:unredeemed";
    static final String FEE = "revenue:issuance-fee";
    static final String MARGIN = "revenue:margin";
    static final String PAYOUT_FEE = "revenue:payout-fee";
    static final String PAYABLE = "scenic:s-1:payable";

    private SampleJournal() {
    }

    static void open(Journal j, LedgerId l) {
        j.createLedger(l, Money.CNY);
        j.openAccount(Account.of(l, SETTLEMENT, AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS));
        j.openAccount(new Account(l, org.ticketledger.ledger.AccountCode.of(UNREDEEMED), AccountType.LIABILITY,
                BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS, java.util.Map.of("owner", "platform", "note", "票面 \"face\" value")));
        j.openAccount(Account.of(l, FEE, AccountType.REVENUE, BalancePolicy.NONE));
        j.openAccount(Account.of(l, MARGIN, AccountType.REVENUE, BalancePolicy.NONE));
        j.openAccount(Account.of(l, PAYOUT_FEE, AccountType.REVENUE, BalancePolicy.NONE));
        j.openAccount(Account.of(l, PAYABLE, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS));
    }

    /**
     * The first {@code n} requests of the pattern, for a ledger whose next sequence is {@code base + 1}.
     * Every request is valid when posted in order.
     */
    static List<EntryRequest> requests(LedgerId l, long base, int n) {
        List<EntryRequest> out = new ArrayList<>(n);
        long seq = base;
        int cycle = 0;
        while (out.size() < n) {
            long c = base + 10L * cycle;
            String k = l + ":" + cycle + ":";
            List<EntryRequest> r = new ArrayList<>(10);
            for (int i = 1; i <= 3; i++) {
                EntryRequest.Builder b = EntryRequest.builder(l, k + "issue-" + i, "issuance")
                        .debit(SETTLEMENT, Money.cny(10100 + i))
                        .credit(UNREDEEMED, Money.cny(10000 + i))
                        .credit(FEE, Money.cny(100))
                        .meta("order", "o-" + cycle + "-" + i)
                        .meta("ticket", "T-" + cycle + "-" + i);
                if (cycle % 7 == 0 && i == 1) {
                    b.meta("note", "景区 \"VIP\" \\ tab\there \u001b");
                }
                r.add(b.build());
            }
            r.add(EntryRequest.builder(l, k + "redeem-1", "redemption")
                    .debit(UNREDEEMED, Money.cny(10001)).credit(PAYABLE, Money.cny(9001)).credit(MARGIN, Money.cny(1000))
                    .meta("ticket", "T-" + cycle + "-1").build());
            r.add(EntryRequest.reversal(l, k + "refund-2", "refund", c + 2));
            r.add(EntryRequest.hold(l, k + "payout-1", "payout")
                    .debit(PAYABLE, Money.cny(9001)).credit(SETTLEMENT, Money.cny(8911)).credit(PAYOUT_FEE, Money.cny(90)).build());
            r.add(EntryRequest.postHold(l, k + "payout-1:done", "payout", c + 6)
                    .debit(PAYABLE, Money.cny(9001)).credit(SETTLEMENT, Money.cny(8911)).credit(PAYOUT_FEE, Money.cny(90)).build());
            r.add(EntryRequest.builder(l, k + "redeem-3", "redemption")
                    .debit(UNREDEEMED, Money.cny(10003)).credit(PAYABLE, Money.cny(9003)).credit(MARGIN, Money.cny(1000)).build());
            r.add(EntryRequest.hold(l, k + "payout-3", "payout")
                    .debit(PAYABLE, Money.cny(9003)).credit(SETTLEMENT, Money.cny(9003))
                    .expiresAt(java.time.Instant.parse("2099-01-01T00:00:00Z")).build());
            r.add(EntryRequest.voidHold(l, k + "payout-3:void", "payout-void", c + 9));
            for (EntryRequest req : r) {
                if (out.size() < n) {
                    out.add(req);
                    seq++;
                }
            }
            cycle++;
        }
        return out;
    }

    /** Posts {@code n} entries in batches (one transaction each on Postgres), moving the clock a second per batch. */
    static void fill(Journal j, LedgerId l, int n, int batch, MutableClock clock) {
        List<EntryRequest> all = requests(l, j.head(l).lastSequence(), n);
        for (int i = 0; i < all.size(); i += batch) {
            List<PostResult> results = j.postAll(all.subList(i, Math.min(all.size(), i + batch)));
            for (PostResult r : results) {
                assertThat(r).isInstanceOf(PostResult.Posted.class);
            }
            clock.advance(Duration.ofSeconds(1));
        }
    }

    /** Adds a hold that expires, and its HOLD_EXPIRE entry, after the clock passed the expiry. */
    static void expiringHold(Journal j, LedgerId l, MutableClock clock) {
        PostResult r = j.post(EntryRequest.hold(l, l + ":expiring", "payout")
                .debit(PAYABLE, Money.cny(1)).credit(SETTLEMENT, Money.cny(1))
                .expiresAt(clock.instant().plusSeconds(60)).build());
        assertThat(r).isInstanceOf(PostResult.Posted.class);
        clock.advance(Duration.ofSeconds(61));
        assertThat(j.expireHolds(l, clock.instant())).hasSize(1).allMatch(e -> e.kind() == EntryKind.HOLD_EXPIRE);
    }
}
