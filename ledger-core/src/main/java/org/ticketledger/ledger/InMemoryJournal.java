package org.ticketledger.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.CompletableFuture;
import org.ticketledger.ledger.internal.EntryApplier;
import org.ticketledger.ledger.internal.EntryColumns;
import org.ticketledger.ledger.internal.GroupCommitter;
import org.ticketledger.ledger.internal.KeyIndex;
import org.ticketledger.ledger.internal.LedgerState;

/**
 * A journal held in memory: for tests, benchmarks and embedded use where durability comes from
 * elsewhere. It accepts and rejects exactly what {@code PostgresJournal} does (same contract suite).
 *
 * <p>Thread-safe: one lock per ledger serialises writers of that ledger, so ledgers proceed in
 * parallel. Reads of entries take the same lock, which keeps them simple and consistent.
 */
public final class InMemoryJournal implements Journal {

    private final Clock clock;
    private final ConcurrentHashMap<LedgerId, Book> books = new ConcurrentHashMap<>();
    private volatile GroupCommitter committer;

    private InMemoryJournal(Clock clock) {
        this.clock = clock;
    }

    /** A journal on the system clock. */
    public static InMemoryJournal create() {
        return new InMemoryJournal(Clock.systemUTC());
    }

    /** A journal that records times from {@code clock} (tests move it). */
    public static InMemoryJournal withClock(Clock clock) {
        return new InMemoryJournal(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public Ledger createLedger(LedgerId id, Currency currency) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        Book book = books.computeIfAbsent(id, k -> new Book(new Ledger(id, currency)));
        if (!book.ledger.currency().equals(currency)) {
            throw new UnableToOpenAccountException("ledger " + id + " exists in " + book.ledger.currency());
        }
        return book.ledger;
    }

    @Override
    public Optional<Ledger> ledger(LedgerId id) {
        Book b = books.get(id);
        return b == null ? Optional.empty() : Optional.of(b.ledger);
    }

    @Override
    public List<Ledger> ledgers() {
        TreeMap<LedgerId, Ledger> sorted = new TreeMap<>();
        books.forEach((k, v) -> sorted.put(k, v.ledger));
        return List.copyOf(sorted.values());
    }

    @Override
    public Account openAccount(Account account) {
        Objects.requireNonNull(account, "account");
        Book book = book(account.ledger())
                .orElseThrow(() -> new IllegalArgumentException("no ledger " + account.ledger()));
        book.lock.lock();
        try {
            Account existing = book.accounts.get(account.code());
            if (existing != null) {
                if (!existing.equals(account)) {
                    throw new UnableToOpenAccountException("account " + account.code() + " exists as " + existing);
                }
                return existing;
            }
            book.accounts.put(account.code(), account);
            book.totals.put(account.code(), new long[4]);
            return account;
        } finally {
            book.lock.unlock();
        }
    }

    @Override
    public Optional<Account> account(LedgerId ledger, AccountCode code) {
        return book(ledger).map(b -> b.locked(() -> b.accounts.get(code)));
    }

    @Override
    public List<Account> accounts(LedgerId ledger) {
        return book(ledger).map(b -> b.locked(() -> List.copyOf(new TreeMap<>(b.accounts).values()))).orElse(List.of());
    }

    @Override
    public PostResult post(EntryRequest request) {
        Objects.requireNonNull(request, "request");
        Optional<Book> book = book(request.ledger());
        if (book.isEmpty()) {
            return unknownLedger(request);
        }
        Book b = book.get();
        b.lock.lock();
        try {
            return b.applier.apply(request, b, now());
        } finally {
            b.lock.unlock();
        }
    }

    /** Posts the entries in order, taking each ledger's lock once for its run of entries. */
    @Override
    public List<PostResult> postAll(List<EntryRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        List<PostResult> results = new ArrayList<>(requests.size());
        int i = 0;
        while (i < requests.size()) {
            EntryRequest first = Objects.requireNonNull(requests.get(i), "request " + i);
            Optional<Book> book = book(first.ledger());
            int j = i;
            if (book.isEmpty()) {
                results.add(unknownLedger(first));
                i++;
                continue;
            }
            Book b = book.get();
            b.lock.lock();
            try {
                Instant now = now();
                while (j < requests.size() && Objects.requireNonNull(requests.get(j), "request " + j).ledger().equals(first.ledger())) {
                    results.add(b.applier.apply(requests.get(j), b, now));
                    j++;
                }
            } finally {
                b.lock.unlock();
            }
            i = j;
        }
        return results;
    }

    /**
     * Queues the entry for a writer thread that applies queued entries in batches (one lock
     * acquisition per batch), the in-memory twin of the Postgres group commit.
     */
    @Override
    public CompletableFuture<PostResult> postAsync(EntryRequest request) {
        GroupCommitter c = committer;
        if (c == null) {
            synchronized (this) {
                if (committer == null) {
                    committer = new GroupCommitter("in-memory-journal", 1, 1024, java.time.Duration.ZERO, 65_536, this::postAll);
                }
                c = committer;
            }
        }
        return c.submit(request);
    }

    @Override
    public Optional<Entry> entry(LedgerId ledger, long sequence) {
        return book(ledger).flatMap(b -> b.locked(() -> Optional.ofNullable(b.entry(sequence))));
    }

    @Override
    public Optional<Entry> entryByKey(LedgerId ledger, String idempotencyKey) {
        return book(ledger).flatMap(b -> b.locked(() -> {
            return idempotencyKey == null ? Optional.<Entry>empty() : Optional.ofNullable(b.entryByKey(idempotencyKey));
        }));
    }

    @Override
    public boolean hasEntry(LedgerId ledger, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return book(ledger).map(b -> b.locked(() -> b.byKey.find(idempotencyKey) != 0)).orElse(false);
    }

    @Override
    public List<Entry> entries(LedgerId ledger, long fromSequence, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        return book(ledger).map(b -> b.locked(() -> {
            return List.copyOf(b.entries.range(fromSequence, limit));
        })).orElse(List.of());
    }

    @Override
    public Head head(LedgerId ledger) {
        return book(ledger).map(b -> b.locked(() -> new Head(b.lastSequence(), b.lastHash())))
                .orElse(new Head(0, Hash.GENESIS));
    }

    @Override
    public Optional<Balance> balance(LedgerId ledger, AccountCode account, AsOf asOf) {
        Optional<Book> book = book(ledger);
        if (book.isEmpty()) {
            return Optional.empty();
        }
        Book b = book.get();
        return b.locked(() -> {
            Account a = b.accounts.get(account);
            if (a == null) {
                return Optional.empty();
            }
            if (asOf instanceof AsOf.Latest) {
                long[] t = b.totals.get(account);
                return Optional.of(new Balance(account, a.type(), b.ledger.currency(), t[0], t[1], t[2], t[3]));
            }
            JournalReplay replay = b.replay(asOf);
            return Optional.ofNullable(replay.balances().get(account))
                    .or(() -> Optional.of(new Balance(account, a.type(), b.ledger.currency(), 0, 0, 0, 0)));
        });
    }

    @Override
    public TrialBalance trialBalance(LedgerId ledger, AsOf asOf) {
        Book b = book(ledger).orElseThrow(() -> new IllegalArgumentException("no ledger " + ledger));
        return b.locked(() -> {
            if (asOf instanceof AsOf.Latest) {
                List<Balance> lines = new ArrayList<>();
                new TreeMap<>(b.accounts).forEach((code, a) -> {
                    long[] t = b.totals.get(code);
                    lines.add(new Balance(code, a.type(), b.ledger.currency(), t[0], t[1], t[2], t[3]));
                });
                return TrialBalance.of(ledger, b.ledger.currency(), b.lastSequence(), lines);
            }
            return b.replay(asOf).trialBalance();
        });
    }

    @Override
    public Optional<HoldStatus> holdStatus(LedgerId ledger, long holdSequence) {
        return book(ledger).flatMap(b -> b.locked(() -> {
            Entry e = b.entry(holdSequence);
            if (e == null || e.kind() != EntryKind.HOLD) {
                return Optional.<HoldStatus>empty();
            }
            return Optional.of(holdStatusOf(b.resolutions.get(holdSequence)));
        }));
    }

    static HoldStatus holdStatusOf(EntryKind resolution) {
        if (resolution == null) {
            return HoldStatus.PENDING;
        }
        switch (resolution) {
            case HOLD_POST:
                return HoldStatus.POSTED;
            case HOLD_VOID:
                return HoldStatus.VOIDED;
            default:
                return HoldStatus.EXPIRED;
        }
    }

    @Override
    public List<Entry> expireHolds(LedgerId ledger, Instant now) {
        Optional<Book> book = book(ledger);
        if (book.isEmpty()) {
            return List.of();
        }
        Book b = book.get();
        List<Entry> written = new ArrayList<>();
        b.lock.lock();
        try {
            List<Long> due = new ArrayList<>();
            for (Map.Entry<Long, Entry> h : b.openHolds.entrySet()) {
                Optional<Instant> exp = h.getValue().holdExpiresAt();
                if (exp.isPresent() && !now.isBefore(exp.get())) {
                    due.add(h.getKey());
                }
            }
            due.sort(null);
            for (long seq : due) {
                EntryRequest r = EntryRequest.referencing(ledger, "ledger:hold-expiry:" + seq, "hold-expiry",
                        EntryKind.HOLD_EXPIRE, seq).build();
                PostResult result = b.applier.apply(r, b, now.truncatedTo(ChronoUnit.MICROS));
                if (result instanceof PostResult.Posted p) {
                    written.add(p.entry());
                }
            }
        } finally {
            b.lock.unlock();
        }
        return written;
    }

    @Override
    public VerificationReport verify(LedgerId ledger) {
        Book b = book(ledger).orElseThrow(() -> new IllegalArgumentException("no ledger " + ledger));
        return b.locked(() -> {
            JournalReplay replay = new JournalReplay(b.ledger, b.accounts.values(), true);
            for (long s = 1; s <= b.entries.size(); s++) {
                replay.accept(b.entries.get(s));
            }
            List<Balance> stored = new ArrayList<>();
            b.accounts.forEach((code, a) -> {
                long[] t = b.totals.get(code);
                stored.add(new Balance(code, a.type(), b.ledger.currency(), t[0], t[1], t[2], t[3]));
            });
            replay.compareBalances(stored);
            replay.compareHead(new Head(b.lastSequence(), b.lastHash()));
            return replay.report();
        });
    }

    /** Stops the async writer, if one was started; the journal stays readable. */
    @Override
    public synchronized void close() {
        if (committer != null) {
            committer.close();
        }
    }

    private Optional<Book> book(LedgerId id) {
        Objects.requireNonNull(id, "ledger");
        return Optional.ofNullable(books.get(id));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static PostResult unknownLedger(EntryRequest request) {
        return new PostResult.Rejected(RejectionReason.UNKNOWN_LEDGER, "no ledger " + request.ledger());
    }

    /** One ledger's state; guarded by {@link #lock}. */
    private static final class Book implements LedgerState {
        final Ledger ledger;
        final ReentrantLock lock = new ReentrantLock();
        final EntryApplier applier = new EntryApplier();
        final Map<AccountCode, Account> accounts = new HashMap<>();
        final Map<AccountCode, long[]> totals = new HashMap<>();
        final EntryColumns entries;
        /**
         * Idempotency key to sequence. With {@link #explicitEffectiveAt} it tells duplicates from
         * conflicts without keeping each request beside its entry: an entry holds every field of its
         * request except whether effectiveAt was given (the entry stores recordedAt when it was not).
         */
        final KeyIndex byKey;
        /** Bit (sequence - 1) is set when the request of that entry gave its effectiveAt. */
        final java.util.BitSet explicitEffectiveAt = new java.util.BitSet();
        final Map<Long, EntryKind> resolutions = new HashMap<>();
        final Map<Long, Entry> openHolds = new HashMap<>();
        final java.util.Set<Long> reversedSet = new java.util.HashSet<>();

        Book(Ledger ledger) {
            this.ledger = ledger;
            this.entries = new EntryColumns(ledger.id(), ledger.currency());
            this.byKey = new KeyIndex(entries::key);
        }

        <T> T locked(java.util.function.Supplier<T> read) {
            lock.lock();
            try {
                return read.get();
            } finally {
                lock.unlock();
            }
        }

        JournalReplay replay(AsOf asOf) {
            long upTo;
            if (asOf instanceof AsOf.AtSequence s) {
                upTo = Math.min(s.sequence(), entries.size());
            } else {
                Instant t = ((AsOf.AtInstant) asOf).instant();
                // recordedAt never decreases along the sequence, so a binary search finds the cut.
                int lo = 0;
                int hi = entries.size();
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (CanonicalForm.ofMicros(entries.recordedMicros(mid + 1)).isAfter(t)) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                upTo = lo;
            }
            JournalReplay replay = new JournalReplay(ledger, accounts.values(), false);
            for (long s = 1; s <= upTo; s++) {
                replay.accept(entries.get(s));
            }
            return replay;
        }

        @Override
        public Ledger ledger() {
            return ledger;
        }

        @Override
        public long lastSequence() {
            return entries.size();
        }

        @Override
        public Hash lastHash() {
            return entries.lastHash();
        }

        @Override
        public Instant lastRecordedAt() {
            return entries.lastRecordedAt();
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
            return entries.get(sequence);
        }

        @Override
        public EntryKind holdResolution(long holdSequence) {
            return resolutions.get(holdSequence);
        }

        @Override
        public boolean reversed(long sequence) {
            return reversedSet.contains(sequence);
        }

        @Override
        public KeyMatch byKey(EntryRequest request) {
            Entry e = entryByKey(request.idempotencyKey());
            return e == null ? null : new KeyMatch(e, sameRequest(e, explicitEffectiveAt.get((int) (e.sequence() - 1)), request));
        }

        Entry entryByKey(String key) {
            int seq = byKey.find(key);
            return seq == 0 ? null : entries.get(seq);
        }

        /**
         * Whether {@code r} equals the request that {@code e} was written for, field by field as
         * {@link EntryRequest#equals} would compare them: the entry keeps the request's postings
         * (derived kinds take none from the request), reference, hold expiry and metadata, and its
         * effectiveAt is the request's when {@code effectiveAtGiven}, else the recorded time.
         */
        static boolean sameRequest(Entry e, boolean effectiveAtGiven, EntryRequest r) {
            Optional<Instant> askedAt = r.effectiveAt();
            boolean sameEffectiveAt = effectiveAtGiven ? askedAt.isPresent() && askedAt.get().equals(e.effectiveAt()) : askedAt.isEmpty();
            return sameEffectiveAt
                    && e.kind() == r.kind()
                    && e.ledger().equals(r.ledger())
                    && e.idempotencyKey().equals(r.idempotencyKey())
                    && e.type().equals(r.type())
                    && (r.kind().derivesPostings() ? r.postings().isEmpty() : e.postings().equals(r.postings()))
                    && e.reference().equals(r.reference())
                    && e.holdExpiresAt().equals(r.holdExpiresAt())
                    && e.metadata().equals(r.metadata());
        }

        @Override
        public void append(Entry entry, EntryRequest request, AccountCode[] codes, long[][] newTotals) {
            int sequence = entries.size() + 1;
            // Both checked before either changes: a full key index or a refused entry leaves neither
            // holding what the other has not.
            entries.requireAppendable(entry);
            byKey.add(entry.idempotencyKey(), sequence);
            entries.appendChecked(entry);
            if (request.effectiveAt().isPresent()) {
                explicitEffectiveAt.set(sequence - 1);
            }
            for (int i = 0; i < codes.length; i++) {
                totals.put(codes[i], newTotals[i]);
            }
            switch (entry.kind()) {
                case HOLD:
                    openHolds.put(entry.sequence(), entry);
                    break;
                case HOLD_POST:
                case HOLD_VOID:
                case HOLD_EXPIRE:
                    long ref = entry.reference().getAsLong();
                    resolutions.put(ref, entry.kind());
                    openHolds.remove(ref);
                    break;
                case REVERSAL:
                    reversedSet.add(entry.reference().getAsLong());
                    break;
                default:
                    break;
            }
        }
    }
}
