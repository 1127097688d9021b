package org.ticketledger.ledger.internal;

import java.time.Instant;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.Ledger;

/**
 * The view of one ledger that {@link EntryApplier} validates requests against and appends to.
 * The in-memory journal implements it over its maps; the Postgres journal over the rows it loaded
 * and locked for a batch. Not thread-safe: callers hold the ledger's lock. Internal methods may
 * return null for "absent" to keep the hot path free of allocation.
 */
public interface LedgerState {

    Ledger ledger();

    long lastSequence();

    Hash lastHash();

    /** Recorded time of the last entry, or null before the first. */
    Instant lastRecordedAt();

    /** The open account, or null. */
    Account account(AccountCode code);

    /**
     * The current totals {debitsPosted, creditsPosted, debitsPending, creditsPending} of an open
     * account. The applier never mutates the array it gets; it passes new arrays to {@link #append}.
     */
    long[] balance(AccountCode code);

    /** The entry at {@code sequence}, or null. Only needed for referenced entries. */
    Entry entry(long sequence);

    /** The kind of the entry that resolved the hold at {@code holdSequence}, or null while pending. */
    EntryKind holdResolution(long holdSequence);

    /** Whether the entry at {@code sequence} has been reversed. */
    boolean reversed(long sequence);

    /**
     * The entry recorded under the request's idempotency key, or null; with whether the stored
     * request had the same content.
     */
    KeyMatch byKey(EntryRequest request);

    /** Records an accepted entry with the new totals of every account it touched. */
    void append(Entry entry, EntryRequest request, AccountCode[] accounts, long[][] newTotals);

    /** Where a key was found: the original entry and whether the request content matched. */
    record KeyMatch(Entry original, boolean sameContent) {
    }
}
