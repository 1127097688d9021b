package org.ticketledger.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.InMemoryJournal;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.ledger.postgres.WriterStatistics;

/** The ledger throughput benchmarks of issue L2. */
final class LedgerBenchmarks {

    private static final int OTHERS = 1000;

    private LedgerBenchmarks() {
    }

    /** In-memory journal, one thread, two postings per entry, full hash chain. */
    static void memory(BenchOptions options, PrintStream out) {
        // Warm-up on a journal of its own, so the JIT compiles the hot path but the measured journal
        // starts empty: an in-memory journal keeps every entry, and the GC cost of that is part of it.
        try (InMemoryJournal warmup = InMemoryJournal.create()) {
            runFor(warmup, setUp(warmup, "warmup"), 3_000, new long[1], null);
        }
        System.gc();
        try (InMemoryJournal journal = InMemoryJournal.create()) {
            LedgerId ledger = setUp(journal, "mem");
            Latencies latencies = new Latencies();
            long[] seq = {0};
            long errors = 0;
            long start = System.nanoTime();
            long cpuStart = ProcessCpu.nanos();
            long before = seq[0];
            errors += runFor(journal, ledger, options.seconds() * 1000L, seq, latencies);
            double secs = (System.nanoTime() - start) / 1e9;
            // CPU of the whole JVM (the garbage collector's threads included) per entry: steadier than
            // the rate on a shared machine, where the one thread waits for a core.
            double cpuUsPerEntry = (ProcessCpu.nanos() - cpuStart) / 1e3 / Math.max(1, seq[0] - before);
            long[] sorted = Latencies.merge(List.of(latencies));
            out.println(new BenchResult("ledger-memory", (seq[0] - before) / secs,
                    Latencies.percentileMillis(sorted, 0.50), Latencies.percentileMillis(sorted, 0.99), errors)
                    .with("threads", 1).with("entries", seq[0] - before).with("seconds", secs)
                    .with("jvm_cpu_us_per_entry", cpuUsPerEntry).toJson());
        }
    }

