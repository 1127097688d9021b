package org.ticketledger.ticketing.internal;

import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.UnableToRecordEntryException;

/**
 * The chart of accounts (ARCHITECTURE.md, "Ticketing flows → ledger entries") and posting with
 * business-derived idempotency keys: a re-run of any step posts a Duplicate, never a second entry.
 * Entries are built from stored rows only, so a retry rebuilds exactly the same request.
 */
final class Book {

    static final AccountCode UNREDEEMED = AccountCode.of("tickets:unredeemed");
    static final AccountCode ISSUANCE_FEE = AccountCode.of("revenue:issuance-fee");
    static final AccountCode MARGIN = AccountCode.of("revenue:margin");
    static final AccountCode PAYOUT_FEE = AccountCode.of("revenue:payout-fee");
    static final AccountCode FUNDING = AccountCode.of("equity:platform-funding");
    static final AccountCode INVESTMENT_YIELD = AccountCode.of("revenue:investment-yield");
    static final AccountCode BREAKAGE = AccountCode.of("revenue:breakage");
    static final AccountCode EXPIRED = AccountCode.of("tickets:expired");
    static final AccountCode PROFIT_SHARE = AccountCode.of("expense:profit-share");

    private final Journal journal;

    Book(Journal journal) {
        this.journal = journal;
    }

    static LedgerId ledgerFor(Currency currency) {
        return LedgerId.of("platform-" + currency.getCurrencyCode().toLowerCase(Locale.ROOT));
    }

    static AccountCode settlement(RailId rail) {
        return AccountCode.of("platform:" + rail.value().toLowerCase(Locale.ROOT) + ":settlement");
    }

    /** Principal the platform holds in wealth plans at {@code rail}. */
    static AccountCode wealth(RailId rail) {
        return AccountCode.of("platform:" + rail.value().toLowerCase(Locale.ROOT) + ":wealth");
    }

    static AccountCode profitPayable(String partyId) {
        return AccountCode.of("party:" + partyId + ":profit-payable");
    }

    static AccountCode scenicPayable(String spotId) {
        return AccountCode.of("scenic:" + spotId + ":payable");
    }

    static AccountCode refundPayable(String distributorId) {
        return AccountCode.of("distributor:" + distributorId + ":refund-payable");
    }

    /** Creates the platform ledger and its fixed accounts (idempotent). */
    void openPlatform(LedgerId ledger, Currency currency, Iterable<RailId> rails) {
        journal.createLedger(ledger, currency);
        for (RailId rail : rails) {
            openSettlement(ledger, rail);
        }
        open(ledger, UNREDEEMED, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS, Map.of());
        open(ledger, ISSUANCE_FEE, AccountType.REVENUE, BalancePolicy.NONE, Map.of());
        open(ledger, MARGIN, AccountType.REVENUE, BalancePolicy.NONE, Map.of());
        open(ledger, PAYOUT_FEE, AccountType.REVENUE, BalancePolicy.NONE, Map.of());
        open(ledger, FUNDING, AccountType.EQUITY, BalancePolicy.NONE, Map.of());
        openExpiryAndProfit(ledger);
    }

    /**
     * The accounts of expiry, yield and profit distribution (added after the first release, so
     * opened again on start for platforms onboarded before; idempotent).
     */
    void openExpiryAndProfit(LedgerId ledger) {
        open(ledger, INVESTMENT_YIELD, AccountType.REVENUE, BalancePolicy.NONE, Map.of());
        open(ledger, BREAKAGE, AccountType.REVENUE, BalancePolicy.NONE, Map.of());
        open(ledger, EXPIRED, AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS, Map.of());
        open(ledger, PROFIT_SHARE, AccountType.EXPENSE, BalancePolicy.NONE, Map.of());
    }

    /** The wealth account at {@code rail}: never below zero, like cash. */
    void openWealth(LedgerId ledger, RailId rail) {
        open(ledger, wealth(rail), AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS,
                Map.of("rail", rail.value()));
    }

    void openProfitPayable(LedgerId ledger, String partyId) {
        open(ledger, profitPayable(partyId), AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS,
                Map.of("party", partyId));
    }

    void openSettlement(LedgerId ledger, RailId rail) {
        // Cash at a rail can never be overdrawn: a payout is held against it before the rail is asked.
        open(ledger, settlement(rail), AccountType.ASSET, BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS,
                Map.of("rail", rail.value()));
    }

    void openScenic(LedgerId ledger, String spotId) {
        open(ledger, scenicPayable(spotId), AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS,
                Map.of("party", spotId));
    }

    void openDistributor(LedgerId ledger, String distributorId) {
        open(ledger, refundPayable(distributorId), AccountType.LIABILITY, BalancePolicy.DEBITS_MUST_NOT_EXCEED_CREDITS,
                Map.of("party", distributorId));
    }

    private void open(LedgerId ledger, AccountCode code, AccountType type, BalancePolicy policy, Map<String, String> meta) {
        journal.openAccount(new Account(ledger, code, type, policy, meta));
    }

    /** Posts an entry that must be accepted; a refusal is a configuration error or a bug. */
    Entry post(EntryRequest request) {
        PostResult r = journal.post(request);
        if (r instanceof PostResult.Rejected rej) {
            throw new UnableToRecordEntryException("ledger refused " + request.idempotencyKey() + ": " + rej.reason()
                    + " " + rej.detail());
        }
        return r.acceptedEntry().orElseThrow();
    }

    /**
     * Queues an entry with the journal and returns at once; the future completes when it is
     * durable (or failed). For entries that something else books again if this one is lost.
     */
    java.util.concurrent.CompletableFuture<PostResult> postAsync(EntryRequest request) {
        return journal.postAsync(request);
    }

    /**
     * Waits for an entry queued with {@link #postAsync} that must be accepted, with the failures of
     * {@link #post}: a refusal is a configuration error or a bug; a storage failure is rethrown.
     */
    Entry await(EntryRequest request, java.util.concurrent.CompletableFuture<PostResult> pending) {
        PostResult r;
        try {
            r = pending.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new org.ticketledger.ticketing.TicketingException("posting " + request.idempotencyKey() + " failed", e.getCause());
        }
        if (r instanceof PostResult.Rejected rej) {
            throw new UnableToRecordEntryException("ledger refused " + request.idempotencyKey() + ": " + rej.reason()
                    + " " + rej.detail());
        }
        return r.acceptedEntry().orElseThrow();
    }

    /** Posts and returns the result as is (for holds, whose refusal for balance is a business outcome). */
    PostResult tryPost(EntryRequest request) {
        return journal.post(request);
    }

    static EntryRequest.Builder standard(LedgerId ledger, String key, String type) {
        return EntryRequest.builder(ledger, key, type);
    }

    static EntryRequest.Builder holdPost(LedgerId ledger, String key, String type, long holdSequence) {
        return EntryRequest.referencing(ledger, key, type, EntryKind.HOLD_POST, holdSequence);
    }
}
