package org.ticketledger.ledger.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
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
import org.ticketledger.ledger.JournalReplay;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.LedgerException;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.ledger.Side;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ledger.UnableToAccessJournalException;
import org.ticketledger.ledger.UnableToOpenAccountException;
import org.ticketledger.ledger.VerificationReport;
import org.ticketledger.ledger.internal.CycleClock;
import org.ticketledger.ledger.internal.EntryApplier;
import org.ticketledger.ledger.internal.GroupCommitter;

/**
 * The journal on PostgreSQL (Jdbi over a HikariCP pool, schema {@code ledger} managed by Flyway).
 *
 * <p>Single posts go through a group-commit writer: callers queue their entries, a writer thread
 * drains the queue into one transaction per batch and completes every caller with its own result
 * (see {@link Builder#groupCommit}). Commits stay synchronous: an acknowledged entry is durable.
 *
 * <p>Every write is a batch in one transaction: lock the ledger's head row, lock the touched
 * balance rows in account order, judge each entry against the running balances, insert entries and
 * postings, update the balance rows that are due and the head, commit. A balance row may lag its
 * account by a few postings of posted kinds ({@link Builder#balanceFlushPostings}); every read of
 * a balance adds them. The head-row lock serialises writers of one ledger across threads
 * <em>and processes</em>, so several application instances on one database stay correct;
 * different ledgers proceed in parallel. Entries, postings and accounts are append-only in the
 * database itself (triggers refuse UPDATE, DELETE and TRUNCATE).
 *
 * <p>Thread-safe. A storage failure throws {@link UnableToAccessJournalException}; the batch in
 * flight either committed entirely or not at all, and repeating it with the same idempotency keys
 * is safe.
 */
public final class PostgresJournal implements Journal {

    /** The database schema holding the journal's tables. */
    public static final String SCHEMA = "ledger";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final int PAGE = 5_000;

    private final Jdbi jdbi;
    private final HikariDataSource ownedPool;
    private final Clock clock;
    private final ConcurrentHashMap<LedgerId, Ledger> ledgers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LedgerId, ConcurrentHashMap<AccountCode, Account>> accountCache = new ConcurrentHashMap<>();
    private final ThreadLocal<EntryApplier> appliers = ThreadLocal.withInitial(EntryApplier::new);
    private final ConcurrentHashMap<LedgerId, WriterCache> writerCaches = new ConcurrentHashMap<>();
    /** Most account totals a ledger's writer cache keeps; see {@link Builder#writerCacheAccounts}. */
    private final int writerCacheAccounts;
    /** Tail length at which a balance row is written; see {@link Builder#balanceFlushPostings}. */
    private final int balanceFlushPostings;
    /** Most balance rows one step of the idle flush writes; see {@link Builder#idleFlushAccounts}. */
    private final int idleFlushAccounts;
    /** Whether pooled connections start in READ COMMITTED; null until the first transaction looks. */
    private volatile Boolean readCommittedByDefault;
    /** Null when group commit is off: then every post is its own transaction. */
    private final GroupCommitter committer;
    /** Where the writer threads' time goes, by {@link WriterStatistics.Phase} ordinal. */
    private final CycleClock cycleClock = new CycleClock(WriterStatistics.Phase.values().length);

    private PostgresJournal(DataSource dataSource, HikariDataSource ownedPool, Clock clock, Builder config) {
        this.jdbi = Jdbi.create(dataSource);
        this.ownedPool = ownedPool;
        this.clock = clock;
        this.writerCacheAccounts = config.writerCacheAccounts;
        this.balanceFlushPostings = config.balanceFlushPostings;
        this.idleFlushAccounts = config.idleFlushAccounts;
        this.committer = config.groupCommit
                ? new GroupCommitter("journal", config.writers, config.maxBatchSize, config.maxBatchWait,
                config.queueCapacity, requests -> writeBatch(requests, now(), new Laps(cycleClock)), cycleClock,
                config.idleFlushAfter, this::idleFlushStep)
                : null;
    }

    /** A builder; give it a data source or a JDBC URL. */
    public static Builder builder() {
        return new Builder();
    }

    /** Applies the journal's Flyway migrations to the database behind {@code dataSource}. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:org/ticketledger/ledger/db")
                .load()
                .migrate();
    }

    /** The Jdbi instance this journal uses (same pool), for tools that read the tables directly. */
    public Jdbi jdbi() {
        return jdbi;
    }

    // ---------------------------------------------------------------- ledgers and accounts

