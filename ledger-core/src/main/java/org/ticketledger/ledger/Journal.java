package org.ticketledger.ledger;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A double-entry journal: ledgers, their accounts, and an append-only, hash-chained sequence of
 * entries per ledger. Implementations: {@link InMemoryJournal} and
 * {@code org.ticketledger.ledger.postgres.PostgresJournal}; both pass the same contract suite.
 *
 * <p>Entries are never updated or deleted; a mistake is corrected by a {@link EntryKind#REVERSAL}.
 * Every business outcome of posting is a {@link PostResult}; exceptions ({@link LedgerException})
 * mean a bug or an infrastructure failure, after which repeating the request with the same
 * idempotency key is safe.
 *
 * <p>Implementations are thread-safe: any number of threads may post at once, including to the
 * same accounts; balance policies hold under races. Nothing returns null.
 */
public interface Journal extends AutoCloseable {

    /**
     * Creates a ledger, or returns the existing one when it has the same currency.
     *
     * @throws UnableToOpenAccountException if the ledger exists with another currency
     */
    Ledger createLedger(LedgerId id, Currency currency);

    /** The ledger, if it exists. */
    Optional<Ledger> ledger(LedgerId id);

    /** All ledgers, ordered by id. */
    List<Ledger> ledgers();

    /**
     * Opens an account, or returns the existing one when it has the same definition.
     *
     * @throws IllegalArgumentException      if the ledger does not exist
     * @throws UnableToOpenAccountException if the account exists with a different type, policy or metadata
     */
    Account openAccount(Account account);

    /** The account, if open. */
    Optional<Account> account(LedgerId ledger, AccountCode code);

    /** All accounts of the ledger, ordered by code; empty for an unknown ledger. */
    List<Account> accounts(LedgerId ledger);

    /** Posts one entry; see {@link PostResult} for the outcomes. */
    PostResult post(EntryRequest request);

    /**
     * Posts several entries in order. Each entry is atomic on its own and sees the effect of the
     * ones before it in the list; a rejected entry never affects its neighbours. The result list
     * has one result per request, in the same order.
     */
    List<PostResult> postAll(List<EntryRequest> requests);

    /**
     * Posts asynchronously. Journals that batch writes (group commit) complete the future when the
     * batch holding the entry has committed; the default posts on the calling thread.
     */
    default CompletableFuture<PostResult> postAsync(EntryRequest request) {
        try {
            return CompletableFuture.completedFuture(post(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The entry at {@code sequence}, if it exists. */
    Optional<Entry> entry(LedgerId ledger, long sequence);

    /** The entry recorded under {@code idempotencyKey}, if any. */
    Optional<Entry> entryByKey(LedgerId ledger, String idempotencyKey);

    /**
     * Whether an entry is recorded under {@code idempotencyKey} in {@code ledger} (false for an
     * unknown ledger): what {@link #entryByKey} says by being present, for callers that only ask
     * whether a request was written and need not read the entry with its postings. An entry queued
     * with {@link #postAsync} counts once it is durable. Journals answer it from their key index;
     * the default asks {@link #entryByKey}.
     */
    default boolean hasEntry(LedgerId ledger, String idempotencyKey) {
        return entryByKey(ledger, Objects.requireNonNull(idempotencyKey, "idempotencyKey")).isPresent();
    }

    /**
     * Up to {@code limit} entries with sequence >= {@code fromSequence}, in sequence order; empty
     * for an unknown ledger.
     */
    List<Entry> entries(LedgerId ledger, long fromSequence, int limit);

    /** The ledger's last sequence (0 before the first entry) and the hash of that entry. */
    Head head(LedgerId ledger);

    /** Current balances of the account, if open. */
    default Optional<Balance> balance(LedgerId ledger, AccountCode account) {
        return balance(ledger, account, AsOf.latest());
    }

    /** Balances of the account at a point in the ledger's history, if the account is open. */
    Optional<Balance> balance(LedgerId ledger, AccountCode account, AsOf asOf);

    /**
     * Posted balances of every account at a point in history.
     *
     * @throws IllegalArgumentException for an unknown ledger
     */
    TrialBalance trialBalance(LedgerId ledger, AsOf asOf);

    /** Where the hold at {@code holdSequence} stands; empty if that entry is not a hold. */
    Optional<HoldStatus> holdStatus(LedgerId ledger, long holdSequence);

    /**
     * Writes a {@link EntryKind#HOLD_EXPIRE} entry for every pending hold whose expiry is at or
     * before {@code now}, releasing its reservation. Safe to run repeatedly and concurrently.
     *
     * @return the expiry entries written
     */
    List<Entry> expireHolds(LedgerId ledger, Instant now);

    /**
     * Recomputes the ledger's hash chain, sequence, entry balance, references and every account's
     * balances from the stored entries alone, and compares them with what is stored.
     *
     * @throws IllegalArgumentException for an unknown ledger
     */
    VerificationReport verify(LedgerId ledger);

    /** Releases resources (connections, writer threads). */
    @Override
    void close();

    /**
     * The end of a ledger's chain.
     *
     * @param lastSequence the last sequence, 0 when empty
     * @param lastHash     its hash, {@link Hash#GENESIS} when empty
     */
    record Head(long lastSequence, Hash lastHash) {
        public Head {
            java.util.Objects.requireNonNull(lastHash, "lastHash");
        }
    }
}
