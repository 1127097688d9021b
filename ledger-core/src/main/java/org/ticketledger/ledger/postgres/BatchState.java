package org.ticketledger.ledger.postgres;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.internal.LedgerState;
import org.ticketledger.ledger.internal.RequestDigest;

/**
 * The rows one batch needs, loaded and locked inside its transaction, plus everything the batch
 * adds. The applier validates each request against the running state, so entry n of a batch sees
 * entries 1..n-1 before any of them is written.
 */
final class BatchState implements LedgerState {

    /** An idempotency key already in the database: its entry sequence and request digest. */
    record StoredKey(long sequence, Hash digest) {
    }

    private final Ledger ledger;
    private long lastSequence;
    private Hash lastHash;
    private Instant lastRecordedAt;

    final Map<AccountCode, Account> accounts;
    final Map<AccountCode, long[]> totals;
    final Map<String, StoredKey> storedKeys;
    final Map<Long, Entry> loadedEntries;
    final Map<Long, EntryKind> resolutions;
    final java.util.Set<Long> reversed;

    /** Entries accepted in this batch, in order, with their request digests. */
    final List<Entry> added = new ArrayList<>();
    final List<Hash> addedDigests = new ArrayList<>();
    private final Map<String, Integer> addedKeys = new HashMap<>();
    /** Accounts whose totals this batch changed, in first-change order. */
    final Map<AccountCode, long[]> changed = new LinkedHashMap<>();
    /**
     * Accounts whose pending totals an entry of this batch changed: their balance rows are written
     * with the batch, so that a row's unflushed tail only ever holds postings of posted kinds.
     */
    final java.util.Set<AccountCode> pendingChanged = new java.util.HashSet<>();
    /** Postings this batch adds per account: what its balance row's tail grows by unless it is written. */
    final Map<AccountCode, Integer> postingsAdded = new HashMap<>();

    BatchState(Ledger ledger, long lastSequence, Hash lastHash, Instant lastRecordedAt,
               Map<AccountCode, Account> accounts, Map<AccountCode, long[]> totals,
               Map<String, StoredKey> storedKeys, Map<Long, Entry> loadedEntries,
               Map<Long, EntryKind> resolutions, java.util.Set<Long> reversed) {
        this.ledger = ledger;
        this.lastSequence = lastSequence;
        this.lastHash = lastHash;
        this.lastRecordedAt = lastRecordedAt;
        this.accounts = accounts;
        this.totals = totals;
        this.storedKeys = storedKeys;
        this.loadedEntries = loadedEntries;
        this.resolutions = resolutions;
        this.reversed = reversed;
    }

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public Hash lastHash() {
        return lastHash;
    }

    @Override
    public Instant lastRecordedAt() {
        return lastRecordedAt;
    }

    @Override
    public Account account(AccountCode code) {
        return accounts.get(code);
    }

    @Override
    public long[] balance(AccountCode code) {
        return totals.get(code);
    }

    @Override
    public Entry entry(long sequence) {
        return loadedEntries.get(sequence);
    }

    @Override
    public EntryKind holdResolution(long holdSequence) {
        return resolutions.get(holdSequence);
    }

    @Override
    public boolean reversed(long sequence) {
        return reversed.contains(sequence);
    }

    @Override
    public KeyMatch byKey(EntryRequest request) {
        Integer inBatch = addedKeys.get(request.idempotencyKey());
        if (inBatch != null) {
            return new KeyMatch(added.get(inBatch), addedDigests.get(inBatch).equals(RequestDigest.of(request)));
        }
        StoredKey stored = storedKeys.get(request.idempotencyKey());
        if (stored == null) {
            return null;
        }
        Entry original = loadedEntries.get(stored.sequence());
        return new KeyMatch(original, stored.digest().equals(RequestDigest.of(request)));
    }

    @Override
    public void append(Entry entry, EntryRequest request, AccountCode[] codes, long[][] newTotals) {
        addedKeys.put(entry.idempotencyKey(), added.size());
        added.add(entry);
        addedDigests.add(RequestDigest.of(request));
        loadedEntries.put(entry.sequence(), entry);
        for (int i = 0; i < codes.length; i++) {
            long[] before = totals.get(codes[i]);
            if (before[2] != newTotals[i][2] || before[3] != newTotals[i][3]) {
                pendingChanged.add(codes[i]);
            }
            totals.put(codes[i], newTotals[i]);
            changed.put(codes[i], newTotals[i]);
        }
        for (org.ticketledger.ledger.Posting p : entry.postings()) {
            postingsAdded.merge(p.account(), 1, Integer::sum);
        }
        switch (entry.kind()) {
            case HOLD_POST:
            case HOLD_VOID:
            case HOLD_EXPIRE:
                resolutions.put(entry.reference().getAsLong(), entry.kind());
                break;
            case REVERSAL:
                reversed.add(entry.reference().getAsLong());
                break;
            default:
                break;
        }
        lastSequence = entry.sequence();
        lastHash = entry.hash();
        lastRecordedAt = entry.recordedAt();
    }
}