    @Override
    public Ledger createLedger(LedgerId id, Currency currency) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        Ledger ledger = withHandle(h -> {
            h.createUpdate("INSERT INTO ledger.ledgers (ledger_id, currency, last_hash) VALUES (:id, :currency, :genesis)"
                            + " ON CONFLICT (ledger_id) DO NOTHING")
                    .bind("id", id.value())
                    .bind("currency", currency.getCurrencyCode())
                    .bind("genesis", Hash.GENESIS.toBytes())
                    .execute();
            return loadLedger(h, id).orElseThrow(() -> new LedgerException("ledger " + id + " vanished after insert"));
        });
        if (!ledger.currency().equals(currency)) {
            throw new UnableToOpenAccountException("ledger " + id + " exists in " + ledger.currency());
        }
        return ledger;
    }

    @Override
    public Optional<Ledger> ledger(LedgerId id) {
        Objects.requireNonNull(id, "id");
        Ledger cached = ledgers.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        return withHandle(h -> loadLedger(h, id));
    }

    private Optional<Ledger> loadLedger(Handle h, LedgerId id) {
        Optional<Ledger> found = h.createQuery("SELECT currency FROM ledger.ledgers WHERE ledger_id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> new Ledger(id, Currency.getInstance(rs.getString(1))))
                .findOne();
        found.ifPresent(l -> ledgers.put(id, l));
        return found;
    }

    @Override
    public List<Ledger> ledgers() {
        return withHandle(h -> h.createQuery("SELECT ledger_id, currency FROM ledger.ledgers ORDER BY ledger_id")
                .map((rs, ctx) -> new Ledger(LedgerId.of(rs.getString(1)), Currency.getInstance(rs.getString(2))))
                .list());
    }

    @Override
    public Account openAccount(Account account) {
        Objects.requireNonNull(account, "account");
        if (ledger(account.ledger()).isEmpty()) {
            throw new IllegalArgumentException("no ledger " + account.ledger());
        }
        Account stored = inTransaction(h -> {
            h.createUpdate("INSERT INTO ledger.accounts (ledger_id, code, type, policy, metadata)"
                            + " VALUES (:ledger, :code, :type, :policy, CAST(:metadata AS jsonb)) ON CONFLICT DO NOTHING")
                    .bind("ledger", account.ledger().value())
                    .bind("code", account.code().value())
                    .bind("type", account.type().name())
                    .bind("policy", account.policy().name())
                    .bind("metadata", toJson(account.metadata()))
                    .execute();
            h.createUpdate("INSERT INTO ledger.balances (ledger_id, account_code) VALUES (:ledger, :code) ON CONFLICT DO NOTHING")
                    .bind("ledger", account.ledger().value())
                    .bind("code", account.code().value())
                    .execute();
            return loadAccounts(h, account.ledger(), List.of(account.code())).get(account.code());
        });
        if (!stored.equals(account)) {
            throw new UnableToOpenAccountException("account " + account.code() + " exists as " + stored);
        }
        return stored;
    }

    @Override
    public Optional<Account> account(LedgerId ledger, AccountCode code) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(code, "code");
        Account cached = cache(ledger).get(code);
        if (cached != null) {
            return Optional.of(cached);
        }
        return Optional.ofNullable(withHandle(h -> loadAccounts(h, ledger, List.of(code)).get(code)));
    }

    @Override
    public List<Account> accounts(LedgerId ledger) {
        Objects.requireNonNull(ledger, "ledger");
        return withHandle(h -> h.createQuery("SELECT code, type, policy, metadata::text FROM ledger.accounts"
                        + " WHERE ledger_id = :ledger ORDER BY code")
                .bind("ledger", ledger.value())
                .map((rs, ctx) -> accountRow(ledger, rs))
                .list());
    }

    private ConcurrentHashMap<AccountCode, Account> cache(LedgerId ledger) {
        return accountCache.computeIfAbsent(ledger, k -> new ConcurrentHashMap<>());
    }

    /** Account definitions never change, so once read they are served from a cache. */
    private Map<AccountCode, Account> loadAccounts(Handle h, LedgerId ledger, Collection<AccountCode> codes) {
        ConcurrentHashMap<AccountCode, Account> cache = cache(ledger);
        Map<AccountCode, Account> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (AccountCode c : codes) {
            Account a = cache.get(c);
            if (a != null) {
                out.put(c, a);
            } else {
                missing.add(c.value());
            }
        }
        if (!missing.isEmpty()) {
            h.createQuery("SELECT code, type, policy, metadata::text FROM ledger.accounts"
                            + " WHERE ledger_id = :ledger AND code = ANY(:codes)")
                    .bind("ledger", ledger.value())
                    .bindArray("codes", String.class, missing)
                    .map((rs, ctx) -> accountRow(ledger, rs))
                    .forEach(a -> {
                        cache.put(a.code(), a);
                        out.put(a.code(), a);
                    });
        }
        return out;
    }

    private static Account accountRow(LedgerId ledger, ResultSet rs) throws SQLException {
        return new Account(ledger, AccountCode.of(rs.getString(1)), AccountType.valueOf(rs.getString(2)),
                BalancePolicy.valueOf(rs.getString(3)), fromJson(rs.getString(4)));
    }

    // ---------------------------------------------------------------- posting

    /**
     * Posts one entry. With group commit (the default) the entry joins the next batch of the writer
     * thread and this call returns when that batch has committed.
     */
    @Override
    public PostResult post(EntryRequest request) {
        Objects.requireNonNull(request, "request");
        if (committer == null) {
            return writeBatch(List.of(request)).get(0);
        }
        try {
            return committer.submit(request).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new UnableToAccessJournalException("posting failed", e.getCause());
        }
    }

    @Override
    public CompletableFuture<PostResult> postAsync(EntryRequest request) {
        Objects.requireNonNull(request, "request");
        if (committer == null) {
            return Journal.super.postAsync(request);
        }
        return committer.submit(request);
    }

    /** Posts the entries in one transaction (they are a batch already), bypassing the writer queue. */
    @Override
    public List<PostResult> postAll(List<EntryRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        for (int i = 0; i < requests.size(); i++) {
            Objects.requireNonNull(requests.get(i), "request " + i);
        }
        return writeBatch(requests);
    }

    /**
     * One transaction for the whole batch; within it each ledger's entries are applied in turn,
     * ledgers in id order so that two batches never wait on each other's head rows in a cycle.
     */
    private List<PostResult> writeBatch(List<EntryRequest> requests) {
        return writeBatch(requests, now());
    }

    private List<PostResult> writeBatch(List<EntryRequest> requests, Instant now) {
        return writeBatch(requests, now, Laps.NONE);
    }

    private List<PostResult> writeBatch(List<EntryRequest> requests, Instant now, Laps laps) {
        if (requests.isEmpty()) {
            return List.of();
        }
        try {
            return writeBatch(requests, now, true, laps);
        } catch (KeyTaken | StaleCache e) {
            return writeBatch(requests, now, false, laps);
        } catch (UnableToAccessJournalException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // The optimistic path skipped the look-up of idempotency keys and a key was taken
            // already (a retried request): the whole transaction rolled back, so redo it the
            // careful way, which finds the stored entry and answers Duplicate or a conflict.
            return writeBatch(requests, now, false, laps);
        }
    }

    /**
     * Thrown inside an optimistic batch's transaction to roll it back: a request judged without
     * looking up its idempotency key was rejected, and the key is taken (a retry of a request that
     * was accepted once must come back as Duplicate, whatever the balances say now).
     */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super("an idempotency key of a rejected request is taken", null, false, false);
        }
    }

    /**
     * Thrown inside a fast-path batch's transaction to roll it back: the ledger's head is not the
     * one the writer cache held when the batch was judged (another writer, in any process, moved
     * it), so the answers may rest on stale balances.
     */
    private static final class StaleCache extends RuntimeException {
        StaleCache() {
            super("the ledger head moved since the writer cache saw it", null, false, false);
        }
    }

    /** What the writer threads have spent their time on since this journal was built. */
    public WriterStatistics writerStatistics() {
        java.util.EnumMap<WriterStatistics.Phase, Long> nanos = new java.util.EnumMap<>(WriterStatistics.Phase.class);
        for (WriterStatistics.Phase p : WriterStatistics.Phase.values()) {
            nanos.put(p, cycleClock.nanos(p.ordinal()));
        }
        return new WriterStatistics(cycleClock.batches(), cycleClock.entries(), nanos);
    }

    /** Times the phases of one writer batch on the journal's cycle clock; {@link #NONE} times nothing. */
    private static final class Laps {
        static final Laps NONE = new Laps(null);
        private final CycleClock clock;
        private long since = System.nanoTime();

        Laps(CycleClock clock) {
            this.clock = clock;
        }

        void lap(WriterStatistics.Phase phase) {
            if (clock != null) {
                since = clock.lap(phase.ordinal(), since);
            }
        }
    }

    private List<PostResult> writeBatch(List<EntryRequest> requests, Instant now, boolean optimistic, Laps laps) {
        TreeMap<LedgerId, List<Integer>> byLedger = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byLedger.computeIfAbsent(requests.get(i).ledger(), k -> new ArrayList<>()).add(i);
        }
        PostResult[] results = new PostResult[requests.size()];
        List<Runnable> afterCommit = new ArrayList<>(byLedger.size());
        List<WriterCache> held = new ArrayList<>(byLedger.size());
        boolean committed = false;
        try {
            inTransaction(h -> {
                laps.lap(WriterStatistics.Phase.BEGIN);
                for (Map.Entry<LedgerId, List<Integer>> group : byLedger.entrySet()) {
                    List<EntryRequest> batch = new ArrayList<>(group.getValue().size());
                    for (int i : group.getValue()) {
                        batch.add(requests.get(i));
                    }
                    WriterCache cache = writerCaches.computeIfAbsent(group.getKey(), k -> new WriterCache());
                    // Another writer thread of this journal may be using it: then go without.
                    if (!cache.lock.tryLock()) {
                        cache = null;
                    } else {
                        held.add(cache);
                    }
                    List<PostResult> out = applyBatch(h, group.getKey(), batch, now, cache, optimistic, afterCommit, laps);
                    for (int k = 0; k < out.size(); k++) {
                        results[group.getValue().get(k)] = out.get(k);
                    }
                }
                return null;
            });
            committed = true;
            laps.lap(WriterStatistics.Phase.COMMIT);
            afterCommit.forEach(Runnable::run);
        } finally {
            for (WriterCache c : held) {
                if (!committed) {
                    // Whether it committed is unknown or it rolled back: trust nothing cached.
                    c.invalidate();
                }
                c.lock.unlock();
            }
        }
        return List.of(results);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** How many account totals the writer cache of {@code ledger} holds now (tests). */
    int writerCacheSize(LedgerId ledger) {
        WriterCache c = writerCaches.get(ledger);
        return c == null ? 0 : c.totals.size();
    }

    /**
     * What the writer last committed for one ledger: the head and the totals of the accounts it
     * touched. Trusted only while the ledger's head row, locked at the start of a batch, still
     * shows the same sequence and hash: every writer (in any process) that changes a balance moves
     * the head in the same transaction, so an unchanged head means unchanged balances. Then the
     * batch needs neither to read nor to lock those balance rows (the head-row lock already
     * serialises their writers). Guarded by {@link #lock}, held from the head-row lock to commit.
     */
    private static final class WriterCache {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        long lastSequence = -1;
        Hash lastHash;
        /** The head as of the last commit, or null when unknown. */
        HeadRow head;
        final Map<AccountCode, long[]> totals = new HashMap<>();
        /** Per account in {@link #totals}: the postings after its balance row's last_sequence. */
        final Map<AccountCode, Integer> tails = new HashMap<>();
        /**
         * Whether an account outside {@link #tails} may have a tail: so for a new journal (rows
         * left behind before a restart), after an invalidation (another writer's tails, and ours
         * forgotten) and after forgetting accounts past the cache's limit. The idle flush then walks
         * every balance row of the ledger, {@link #walkAfter} on, before it trusts {@link #tails}.
         */
        boolean walkNeeded = true;
        /** The last account code the idle flush's walk has passed; "" before the first. */
        String walkAfter = "";
        /** What the idle flush writes next, longest tail first; null until it looks, and after each batch. */
        java.util.ArrayDeque<AccountCode> flushNext;

        boolean matches(HeadRow head) {
            return lastSequence == head.lastSequence && head.lastHash.equals(lastHash);
        }

        void invalidate() {
            lastSequence = -1;
            lastHash = null;
            head = null;
            totals.clear();
            tails.clear();
            forgetTails();
        }

        /** Accounts with tails may now be unknown: the idle flush walks all rows again. */
        void forgetTails() {
            walkNeeded = true;
            walkAfter = "";
            flushNext = null;
        }
    }

    /**
     * One step of the idle flush, run by a group-commit writer when its queue has stayed empty
     * ({@link Builder#idleFlushAfter}): writes the balance rows of up to {@link #idleFlushAccounts}
     * accounts whose rows lag (see {@link #flushTails}) in one ledger whose writer cache is free.
     * True when it wrote or looked at something, so there may be more; false when nothing is left.
     */
    private boolean idleFlushStep() {
        for (Map.Entry<LedgerId, WriterCache> e : writerCaches.entrySet()) {
            WriterCache cache = e.getValue();
            // A writer thread or postAll has it: not idle; that batch arms the idle flush again.
            if (!cache.lock.tryLock()) {
                continue;
            }
            try {
                if (flushTails(e.getKey(), cache)) {
                    return true;
                }
            } finally {
                cache.lock.unlock();
            }
        }
        return false;
    }

    /**
     * Writes the balance rows of a few accounts with tails, from the postings themselves, in one
     * transaction under the ledger's head-row lock like a batch: no writer in any process adds a
     * posting meanwhile, so each row becomes its row plus its whole tail as of the head, with the
     * head's sequence, and every reader's row plus tail is the same sum before and after. Entries,
     * postings, the head and the hash chain are untouched. A row whose tail holds a posting of
     * another kind than the writer leaves there is left as it is, for readers and verify to refuse.
     *
     * <p>Which accounts: those whose tails the writer cache knows, longest first; while the cache
     * cannot know all tails ({@link WriterCache#walkNeeded}), every balance row in account order, a
     * few per step. When the head moved since this journal's last batch, another writer wrote:
     * the cache is dropped and nothing written; that writer flushes its own tails, and walks all
     * rows itself if its cache was not current (it was not, if ours had tails it did not know).
     *
     * <p>The commit does not wait for the WAL flush: the transaction changes no balance anyone
     * can read, only which part of it is stored in the row. If a crash loses it, so are all later
     * commits (the WAL is one sequence), and the rows stand behind their tails as before it, which
     * every reader adds. Called with {@code cache.lock} held; true when it did a step.
     */
    private boolean flushTails(LedgerId ledgerId, WriterCache cache) {
        if (!cache.walkNeeded) {
            if (cache.flushNext == null) {
                List<Map.Entry<AccountCode, Integer>> behind = new ArrayList<>();
                for (Map.Entry<AccountCode, Integer> t : cache.tails.entrySet()) {
                    if (t.getValue() > 0) {
                        behind.add(Map.entry(t.getKey(), t.getValue()));
                    }
                }
                behind.sort(Map.Entry.<AccountCode, Integer>comparingByValue().reversed());
                cache.flushNext = new java.util.ArrayDeque<>(behind.size());
                behind.forEach(t -> cache.flushNext.add(t.getKey()));
            }
            if (cache.flushNext.isEmpty()) {
                return false;
            }
        }
        boolean walking = cache.walkNeeded;
        List<String> codes = new ArrayList<>(idleFlushAccounts);
        if (!walking) {
            while (codes.size() < idleFlushAccounts && !cache.flushNext.isEmpty()) {
                codes.add(cache.flushNext.poll().value());
            }
        }
        Optional<List<String>> flushed;
        try {
            flushed = flushStep(ledgerId, cache, walking, codes);
        } catch (RuntimeException e) {
            // Written or not (a failed commit's fate is unknown), the cached tails stay as they
            // were, which can only overstate a tail: look at them again on the next try.
            cache.flushNext = null;
            throw e;
        }
        if (flushed.isEmpty()) {
            // The ledger is gone or another writer moved the head: see above.
            cache.invalidate();
            return false;
        }
        if (walking) {
            if (codes.isEmpty()) {
                cache.walkNeeded = false;
                cache.flushNext = null;
            } else {
                cache.walkAfter = codes.get(codes.size() - 1);
            }
        }
        for (String code : flushed.get()) {
            cache.tails.computeIfPresent(AccountCode.of(code), (c, tail) -> 0);
        }
        return true;
    }

    /** Longest a statement of an idle flush step may run, in milliseconds; see {@link #flushTails}. */
    private static final int IDLE_FLUSH_STATEMENT_MS = 250;

    /** The transaction of one step of {@link #flushTails}: empty when the head is not the cache's. */
    private Optional<List<String>> flushStep(LedgerId ledgerId, WriterCache cache, boolean walking, List<String> codes) {
        return inTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = off");
            // A step holds the head row, so a post of any process waits for it: with statistics
            // that do not know the ledger yet (a new one), the planner was seen to walk every
            // posting of the ledger for each row (seconds). Then give up; it is only a cache.
            h.execute("SET LOCAL statement_timeout = " + IDLE_FLUSH_STATEMENT_MS);
            Optional<HeadRow> locked = lockHead(h, ledgerId);
            if (locked.isEmpty()) {
                return Optional.<List<String>>empty();
            }
            HeadRow head = locked.get();
            if (cache.head != null && !cache.matches(head)) {
                return Optional.<List<String>>empty();
            }
            if (cache.head == null) {
                // Nothing cached (a new journal, or the fate of a batch was unknown): adopt the head
                // with no totals, which holds for the ledger as it stands.
                cache.lastSequence = head.lastSequence;
                cache.lastHash = head.lastHash;
                cache.head = head;
            }
            if (walking) {
                codes.addAll(h.createQuery("SELECT account_code FROM ledger.balances WHERE ledger_id = :id"
                                + " AND account_code > :after ORDER BY account_code LIMIT :n")
                        .bind("id", ledgerId.value())
                        .bind("after", cache.walkAfter)
                        .bind("n", idleFlushAccounts)
                        .mapTo(String.class)
                        .list());
                if (codes.isEmpty()) {
                    return Optional.of(List.<String>of());
                }
            }
            return Optional.of(h.createQuery(FLUSH_TAILS)
                    .bind("id", ledgerId.value())
                    .bind("codes", array(codes.toArray(new String[0])))
                    .bind("last", head.lastSequence)
                    .mapTo(String.class)
                    .list());
        });
    }

    /**
     * The tail of balance row {@code b} as a lateral subquery, one spelling for every read
     * ({@link #ROW_WITH_TAIL}) and the idle flush ({@link #FLUSH_TAILS}): the tail's posted debits
     * and credits ({@code dp}, {@code cp}; null when none), its postings ({@code n}) and those of
     * entries of other kinds than the writer leaves in tails ({@code other}). Found through the V4
     * by-account index: the hash first, then the columns, so a collision costs a heap read.
     */
    private static final String TAIL_OF_B = "(SELECT"
            + " sum(p.amount) FILTER (WHERE p.side = 'D' AND e.kind IN (1, 2, 4))::bigint AS dp,"
            + " sum(p.amount) FILTER (WHERE p.side = 'C' AND e.kind IN (1, 2, 4))::bigint AS cp,"
            + " count(*) AS n, count(*) FILTER (WHERE e.kind NOT IN (1, 2, 4)) AS other"
            + " FROM ledger.postings p JOIN ledger.entries e ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
            + " WHERE hashtextextended(p.ledger_id || '/' || p.account_code, 0)"
            + " = hashtextextended(b.ledger_id || '/' || b.account_code, 0)"
            + " AND p.ledger_id = b.ledger_id AND p.account_code = b.account_code"
            + " AND p.sequence > b.last_sequence)";

    /**
     * Brings the balance rows of {@code :codes} (ledger {@code :id}) up to the head {@code :last},
     * run under the head-row lock: each row with a tail of posted kinds only gets the tail's sums
     * and the head's sequence. The tails are summed by {@link #TAIL_OF_B}. The row must
     * still be the one the tail was summed for ({@code seen}), so a row changed meanwhile is left
     * alone rather than given sums it already holds. Returns the codes of the rows written.
     */
    private static final String FLUSH_TAILS = "WITH t AS (SELECT b.account_code AS code, b.last_sequence AS seen,"
            + " s.dp, s.cp, s.n, s.other FROM ledger.balances b CROSS JOIN LATERAL " + TAIL_OF_B + " s"
            + " WHERE b.ledger_id = :id AND b.account_code = ANY(:codes))"
            + " UPDATE ledger.balances b SET debits_posted = b.debits_posted + coalesce(t.dp, 0),"
            + " credits_posted = b.credits_posted + coalesce(t.cp, 0), last_sequence = :last"
            + " FROM t WHERE b.ledger_id = :id AND b.account_code = ANY(:codes) AND b.account_code = t.code"
            + " AND b.last_sequence = t.seen AND t.n > 0 AND t.other = 0"
            + " RETURNING b.account_code";

    /**
     * Judges and writes one batch for one ledger inside the caller's transaction. Package-private
     * so the group-commit writer drives the same code.
     *
     * @param cache       this ledger's writer cache, locked by the caller, or null to go without
     * @param optimistic  whether to skip looking up the batch's idempotency keys when the cache is
     *                    valid (a taken key then fails the insert with a unique violation, and the
     *                    caller redoes the batch with {@code optimistic} false)
     * @param afterCommit collects what to do to the cache once the transaction has committed
     */
    List<PostResult> applyBatch(Handle h, LedgerId ledgerId, List<EntryRequest> batch, Instant now,
                                WriterCache cache, boolean optimistic, List<Runnable> afterCommit, Laps laps) {
        Set<String> keys = new LinkedHashSet<>();
        Set<Long> refs = new TreeSet<>();
        Set<AccountCode> codes = new TreeSet<>();
        for (EntryRequest r : batch) {
            keys.add(r.idempotencyKey());
            r.reference().ifPresent(refs::add);
            for (Posting p : r.postings()) {
                codes.add(p.account());
            }
        }
        // The fast path: when the cache knows the head and every balance the batch touches, and no
        // entry refers to another, the batch needs nothing from the database before its write. The
        // head-row lock is then taken by the write itself, which moves the head only from the
        // cached one (else nothing is kept and the batch is redone the careful way). One round trip
        // less per batch; the head row is still locked before any balance row, as below.
        boolean fast = optimistic && cache != null && cache.head != null && refs.isEmpty()
                && cache.totals.keySet().containsAll(codes);
        Optional<HeadRow> headRow = fast ? Optional.of(cache.head) : lockHead(h, ledgerId);
        laps.lap(WriterStatistics.Phase.LOCK);
        if (headRow.isEmpty()) {
            List<PostResult> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(new PostResult.Rejected(RejectionReason.UNKNOWN_LEDGER, "no ledger " + ledgerId));
            }
            return out;
        }
        HeadRow head = headRow.get();
        Ledger ledger = new Ledger(ledgerId, head.currency);
        boolean cacheValid = cache != null && cache.matches(head);
        if (cache != null && !cacheValid) {
            cache.invalidate(); // another process wrote, or our last batch's fate is unknown
        }
        Map<String, BatchState.StoredKey> storedKeys = new HashMap<>();
        if (!(optimistic && cacheValid)) {
            h.createQuery("SELECT idempotency_key, sequence, request_digest FROM ledger.entries"
                            + " WHERE ledger_id = :id AND idempotency_key = ANY(:keys)")
                    .bind("id", ledgerId.value())
                    .bindArray("keys", String.class, keys)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), new BatchState.StoredKey(rs.getLong(2), Hash.ofBytes(rs.getBytes(3)))))
                    .forEach(e -> storedKeys.put(e.getKey(), e.getValue()));
        }
        Set<Long> toLoad = new TreeSet<>(refs);
        storedKeys.values().forEach(k -> toLoad.add(k.sequence()));
        Map<Long, Entry> loaded = new HashMap<>();
        for (Entry e : loadEntries(h, ledgerId, head.currency, toLoad)) {
            loaded.put(e.sequence(), e);
            if (refs.contains(e.sequence())) {
                for (Posting p : e.postings()) {
                    codes.add(p.account());
                }
            }
        }
        Map<Long, EntryKind> resolutions = new HashMap<>();
        Set<Long> reversed = new HashSet<>();
        if (!refs.isEmpty()) {
            // One arm per partial index (entries_one_resolution, entries_one_reversal): a single
            // "kind IN (2, 4, 5, 6)" matches neither index's predicate, and the planner scanned every
            // entry of the ledger for each batch that resolves a hold (every payout's post).
            h.createQuery("SELECT reference, kind FROM ledger.entries WHERE ledger_id = :id AND reference = ANY(:refs)"
                            + " AND kind IN (4, 5, 6)"
                            + " UNION ALL SELECT reference, kind FROM ledger.entries WHERE ledger_id = :id AND reference = ANY(:refs)"
                            + " AND kind = 2")
                    .bind("id", ledgerId.value())
                    .bindArray("refs", Long.class, refs)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), EntryKind.ofCode(rs.getInt(2))))
                    .forEach(e -> {
                        if (e.getValue() == EntryKind.REVERSAL) {
                            reversed.add(e.getKey());
                        } else {
                            resolutions.put(e.getKey(), e.getValue());
                        }
                    });
        }
        Map<AccountCode, Account> accounts = loadAccounts(h, ledgerId, codes);
        Map<AccountCode, long[]> totals = new HashMap<>();
        Map<AccountCode, Integer> tails = new HashMap<>();
        if (!accounts.isEmpty()) {
            List<String> lockOrder = new ArrayList<>();
            for (AccountCode c : codes) { // TreeSet: account order, the documented lock order
                if (accounts.containsKey(c)) {
                    long[] known = cacheValid ? cache.totals.get(c) : null;
                    if (known != null) {
                        totals.put(c, known);
                        tails.put(c, cache.tails.get(c));
                    } else {
                        lockOrder.add(c.value());
                    }
                }
            }
            if (!lockOrder.isEmpty()) {
                // The rows are locked as before; their totals are the row plus its tail.
                h.createQuery(ROW_WITH_TAIL + " AND b.account_code = ANY(:codes) ORDER BY b.account_code FOR UPDATE OF b")
                        .bind("id", ledgerId.value())
                        .bindArray("codes", String.class, lockOrder)
                        .map((rs, ctx) -> StoredBalance.of(rs))
                        .forEach(b -> {
                            totals.put(b.code, b.requireSound());
                            tails.put(b.code, b.tail);
                        });
            }
        }

        BatchState state = new BatchState(ledger, head.lastSequence, head.lastHash, head.lastRecordedAt,
                accounts, totals, storedKeys, loaded, resolutions, reversed);
        EntryApplier applier = appliers.get();
        List<PostResult> results = new ArrayList<>(batch.size());
        for (EntryRequest r : batch) {
            results.add(applier.apply(r, state, now));
        }
        if (optimistic && cacheValid) {
            // An accepted request with a taken key fails the insert (unique index); a rejected
            // one writes nothing, so look its key up: rejections are rare, this costs nothing
            // in the common case.
            List<String> rejectedKeys = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof PostResult.Rejected) {
                    rejectedKeys.add(batch.get(i).idempotencyKey());
                }
            }
            if (!rejectedKeys.isEmpty() && h.createQuery("SELECT 1 FROM ledger.entries"
                            + " WHERE ledger_id = :id AND idempotency_key = ANY(:keys) LIMIT 1")
                    .bind("id", ledgerId.value())
                    .bindArray("keys", String.class, rejectedKeys)
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent()) {
                throw new KeyTaken();
            }
        }
        laps.lap(WriterStatistics.Phase.JUDGE);
        if (!state.added.isEmpty()) {
            // Without a writer cache (no group commit, or another writer thread holds it) every
            // batch reads and locks its rows anyway: leaving them behind saves no read, and each
            // later uncached batch would sum a longer tail under the head-row lock.
            write(h, ledgerId, head, state, tails, cache == null ? 0 : balanceFlushPostings, laps);
        } else if (fast && !lockHead(h, ledgerId).map(cache::matches).orElse(false)) {
            // Nothing to write, so no write checked the head: these answers stand only if the
            // state they were judged on is still the ledger's.
            throw new StaleCache();
        }
        if (cache != null) {
            // Totals now hold the committed values of every account read or changed by this batch.
            afterCommit.add(() -> {
                if (cache.totals.size() + totals.size() > writerCacheAccounts) {
                    // Forget the rest rather than grow with every account a ledger ever touched:
                    // this batch's accounts (the hot ones among them) stay, the others are read
                    // and locked again when a batch next needs them.
                    cache.totals.clear();
                    cache.tails.clear();
                    cache.forgetTails();
                }
                cache.flushNext = null;
                cache.totals.putAll(totals);
                cache.tails.putAll(tails);
                cache.lastSequence = state.lastSequence();
                cache.lastHash = state.lastHash();
                cache.head = new HeadRow(head.currency, state.lastSequence(), state.lastHash(), state.lastRecordedAt());
            });
        }
        return results;
    }

    /**
     * An array parameter as the driver encodes it: primitive, bytea and boxed-number arrays in
     * binary. Jdbi's bindArray boxes into a list and copies it per element; bytea as hex text cost
     * a hex encoding here, escaping into the array literal, and parsing plus decoding in the server.
     */
    private static org.jdbi.v3.core.argument.Argument array(Object values) {
        return (position, statement, ctx) -> statement.setObject(position, values);
    }

    private Optional<HeadRow> lockHead(Handle h, LedgerId ledgerId) {
        return h.createQuery("SELECT currency, last_sequence, last_hash, last_recorded_at"
                        + " FROM ledger.ledgers WHERE ledger_id = :id FOR UPDATE")
                .bind("id", ledgerId.value())
                .map((rs, ctx) -> new HeadRow(Currency.getInstance(rs.getString(1)), rs.getLong(2),
                        Hash.ofBytes(rs.getBytes(3)), instant(rs, 4)))
                .findOne();
    }

    /**
     * Writes the batch's entries, postings and due balance rows, and moves the head from
     * {@code from}; {@code tails} (per account of the batch, its row's tail before the batch) comes
     * back as it stands after it. A row whose tail would reach {@code flushAt} is written.
     */
    private void write(Handle h, LedgerId ledgerId, HeadRow from, BatchState state, Map<AccountCode, Integer> tails,
                       int flushAt, Laps laps) {
        // One statement, one round trip: the writes of a batch happen together or not at all anyway.
        org.jdbi.v3.core.statement.Update update = bindTotals(bindRows(
                h.createUpdate(WRITE_BATCH).bind("id", ledgerId.value()), state), from, state, tails, flushAt);
        laps.lap(WriterStatistics.Phase.BUILD);
        int updated = update.execute();
        laps.lap(WriterStatistics.Phase.EXECUTE);
        if (updated != 1) {
            // The head is not where the batch was judged from (another writer moved it since the
            // cache saw it): roll back; the caller redoes the batch the careful way.
            throw new StaleCache();
        }
    }

    /** Binds the parameters of the batch's entry and posting rows. */
    private static org.jdbi.v3.core.statement.Update bindRows(org.jdbi.v3.core.statement.Update update,
                                                              BatchState state) {
        int n = state.added.size();
        int postings = 0;
        for (Entry e : state.added) {
            postings += e.postings().size();
        }
        long[] seqs = new long[n];
        int[] kinds = new int[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        Long[] refs = new Long[n];
        long[] effective = new long[n];
        long[] recorded = new long[n];
        Long[] expires = new Long[n];
        String[] metadata = new String[n];
        byte[][] digests = new byte[n][];
        byte[][] prevs = new byte[n][];
        byte[][] hashes = new byte[n][];
        long[] pSeq = new long[postings];
        int[] pIdx = new int[postings];
        String[] pAccount = new String[postings];
        String[] pSide = new String[postings];
        long[] pAmount = new long[postings];
        int j = 0;
        for (int i = 0; i < n; i++) {
            Entry e = state.added.get(i);
            seqs[i] = e.sequence();
            kinds[i] = e.kind().code();
            keys[i] = e.idempotencyKey();
            types[i] = e.type();
            refs[i] = e.reference().isPresent() ? e.reference().getAsLong() : null;
            effective[i] = CanonicalForm.micros(e.effectiveAt());
            recorded[i] = CanonicalForm.micros(e.recordedAt());
            expires[i] = e.holdExpiresAt().map(CanonicalForm::micros).orElse(null);
            metadata[i] = toJson(e.metadata());
            digests[i] = state.addedDigests.get(i).toBytes();
            prevs[i] = e.previousHash().toBytes();
            hashes[i] = e.hash().toBytes();
            List<Posting> ps = e.postings();
            for (int k = 0; k < ps.size(); k++, j++) {
                Posting p = ps.get(k);
                pSeq[j] = e.sequence();
                pIdx[j] = k;
                pAccount[j] = p.account().value();
                pSide[j] = p.side() == Side.DEBIT ? "D" : "C";
                pAmount[j] = p.amount().minor();
            }
        }
        return update.bind("seqs", array(seqs))
                .bind("kinds", array(kinds))
                .bind("keys", array(keys))
                .bind("types", array(types))
                .bind("refs", array(refs))
                .bind("eff", array(effective))
                .bind("rec", array(recorded))
                .bind("exp", array(expires))
                .bind("meta", array(metadata))
                .bind("digests", array(digests))
                .bind("prevs", array(prevs))
                .bind("hashes", array(hashes))
                .bind("pseqs", array(pSeq))
                .bind("pidxs", array(pIdx))
                .bind("paccounts", array(pAccount))
                .bind("psides", array(pSide))
                .bind("pamounts", array(pAmount));
    }

    /**
     * Binds the parameters of the balance rows due to be written and of the head's move from
     * {@code from}. A changed account's row is written when this batch changed its pending totals
     * (so a tail never holds a hold or a resolution) or when its tail would reach {@code flushAt}
     * postings; otherwise its tail grows by the batch's postings and its row stays as it is.
     */
    private static org.jdbi.v3.core.statement.Update bindTotals(org.jdbi.v3.core.statement.Update update,
                                                                HeadRow from, BatchState state,
                                                                Map<AccountCode, Integer> tails, int flushAt) {
        int n = state.changed.size();
        String[] bCodes = new String[n];
        long[] dp = new long[n];
        long[] cp = new long[n];
        long[] dpe = new long[n];
        long[] cpe = new long[n];
        int i = 0;
        for (Map.Entry<AccountCode, long[]> c : new TreeMap<>(state.changed).entrySet()) {
            AccountCode code = c.getKey();
            Integer before = tails.get(code);
            int tail = (before == null ? 0 : before) + state.postingsAdded.getOrDefault(code, 0);
            // An unknown tail is flushed: writing a row is always right, leaving one is only right
            // when the tail is known.
            if (before != null && tail < flushAt && !state.pendingChanged.contains(code)) {
                tails.put(code, tail);
                continue;
            }
            tails.put(code, 0);
            bCodes[i] = code.value();
            long[] t = c.getValue();
            dp[i] = t[0];
            cp[i] = t[1];
            dpe[i] = t[2];
            cpe[i] = t[3];
            i++;
        }
        if (i < n) {
            bCodes = java.util.Arrays.copyOf(bCodes, i);
            dp = java.util.Arrays.copyOf(dp, i);
            cp = java.util.Arrays.copyOf(cp, i);
            dpe = java.util.Arrays.copyOf(dpe, i);
            cpe = java.util.Arrays.copyOf(cpe, i);
        }
        return update.bind("bcodes", array(bCodes))
                .bind("dp", array(dp))
                .bind("cp", array(cp))
                .bind("dpe", array(dpe))
                .bind("cpe", array(cpe))
                .bind("last", state.lastSequence())
                .bind("hash", state.lastHash().toBytes())
                .bind("lastrec", CanonicalForm.micros(state.lastRecordedAt()))
                .bind("fromseq", from.lastSequence)
                .bind("fromhash", from.lastHash.toBytes());
    }

    private static final String WRITE_BATCH = "WITH new_entries AS ("
            + " INSERT INTO ledger.entries (ledger_id, sequence, kind, idempotency_key, type, reference,"
            + " effective_at, recorded_at, hold_expires_at, metadata, request_digest, previous_hash, hash)"
            + " SELECT :id, u.seq, u.kind, u.key, u.type, u.ref,"
            + " timestamptz 'epoch' + u.eff * interval '1 microsecond',"
            + " timestamptz 'epoch' + u.rec * interval '1 microsecond',"
            + " timestamptz 'epoch' + u.exp * interval '1 microsecond',"
            + " CAST(u.meta AS jsonb), u.digest, u.prev, u.hash"
            // The arrays are unnested in the select list (a ProjectSet steps through them together)
            // rather than in FROM: unnest(a, b, ...) in FROM runs each array into a tuplestore of its
            // own and reads them back row by row: 17 tuplestores per batch, ~9 % of the writer
            // backend's CPU in perf (ExecMakeTableFunctionResult, tuplestore_*, FunctionNext).
            // Arrays of unequal length are padded with nulls either way.
            + " FROM (SELECT unnest(:seqs) AS seq, unnest(:kinds) AS kind, unnest(:keys) AS key, unnest(:types) AS type,"
            + " unnest(:refs) AS ref, unnest(:eff) AS eff, unnest(:rec) AS rec, unnest(:exp) AS exp, unnest(:meta) AS meta,"
            + " unnest(:digests) AS digest, unnest(:prevs) AS prev, unnest(:hashes) AS hash) u),"
            + " new_postings AS ("
            + " INSERT INTO ledger.postings (ledger_id, sequence, idx, account_code, side, amount)"
            + " SELECT :id, u.seq, u.idx, u.account, u.side, u.amount"
            + " FROM (SELECT unnest(:pseqs) AS seq, unnest(:pidxs) AS idx, unnest(:paccounts) AS account,"
            + " unnest(:psides) AS side, unnest(:pamounts) AS amount) u),"
            + " new_balances AS ("
            // The rows due are found through the primary key (code = ANY) and joined to their new
            // totals by a hash: without the ANY the generic plan scanned and hashed every balance row
            // of the ledger, which with lazy rows (a few due per batch) was most of the update
            // (EXPLAIN ANALYZE, 1,001 rows, 3 due: 0.38 ms with the scan, 0.10 ms by the key). A
            // nested loop re-read the unnested arrays per row; an array_position per row cost more.
            + " UPDATE ledger.balances b SET debits_posted = u.dp, credits_posted = u.cp,"
            + " debits_pending = u.dpe, credits_pending = u.cpe, last_sequence = :last"
            + " FROM unnest(:bcodes, :dp, :cp, :dpe, :cpe) AS u(code, dp, cp, dpe, cpe)"
            + " WHERE b.ledger_id = :id AND b.account_code = ANY(:bcodes) AND b.account_code = u.code)"
            + " UPDATE ledger.ledgers SET last_sequence = :last, last_hash = :hash,"
            + " last_recorded_at = timestamptz 'epoch' + :lastrec * interval '1 microsecond' WHERE ledger_id = :id"
            + " AND last_sequence = :fromseq AND last_hash = :fromhash";

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Entry> entry(LedgerId ledger, long sequence) {
        Optional<Ledger> l = ledger(ledger);
        if (l.isEmpty()) {
            return Optional.empty();
        }
        return withHandle(h -> loadEntries(h, ledger, l.get().currency(), List.of(sequence))).stream().findFirst();
    }

    @Override
    public Optional<Entry> entryByKey(LedgerId ledger, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Optional<Ledger> l = ledger(ledger);
        if (l.isEmpty()) {
            return Optional.empty();
        }
        return withHandle(h -> {
            Optional<Long> seq = h.createQuery("SELECT sequence FROM ledger.entries WHERE ledger_id = :id AND idempotency_key = :key")
                    .bind("id", ledger.value())
                    .bind("key", idempotencyKey)
                    .mapTo(Long.class)
                    .findOne();
            return seq.flatMap(s -> loadEntries(h, ledger, l.get().currency(), List.of(s)).stream().findFirst());
        });
    }

    /** One probe of the idempotency index ({@code entries_idempotency_key}); the entry is not read. */
    @Override
    public boolean hasEntry(LedgerId ledger, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (ledger(ledger).isEmpty()) {
            return false;
        }
        return withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM ledger.entries WHERE ledger_id = :id"
                        + " AND idempotency_key = :key)")
                .bind("id", ledger.value())
                .bind("key", idempotencyKey)
                .mapTo(Boolean.class)
                .one());
    }

    @Override
    public List<Entry> entries(LedgerId ledger, long fromSequence, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        Optional<Ledger> l = ledger(ledger);
        if (l.isEmpty() || limit == 0) {
            return List.of();
        }
        return withHandle(h -> loadEntryPage(h, ledger, l.get().currency(), fromSequence, limit));
    }

    @Override
    public Head head(LedgerId ledger) {
        return withHandle(h -> h.createQuery("SELECT last_sequence, last_hash FROM ledger.ledgers WHERE ledger_id = :id")
                .bind("id", ledger.value())
                .map((rs, ctx) -> new Head(rs.getLong(1), Hash.ofBytes(rs.getBytes(2))))
                .findOne()
                .orElse(new Head(0, Hash.GENESIS)));
    }

    private static final String ENTRY_COLUMNS = "e.sequence, e.kind, e.idempotency_key, e.type, e.reference,"
            + " e.effective_at, e.recorded_at, e.hold_expires_at, e.metadata::text, e.previous_hash, e.hash,"
            + " p.idx, p.account_code, p.side, p.amount";

    private List<Entry> loadEntries(Handle h, LedgerId ledger, Currency currency, Collection<Long> sequences) {
        if (sequences.isEmpty()) {
            return List.of();
        }
        return mapEntries(ledger, currency, h.createQuery("SELECT " + ENTRY_COLUMNS + " FROM ledger.entries e"
                        + " LEFT JOIN ledger.postings p ON p.ledger_id = e.ledger_id AND p.sequence = e.sequence"
                        + " WHERE e.ledger_id = :id AND e.sequence = ANY(:seqs) ORDER BY e.sequence, p.idx")
                .bind("id", ledger.value())
                .bindArray("seqs", Long.class, sequences));
    }

    private List<Entry> loadEntryPage(Handle h, LedgerId ledger, Currency currency, long from, int limit) {
        return mapEntries(ledger, currency, h.createQuery("SELECT " + ENTRY_COLUMNS
                        + " FROM (SELECT * FROM ledger.entries WHERE ledger_id = :id AND sequence >= :from"
                        + " ORDER BY sequence LIMIT :limit) e"
                        + " LEFT JOIN ledger.postings p ON p.ledger_id = e.ledger_id AND p.sequence = e.sequence"
                        + " ORDER BY e.sequence, p.idx")
                .bind("id", ledger.value())
                .bind("from", from)
                .bind("limit", limit));
    }

    private static List<Entry> mapEntries(LedgerId ledger, Currency currency, org.jdbi.v3.core.statement.Query query) {
        List<Entry> out = new ArrayList<>();
        EntryRowBuilder[] current = {null};
        query.map((rs, ctx) -> {
            long seq = rs.getLong(1);
            if (current[0] == null || current[0].sequence != seq) {
                if (current[0] != null) {
                    out.add(current[0].build(ledger));
                }
                current[0] = new EntryRowBuilder(rs);
            }
            String account = rs.getString(13);
            if (account != null) {
                current[0].postings.add(new Posting(AccountCode.of(account), Side.ofCode(rs.getString(14).charAt(0)),
                        Money.of(rs.getLong(15), currency)));
            }
            return seq;
        }).forEach(s -> {
        });
        if (current[0] != null) {
            out.add(current[0].build(ledger));
        }
        return out;
    }

    /** Accumulates one entry's rows (one per posting) from a joined result set. */
    private static final class EntryRowBuilder {
        final long sequence;
        final EntryKind kind;
        final String key;
        final String type;
        final OptionalLong reference;
        final Instant effectiveAt;
        final Instant recordedAt;
        final Optional<Instant> expiresAt;
        final Map<String, String> metadata;
        final Hash previous;
        final Hash hash;
        final List<Posting> postings = new ArrayList<>(2);

        EntryRowBuilder(ResultSet rs) throws SQLException {
            sequence = rs.getLong(1);
            kind = EntryKind.ofCode(rs.getInt(2));
            key = rs.getString(3);
            type = rs.getString(4);
            long ref = rs.getLong(5);
            reference = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ref);
            effectiveAt = instant(rs, 6);
            recordedAt = instant(rs, 7);
            expiresAt = Optional.ofNullable(instant(rs, 8));
            metadata = fromJson(rs.getString(9));
            previous = Hash.ofBytes(rs.getBytes(10));
            hash = Hash.ofBytes(rs.getBytes(11));
        }

        Entry build(LedgerId ledger) {
            return new Entry(ledger, sequence, kind, key, type, postings, reference, effectiveAt, recordedAt,
                    expiresAt, metadata, previous, hash);
        }
    }

    @Override
    public Optional<Balance> balance(LedgerId ledger, AccountCode account, AsOf asOf) {
        Objects.requireNonNull(asOf, "asOf");
        Optional<Ledger> l = ledger(ledger);
        Optional<Account> a = l.isEmpty() ? Optional.empty() : account(ledger, account);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        Currency currency = l.get().currency();
        AccountType type = a.get().type();
        return withHandle(h -> {
            if (asOf instanceof AsOf.Latest) {
                // One statement: the row and its tail come from one snapshot.
                return h.createQuery(ROW_WITH_TAIL + " AND b.account_code = :code")
                        .bind("id", ledger.value())
                        .bind("code", account.value())
                        .map((rs, ctx) -> StoredBalance.of(rs))
                        .findOne()
                        .map(b -> {
                            b.requireSound();
                            return b.balance(type, currency);
                        });
            }
            long upTo = resolveAsOf(h, ledger, asOf);
            long[] posted = new long[2];
            h.createQuery("SELECT p.side, sum(p.amount) FROM ledger.postings p JOIN ledger.entries e"
                            + " ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
                            + " WHERE " + OF_ACCOUNT + " AND p.sequence <= :upTo AND e.kind IN (1, 2, 4)"
                            + " GROUP BY p.side")
                    .bind("id", ledger.value())
                    .bind("code", account.value())
                    .bind("upTo", upTo)
                    .map((rs, ctx) -> {
                        posted[rs.getString(1).charAt(0) == 'D' ? 0 : 1] = rs.getLong(2);
                        return 0;
                    }).list();
            long[] pending = new long[2];
            // Pending as of N: holds recorded by N that no entry up to N resolved.
            h.createQuery("SELECT p.side, sum(p.amount) FROM ledger.postings p JOIN ledger.entries e"
                            + " ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
                            + " WHERE " + OF_ACCOUNT + " AND p.sequence <= :upTo AND e.kind = 3"
                            + " AND NOT EXISTS (SELECT 1 FROM ledger.entries r WHERE r.ledger_id = e.ledger_id"
                            + " AND r.reference = e.sequence AND r.kind IN (4, 5, 6) AND r.sequence <= :upTo)"
                            + " GROUP BY p.side")
                    .bind("id", ledger.value())
                    .bind("code", account.value())
                    .bind("upTo", upTo)
                    .map((rs, ctx) -> {
                        pending[rs.getString(1).charAt(0) == 'D' ? 0 : 1] = rs.getLong(2);
                        return 0;
                    }).list();
            return Optional.of(new Balance(account, type, currency, posted[0], posted[1], pending[0], pending[1]));
        });
    }

    /**
     * The last sequence recorded at or before {@code :t}, by binary search over the primary key:
     * the writer never lets recorded_at decrease along the sequence (the head row carries the last
     * one), so no index on recorded_at is needed, and each entry written saves its upkeep. About
     * log2(sequence) primary-key probes in one statement. Invariant: every entry up to lo was
     * recorded by :t, none after hi was. No row for a ledger that does not exist.
     */
    private static final String LAST_RECORDED_BY = "WITH RECURSIVE cut(lo, hi) AS ("
            + " SELECT 0::bigint, last_sequence FROM ledger.ledgers WHERE ledger_id = :id"
            + " UNION ALL"
            + " SELECT CASE WHEN e.recorded_at <= timestamptz 'epoch' + :t * interval '1 microsecond'"
            + " THEN e.sequence ELSE c.lo END,"
            + " CASE WHEN e.recorded_at <= timestamptz 'epoch' + :t * interval '1 microsecond'"
            + " THEN c.hi ELSE e.sequence - 1 END"
            + " FROM cut c JOIN ledger.entries e ON e.ledger_id = :id AND e.sequence = (c.lo + c.hi + 1) / 2"
            + " WHERE c.lo < c.hi)"
            + " SELECT lo FROM cut WHERE lo = hi";

    /**
     * The postings of account {@code :code} in ledger {@code :id}, through the index
     * {@code postings_by_account_key} (V4): its key is a 64-bit hash of the ledger and the account
     * with the sequence, fixed-width, so inserting a posting compares two integers per step instead
     * of two strings in the database's collation (measured: 7.6 → ~1 µs of CPU per posting). The
     * hash only narrows; the columns themselves decide, so a collision costs a row read, never a
     * wrong sum.
     */
    private static final String OF_ACCOUNT = "hashtextextended(p.ledger_id || '/' || p.account_code, 0)"
            + " = hashtextextended(CAST(:id AS text) || '/' || CAST(:code AS text), 0)"
            + " AND p.ledger_id = :id AND p.account_code = :code";

    /**
     * Balance rows of ledger {@code :id} with their tails: a row holds the account's totals as of
     * its last_sequence, and the writer leaves it behind while only posted totals change (see
     * {@link Builder#balanceFlushPostings}), so the account's postings after last_sequence are
     * added here, found through {@code postings_by_account_key} as in {@link #OF_ACCOUNT}. Columns:
     * code, the four totals, the tail's postings, and the tail's postings of other kinds than
     * STANDARD, REVERSAL and HOLD_POST, which the writer never leaves in a tail (a change of pending
     * writes the row): more than zero means the row cannot be trusted, see {@link StoredBalance}.
     * Append conditions on {@code b}.
     */
    static final String ROW_WITH_TAIL = "SELECT b.account_code,"
            + " b.debits_posted + coalesce(t.dp, 0), b.credits_posted + coalesce(t.cp, 0),"
            + " b.debits_pending, b.credits_pending, coalesce(t.n, 0), coalesce(t.other, 0)"
            + " FROM ledger.balances b LEFT JOIN LATERAL " + TAIL_OF_B + " t ON true"
            + " WHERE b.ledger_id = :id";


    /** One row of {@link #ROW_WITH_TAIL}. */
    private record StoredBalance(AccountCode code, long[] totals, int tail, long otherKinds) {

        static StoredBalance of(ResultSet rs) throws SQLException {
            return new StoredBalance(AccountCode.of(rs.getString(1)),
                    new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)},
                    (int) Math.min(Integer.MAX_VALUE, rs.getLong(6)), rs.getLong(7));
        }

        /** The totals, or a {@link LedgerException} when the tail holds a hold or a resolution. */
        long[] requireSound() {
            if (otherKinds != 0) {
                throw new LedgerException(problem());
            }
            return totals;
        }

        String problem() {
            return "the balance row of " + code + " is behind " + otherKinds
                    + " posting(s) of holds or hold resolutions: the journal state is corrupt";
        }

        Balance balance(AccountType type, Currency currency) {
            return new Balance(code, type, currency, totals[0], totals[1], totals[2], totals[3]);
        }
    }

    /** The last sequence included in an as-of point. */
    private long resolveAsOf(Handle h, LedgerId ledger, AsOf asOf) {
        if (asOf instanceof AsOf.AtSequence s) {
            return s.sequence();
        }
        if (asOf instanceof AsOf.AtInstant t) {
            return h.createQuery(LAST_RECORDED_BY)
                    .bind("id", ledger.value())
                    .bind("t", CanonicalForm.micros(t.instant().truncatedTo(ChronoUnit.MICROS)))
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(0L);
        }
        return Long.MAX_VALUE;
    }

    @Override
    public TrialBalance trialBalance(LedgerId ledger, AsOf asOf) {
        Objects.requireNonNull(asOf, "asOf");
        Ledger l = ledger(ledger).orElseThrow(() -> new IllegalArgumentException("no ledger " + ledger));
        return withHandle(h -> {
            Map<AccountCode, Account> accounts = new TreeMap<>();
            for (Account a : accounts(ledger)) {
                accounts.put(a.code(), a);
            }
            List<Balance> lines = new ArrayList<>();
            if (asOf instanceof AsOf.Latest) {
                long last = head(ledger).lastSequence();
                h.createQuery(ROW_WITH_TAIL + " ORDER BY b.account_code")
                        .bind("id", ledger.value())
                        .map((rs, ctx) -> StoredBalance.of(rs))
                        .forEach(b -> {
                            b.requireSound();
                            lines.add(b.balance(accounts.get(b.code()).type(), l.currency()));
                        });
                return TrialBalance.of(ledger, l.currency(), last, lines);
            }
            long upTo = Math.min(resolveAsOf(h, ledger, asOf), head(ledger).lastSequence());
            Map<AccountCode, long[]> sums = new TreeMap<>();
            accounts.keySet().forEach(c -> sums.put(c, new long[2]));
            h.createQuery("SELECT p.account_code, p.side, sum(p.amount) FROM ledger.postings p JOIN ledger.entries e"
                            + " ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
                            + " WHERE p.ledger_id = :id AND p.sequence <= :upTo AND e.kind IN (1, 2, 4)"
                            + " GROUP BY p.account_code, p.side")
                    .bind("id", ledger.value())
                    .bind("upTo", upTo)
                    .map((rs, ctx) -> {
                        long[] s = sums.computeIfAbsent(AccountCode.of(rs.getString(1)), k -> new long[2]);
                        s[rs.getString(2).charAt(0) == 'D' ? 0 : 1] = rs.getLong(3);
                        return 0;
                    }).list();
            sums.forEach((code, s) -> lines.add(new Balance(code, accounts.get(code).type(), l.currency(), s[0], s[1], 0, 0)));
            return TrialBalance.of(ledger, l.currency(), upTo, lines);
        });
    }

    @Override
    public Optional<HoldStatus> holdStatus(LedgerId ledger, long holdSequence) {
        return withHandle(h -> {
            Optional<Integer> kind = h.createQuery("SELECT kind FROM ledger.entries WHERE ledger_id = :id AND sequence = :seq")
                    .bind("id", ledger.value())
                    .bind("seq", holdSequence)
                    .mapTo(Integer.class)
                    .findOne();
            if (kind.isEmpty() || kind.get() != EntryKind.HOLD.code()) {
                return Optional.<HoldStatus>empty();
            }
            Optional<Integer> resolution = h.createQuery("SELECT kind FROM ledger.entries WHERE ledger_id = :id"
                            + " AND reference = :seq AND kind IN (4, 5, 6)")
                    .bind("id", ledger.value())
                    .bind("seq", holdSequence)
                    .mapTo(Integer.class)
                    .findOne();
            if (resolution.isEmpty()) {
                return Optional.of(HoldStatus.PENDING);
            }
            switch (EntryKind.ofCode(resolution.get())) {
                case HOLD_POST:
                    return Optional.of(HoldStatus.POSTED);
                case HOLD_VOID:
                    return Optional.of(HoldStatus.VOIDED);
                default:
                    return Optional.of(HoldStatus.EXPIRED);
            }
        });
    }

    @Override
    public List<Entry> expireHolds(LedgerId ledger, Instant now) {
        Objects.requireNonNull(now, "now");
        List<Long> due = withHandle(h -> h.createQuery("SELECT e.sequence FROM ledger.entries e WHERE e.ledger_id = :id"
                        + " AND e.kind = 3 AND e.hold_expires_at <= timestamptz 'epoch' + :now * interval '1 microsecond'"
                        + " AND NOT EXISTS (SELECT 1 FROM ledger.entries r WHERE r.ledger_id = e.ledger_id"
                        + " AND r.reference = e.sequence AND r.kind IN (4, 5, 6)) ORDER BY e.sequence")
                .bind("id", ledger.value())
                .bind("now", CanonicalForm.micros(now.truncatedTo(ChronoUnit.MICROS)))
                .mapTo(Long.class)
                .list());
        if (due.isEmpty()) {
            return List.of();
        }
        List<EntryRequest> requests = new ArrayList<>();
        for (long seq : due) {
            requests.add(EntryRequest.referencing(ledger, "ledger:hold-expiry:" + seq, "hold-expiry",
                    EntryKind.HOLD_EXPIRE, seq).build());
        }
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        List<PostResult> results = writeBatch(requests, at);
        List<Entry> written = new ArrayList<>();
        for (PostResult r : results) {
            if (r instanceof PostResult.Posted p) {
                written.add(p.entry());
            }
        }
        return written;
    }

    @Override
    public VerificationReport verify(LedgerId ledger) {
        Ledger l = ledger(ledger).orElseThrow(() -> new IllegalArgumentException("no ledger " + ledger));
        // One repeatable-read snapshot, so entries, balances and head are read as of one instant.
        return jdbiCall(() -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            h.execute("SET TRANSACTION READ ONLY");
            List<Account> accounts = h.createQuery("SELECT code, type, policy, metadata::text FROM ledger.accounts"
                            + " WHERE ledger_id = :ledger ORDER BY code")
                    .bind("ledger", ledger.value())
                    .map((rs, ctx) -> accountRow(ledger, rs))
                    .list();
            JournalReplay replay = new JournalReplay(l, accounts, true);
            long from = 1;
            long postingsSeen = 0;
            while (true) {
                List<Entry> page = loadEntryPage(h, ledger, l.currency(), from, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                for (Entry e : page) {
                    replay.accept(e);
                    postingsSeen += e.postings().size();
                }
                from = page.get(page.size() - 1).sequence() + 1;
            }
            Map<AccountCode, Account> byCode = new HashMap<>();
            accounts.forEach(a -> byCode.put(a.code(), a));
            // What every reader of a balance is given: the row plus its tail.
            List<Balance> stored = new ArrayList<>();
            h.createQuery(ROW_WITH_TAIL)
                    .bind("id", ledger.value())
                    .map((rs, ctx) -> StoredBalance.of(rs))
                    .forEach(b -> {
                        if (b.otherKinds() != 0) {
                            replay.addProblem(0, VerificationReport.ProblemKind.BALANCE_MISMATCH, b.problem());
                        }
                        Account a = byCode.get(b.code());
                        stored.add(b.balance(a == null ? AccountType.ASSET : a.type(), l.currency()));
                    });
            replay.compareBalances(stored);
            // Postings whose entry row is gone never reach the replay, which reads entries first.
            // Counting is one linear scan; the anti-join that names them runs only when the count
            // says there are some (on a large benchmark database it was seen to run for minutes).
            long postingsStored = h.createQuery("SELECT count(*) FROM ledger.postings WHERE ledger_id = :id")
                    .bind("id", ledger.value())
                    .mapTo(Long.class)
                    .one();
            if (postingsStored != postingsSeen) {
                h.createQuery("SELECT DISTINCT p.sequence FROM ledger.postings p WHERE p.ledger_id = :id"
                                + " AND NOT EXISTS (SELECT 1 FROM ledger.entries e WHERE e.ledger_id = p.ledger_id"
                                + " AND e.sequence = p.sequence) ORDER BY 1 LIMIT 100")
                        .bind("id", ledger.value())
                        .mapTo(Long.class)
                        .forEach(seq -> replay.addProblem(seq, VerificationReport.ProblemKind.BAD_REFERENCE,
                                "postings of entry " + seq + " exist but the entry does not"));
            }
            Head head = h.createQuery("SELECT last_sequence, last_hash FROM ledger.ledgers WHERE ledger_id = :id")
                    .bind("id", ledger.value())
                    .map((rs, ctx) -> new Head(rs.getLong(1), Hash.ofBytes(rs.getBytes(2))))
                    .one();
            replay.compareHead(head);
            return replay.report();
        }));
    }

    @Override
    public void close() {
        if (committer != null) {
            committer.close();
        }
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T withHandle(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
        return jdbiCall(() -> jdbi.withHandle(callback));
    }

    /**
     * A READ COMMITTED transaction. When pooled connections start at that level (PostgreSQL's
     * default, and the level a pool hands connections back at), it begins plainly: asking Jdbi for
     * the level saves, sets and restores it, several round trips per transaction, which the
     * group-commit writer pays on every batch. One look at the first transaction decides.
     */
    private <T> T inTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
        Boolean plain = readCommittedByDefault;
        if (plain == null) {
            plain = withHandle(h -> h.getTransactionIsolationLevel() == TransactionIsolationLevel.READ_COMMITTED);
            readCommittedByDefault = plain;
        }
        return plain ? jdbiCall(() -> jdbi.inTransaction(callback))
                : jdbiCall(() -> jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, callback));
    }

    private static <T> T jdbiCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (JdbiException e) {
            throw new UnableToAccessJournalException("journal storage failed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String toJson(Map<String, String> map) {
        if (map.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new LedgerException("cannot encode metadata", e);
        }
    }

    static Map<String, String> fromJson(String json) {
        if (json == null || json.equals("{}")) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new LedgerException("stored metadata is not a JSON object of strings: " + json, e);
        }
    }

    private record HeadRow(Currency currency, long lastSequence, Hash lastHash, Instant lastRecordedAt) {
    }

    /** Configures a {@link PostgresJournal}; not thread-safe. */
    public static final class Builder {
        private DataSource dataSource;
        private String jdbcUrl;
        private String username;
        private String password;
        private int maximumPoolSize = 16;
        private Clock clock = Clock.systemUTC();
        private boolean migrate = true;
        private boolean groupCommit = true;
        private int writers = 1;
        private int maxBatchSize = 512;
        private java.time.Duration maxBatchWait = java.time.Duration.ZERO;
        private int queueCapacity = 65_536;
        private int writerCacheAccounts = 100_000;
        private int balanceFlushPostings = 32;
        private java.time.Duration idleFlushAfter = java.time.Duration.ofMillis(50);
        private int idleFlushAccounts = 32;

        private Builder() {
        }

        /** Use this data source (the caller owns and closes it). */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Open a HikariCP pool on this URL (closed with the journal). */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://...)");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Pool size when the journal opens its own pool; default 16. */
        public Builder maximumPoolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("pool size must be >= 1");
            }
            this.maximumPoolSize = size;
            return this;
        }

        /** The clock that stamps recorded times; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether to apply the Flyway migrations on build; default true. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Whether single posts go through the group-commit writer (default) or each run their own
         * transaction. Either way every acknowledged entry is durably committed.
         */
        public Builder groupCommit(boolean groupCommit) {
            this.groupCommit = groupCommit;
            return this;
        }

        /** Most entries the writer puts in one transaction; default 512. */
        public Builder maxBatchSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new IllegalArgumentException("batch size must be 1-10000");
            }
            this.maxBatchSize = size;
            return this;
        }

        /**
         * How long the writer may wait for a fuller batch once it has at least one entry; default
         * zero, which keeps latency low under light load (batches still grow under load, while the
         * previous commit is in flight).
         */
        public Builder maxBatchWait(java.time.Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative() || wait.compareTo(java.time.Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("batch wait must be between 0 and 1 s");
            }
            this.maxBatchWait = wait;
            return this;
        }

        /**
         * Most account balances the writer keeps in memory per ledger between batches (about 150
         * bytes each); default 100,000. A batch whose accounts are all kept needs no read before its
         * write; past the limit the writer forgets all but the last batch's accounts.
         */
        public Builder writerCacheAccounts(int accounts) {
            if (accounts < 1) {
                throw new IllegalArgumentException("writer cache accounts must be >= 1");
            }
            this.writerCacheAccounts = accounts;
            return this;
        }

        /**
         * How many postings an account's balance row may lag behind before the writer writes it;
         * default 32. A batch writes an account's row when the batch changes the account's pending
         * totals, or when the postings since the row's last_sequence (its tail) would reach this
         * many; otherwise it leaves the row as it is, and every reader adds the tail to the row
         * (at most this many postings less one, read through the by-account index). 0 or 1 writes
         * every changed row in every batch. A batch of a hot account and many cold ones then writes
         * the hot row and few others, which is most of what a batch's balance updates cost. A batch
         * that goes without the writer cache (without group commit, while another post holds it)
         * writes every row it changes: it has read and locked them anyway.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder balanceFlushPostings(int postings) {
            if (postings < 0) {
                throw new IllegalArgumentException("balance flush postings must be >= 0");
            }
            this.balanceFlushPostings = postings;
            return this;
        }

        /**
         * How long the group-commit writer's queue must stay empty before the writer writes the
         * balance rows that lag behind their tails (see {@link #balanceFlushPostings}); default 50
         * ms. It goes a few rows at a time ({@link #idleFlushAccounts}) under the ledger's head-row
         * lock like a batch, and looks at its queue between steps, so an entry arriving meanwhile
         * waits for one step at most; the next batch stops it and arms it again. After a quiet
         * moment every row is current and reads of balances add no tails. While entries keep
         * coming it never runs. Zero or negative turns it off; without group commit there is no
         * writer to run it.
         */
        public Builder idleFlushAfter(java.time.Duration quiet) {
            this.idleFlushAfter = Objects.requireNonNull(quiet, "quiet");
            return this;
        }

        /** Most balance rows one step of the idle flush writes; default 32. */
        public Builder idleFlushAccounts(int accounts) {
            if (accounts < 1) {
                throw new IllegalArgumentException("idle flush accounts must be >= 1");
            }
            this.idleFlushAccounts = accounts;
            return this;
        }

        /** Writer threads; default 1 (batches of one ledger serialise on its head row anyway). */
        public Builder writerThreads(int writers) {
            if (writers < 1 || writers > 64) {
                throw new IllegalArgumentException("writer threads must be 1-64");
            }
            this.writers = writers;
            return this;
        }

        /** Entries that may wait in the writer queue before submitters block; default 65536. */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity must be >= 1");
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Builds the journal.
         *
         * @throws IllegalStateException if neither a data source nor a URL was given, or both
         */
        public PostgresJournal build() {
            if ((dataSource == null) == (jdbcUrl == null)) {
                throw new IllegalStateException("give exactly one of dataSource(...) or jdbcUrl(...)");
            }
            HikariDataSource pool = null;
            DataSource ds = dataSource;
            if (jdbcUrl != null) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(jdbcUrl);
                if (username != null) {
                    config.setUsername(username);
                }
                if (password != null) {
                    config.setPassword(password);
                }
                config.setMaximumPoolSize(maximumPoolSize);
                config.setPoolName("ticketledger-journal");
                try {
                    pool = new HikariDataSource(config);
                } catch (RuntimeException e) {
                    throw new UnableToAccessJournalException("cannot connect to the journal database: " + e.getMessage(), e);
                }
                ds = pool;
            }
            try {
                if (migrate) {
                    PostgresJournal.migrate(ds);
                }
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw new UnableToAccessJournalException("cannot migrate the journal schema: " + e.getMessage(), e);
            }
            if (queueCapacity < maxBatchSize) {
                queueCapacity = maxBatchSize;
            }
            return new PostgresJournal(ds, pool, clock, this);
        }
    }
}