    private static long runFor(Journal journal, LedgerId ledger, long millis, long[] seq, Latencies latencies) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long errors = 0;
        Money amount = Money.cny(100);
        AccountCode hot = AccountCode.of("platform:hot");
        AccountCode[] others = new AccountCode[OTHERS];
        for (int i = 0; i < OTHERS; i++) {
            others[i] = AccountCode.of(others()[i]);
        }
        while (System.nanoTime() < end) {
            for (int k = 0; k < 256; k++) {
                long i = seq[0]++;
                EntryRequest r = EntryRequest.builder(ledger, "e" + i, "issuance")
                        .debit(hot, amount).credit(others[(int) (i % OTHERS)], amount).build();
                long t0 = System.nanoTime();
                PostResult result = journal.post(r);
                long t1 = System.nanoTime();
                if (latencies != null) {
                    latencies.record(t1 - t0);
                }
                if (!(result instanceof PostResult.Posted)) {
                    errors++;
                }
            }
        }
        return errors;
    }

    /**
     * 64 submitters on one hot account in Postgres, durable commits. Runs the naive baseline (one
     * transaction per entry) first on the same database and prints both lines, the group-commit one
     * with the ratio.
     */
    static void postgresHot(BenchOptions options, PrintStream out) {
        try (Database db = Database.open(options.dbUrl())) {
            int threads = options.intOption("threads", 64);
            // --naive 0 skips the baseline (profiling runs only); a reported figure always has it.
            if (options.intOption("naive", 1) != 0) {
                BenchResult naive = postgres(db, options, threads, false, "ledger-postgres-naive");
                out.println(naive.toJson());
            }
            BenchResult hot = postgres(db, options, threads, true, "ledger-postgres-hot");
            out.println(hot.toJson());
        }
    }

    /** The naive baseline alone. */
    static void postgresNaive(BenchOptions options, PrintStream out) {
        try (Database db = Database.open(options.dbUrl())) {
            out.println(postgres(db, options, options.intOption("threads", 64), false, "ledger-postgres-naive").toJson());
        }
    }

    private static double lastNaive = Double.NaN;

    private static BenchResult postgres(Database db, BenchOptions options, int threads, boolean groupCommit, String name) {
        int poolSize = groupCommit ? 2 + options.intOption("writers", 1) : 16;
        PostgresJournal.Builder builder = PostgresJournal.builder().groupCommit(groupCommit)
                .maxBatchSize(options.intOption("batch", 512)).writerThreads(options.intOption("writers", 1));
        // --idle-flush-ms N: the writer's quiet time before it writes lagging balance rows; 0 turns it off.
        int idleFlushMs = options.intOption("idle-flush-ms", -1);
        if (idleFlushMs >= 0) {
            builder.idleFlushAfter(java.time.Duration.ofMillis(idleFlushMs));
        }
        try (HikariDataSource pool = db.pool(poolSize);
             PostgresJournal journal = builder.dataSource(pool).build()) {
            LedgerId ledger = setUp(journal, (groupCommit ? "hot" : "naive") + System.nanoTime() % 100000);
            String[] others = others();
            AtomicBoolean measuring = new AtomicBoolean(false);
            AtomicBoolean stop = new AtomicBoolean(false);
            AtomicLong done = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            List<Latencies> all = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            CountDownLatch finished = new CountDownLatch(threads);
            Money amount = Money.cny(100);
            int inFlight = options.intOption("in-flight", 1);
            for (int t = 0; t < threads; t++) {
                Latencies lat = new Latencies();
                all.add(lat);
                int thread = t;
                Thread w = new Thread(() -> {
                    // Each submitter keeps up to inFlight entries outstanding (1 = a synchronous caller).
                    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(inFlight);
                    try {
                        long i = 0;
                        while (!stop.get()) {
                            EntryRequest r = EntryRequest.builder(ledger, "t" + thread + "-" + i, "issuance")
                                    .debit("platform:hot", amount).credit(others[(int) ((thread * 7919L + i) % OTHERS)], amount).build();
                            i++;
                            window.acquireUninterruptibly();
                            long t0 = System.nanoTime();
                            journal.postAsync(r).whenComplete((result, error) -> {
                                long t1 = System.nanoTime();
                                if (error != null || !(result instanceof PostResult.Posted)) {
                                    errors.incrementAndGet();
                                }
                                if (measuring.get()) {
                                    synchronized (lat) {
                                        lat.record(t1 - t0);
                                    }
                                    done.incrementAndGet();
                                }
                                window.release();
                            });
                        }
                        window.acquireUninterruptibly(inFlight);
                    } finally {
                        finished.countDown();
                    }
                }, "submitter-" + t);
                workers.add(w);
                w.start();
            }
            // --warmup N: seconds before measuring; under load C2 is still compiling after 3 s.
            sleep(options.intOption("warmup", 3) * 1000L);
            measuring.set(true);
            long start = System.nanoTime();
            long cpuStart = ProcessCpu.nanos();
            WriterStatistics statsStart = journal.writerStatistics();
            sleep(options.seconds() * 1000L);
            measuring.set(false);
            long cpu = ProcessCpu.nanos() - cpuStart;
            WriterStatistics statsEnd = journal.writerStatistics();
            double secs = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // What a whole-ledger read costs at once after the run (the balance rows of the 1,000
            // cold accounts lag by up to 31 postings each) and after a quiet second.
            if (groupCommit) {
                // The ledger is new: until autovacuum has analysed it, the planner may take it for
                // a few rows and read every posting per account (seen: a 130 s count, multi-second
                // trial balances), whatever the rows' state. After the measured interval, so the
                // figures above are as before.
                journal.jdbi().useHandle(h -> h.execute("ANALYZE ledger.postings, ledger.entries, ledger.balances"));
            }
            // The first read goes at once, before the writer has been quiet for long (one read, not three).
            double tbAfterRun = groupCommit ? trialBalanceMillis(journal, ledger, 1) : 0;
            long tailsAfterRun = groupCommit ? tailPostings(journal, ledger) : 0;
            if (groupCommit) {
                sleep(1000);
            }
            long tailsAfterIdle = groupCommit ? tailPostings(journal, ledger) : 0;
            double tbAfterIdle = groupCommit ? trialBalanceMillis(journal, ledger, 3) : 0;
            long[] sorted = Latencies.merge(all);
            double ops = sorted.length / secs;
            BenchResult result = new BenchResult(name, ops, Latencies.percentileMillis(sorted, 0.50),
                    Latencies.percentileMillis(sorted, 0.99), errors.get())
                    .with("threads", threads).with("in_flight_per_thread", inFlight)
                    // CPU of this JVM per measured entry (submitters, writer, and the JIT if it is
                    // still compiling): a second view beside ops/s when other work shares the machine.
                    .with("jvm_cpu_us_per_entry", sorted.length == 0 ? 0.0 : cpu / 1e3 / sorted.length).with("entries", (long) sorted.length).with("seconds", secs)
                    .with("group_commit", groupCommit).with("db", db.description()).with("fsync", db.fsync())
                    .with("verified", journal.verify(ledger).ok());
            if (groupCommit) {
                cycle(result, statsStart, statsEnd);
                result.with("trial_balance_ms_after_run", tbAfterRun).with("tail_postings_after_run", tailsAfterRun)
                        .with("tail_postings_after_idle_1s", tailsAfterIdle).with("trial_balance_ms_after_idle_1s", tbAfterIdle);
            }
            if (!groupCommit) {
                lastNaive = ops;
            } else if (!Double.isNaN(lastNaive)) {
                result.with("baseline_naive_ops_per_s", lastNaive).with("ratio_vs_naive", ops / lastNaive);
            }
            return result;
        }
    }

    /**
     * The writer's batch cycle over the measured interval: mean batch size, mean cycle and the
     * microseconds per batch of each phase (they add up to the cycle with one writer thread).
     */
    private static void cycle(BenchResult result, WriterStatistics from, WriterStatistics to) {
        long batches = to.batches() - from.batches();
        if (batches == 0) {
            return;
        }
        result.with("batch_mean", (double) (to.entries() - from.entries()) / batches);
        long total = 0;
        for (WriterStatistics.Phase p : WriterStatistics.Phase.values()) {
            long nanos = to.nanos().get(p) - from.nanos().get(p);
            total += nanos;
            result.with("cycle_" + p.name().toLowerCase(java.util.Locale.ROOT) + "_us", Math.round(nanos / 100.0 / batches) / 10.0);
        }
        result.with("cycle_us", Math.round(total / 100.0 / batches) / 10.0);
    }

    /** Postings after their balance row's last_sequence in the ledger: what a latest read adds to the rows. */
    private static long tailPostings(PostgresJournal journal, LedgerId ledger) {
        return journal.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ledger.balances b JOIN ledger.postings p"
                        + " ON p.ledger_id = b.ledger_id AND p.account_code = b.account_code AND p.sequence > b.last_sequence"
                        + " WHERE b.ledger_id = :l")
                .bind("l", ledger.value())
                .mapTo(Long.class)
                .one());
    }

    /** The median of {@code n} latest trial balances of the ledger, in milliseconds. */
    private static double trialBalanceMillis(PostgresJournal journal, LedgerId ledger, int n) {
        double[] ms = new double[n];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            journal.trialBalance(ledger, org.ticketledger.ledger.AsOf.latest());
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return Math.round(ms[n / 2] * 100) / 100.0;
    }

    private static LedgerId setUp(Journal journal, String id) {
        LedgerId ledger = LedgerId.of("bench-" + id);
        journal.createLedger(ledger, Money.CNY);
        journal.openAccount(Account.of(ledger, "platform:hot", AccountType.ASSET, BalancePolicy.NONE));
        for (String o : others()) {
            journal.openAccount(Account.of(ledger, o, AccountType.LIABILITY, BalancePolicy.NONE));
        }
        return ledger;
    }

    private static String[] cachedOthers;

    private static synchronized String[] others() {
        if (cachedOthers == null) {
            cachedOthers = new String[OTHERS];
            for (int i = 0; i < OTHERS; i++) {
                cachedOthers[i] = "party:" + i;
            }
        }
        return cachedOthers;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
