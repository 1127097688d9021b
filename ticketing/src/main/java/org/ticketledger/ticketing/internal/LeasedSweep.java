package org.ticketledger.ticketing.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.TicketingException;

/**
 * The sweep every background job of a work table shares (orders, payouts, wealth instructions,
 * plan closes): claim a batch of due rows with a lease token in one statement, drive them (on up to
 * {@code sweepWorkers} threads where the caller allows it), put a row back with a backoff when
 * driving it fails, and claim the next batch at once while batches come back full.
 *
 * <p>The claim repeats the due condition and skips rows another transaction has locked, so of
 * several app instances sweeping the same table only one drives a row; a lease that runs out (its
 * instance crashed mid-drive) makes the row due again without anyone having to notice the crash.
 * A claimed row whose drive has not started within half the lease is given back unstarted, so that
 * every drive begins with at least half a lease ahead of it however long the batch before it took.
 */
final class LeasedSweep {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedSweep.class);

    /** Drives one claimed row; throws {@link TicketingException} to have it postponed. */
    interface Driver {
        void drive(String id, String token);
    }

    /**
     * Drives one claimed row as the claim returned it (the row as stored, lease included: while the
     * lease is the driver's, no other sweep changes it); throws {@link TicketingException} to have
     * it postponed.
     */
    interface RowDriver<T> {
        void drive(T row, String token);
    }

    private final Ctx ctx;
    private final String table;
    private final String key;
    private final String claim;
    private final String claimRows;
    private final String what;
    private final boolean parallel;

    /**
     * @param table    a table of schema {@code ticketing} with {@code lease_owner}, {@code lease_until}
     *                 and {@code next_attempt_at}
     * @param key      its id column
     * @param due      SQL condition of a due row, may use {@code :now}; the lease condition is added
     * @param order    SQL ordering of the due rows (oldest work first)
     * @param what     how log lines name a row ("payout")
     * @param parallel whether rows of a batch may be driven at the same time (on {@code sweepWorkers}
     *                 threads): only where driving two rows never depends on the order between them
     */
    LeasedSweep(Ctx ctx, String table, String key, String due, String order, String what, boolean parallel) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.table = "ticketing." + table;
        this.key = key;
        String update = claimUpdate(this.table, key, due, order);
        this.claim = update + " RETURNING " + key;
        this.claimRows = update + " RETURNING *";
        this.what = what;
        this.parallel = parallel;
    }

    private static String leasable(String due) {
        return "(" + due + ") AND (lease_until IS NULL OR lease_until < :now)";
    }

    /**
     * The claim of up to {@code :n} due rows of {@code table} (schema-qualified), without its
     * RETURNING: binds {@code :tok}, {@code :until}, {@code :now}, {@code :n}. SKIP LOCKED: two
     * instances claiming at once take different rows instead of queueing on the same ones.
     *
     * <p>The batch's ids reach the primary key as an array, as in expiry's RETIRE. Written as
     * {@code key IN (subquery)}, the generic plan a prepared claim settles on joined the batch
     * against every due row of the table (a hash semi join whose outer side scans all of them), so
     * a claim of 100 payouts read the whole backlog even where the subquery itself stopped after
     * 100 rows of {@code payouts_due}: 53 ms against 3.7 ms with 50,000 due payouts.
     *
     * <p>The outer WHERE no longer repeats the due condition: FOR UPDATE in the subquery already
     * checks it on each row's latest version as it locks it (read committed rechecks a row that
     * changed since the statement began, and passes it over if no longer due), and the lock keeps
     * the row so until the UPDATE, which follows a changed row to that same latest version. Repeated,
     * the planner used it as an index condition (a bitmap of every due row in {@code payouts_due}
     * ANDed with the primary key's 100), which is the scan this form exists to avoid.
     */
    static String claimUpdate(String table, String key, String due, String order) {
        return "UPDATE " + table + " SET lease_owner = :tok, lease_until = :until WHERE " + key + " = ANY (ARRAY(SELECT "
                + key + " FROM " + table + " WHERE " + leasable(due) + " ORDER BY " + order
                + " LIMIT :n FOR UPDATE SKIP LOCKED))";
    }

    /**
     * Drives due rows, a batch at a time, until a batch comes back short of the batch size or the
     * run has lasted a lease; returns how many rows it claimed.
     */
    int run(Driver driver, Duration backoff) {
        return run(claim, (rs, c) -> rs.getString(1), id -> id, driver::drive, backoff);
    }

    /**
     * {@link #run(Driver, Duration)}, handing each driver the whole row as the claim returned it
     * ({@code RETURNING *}), so that it need not read the row again.
     */
    <T> int run(RowMapper<T> mapper, Function<T, String> idOf, RowDriver<T> driver, Duration backoff) {
        return run(claimRows, mapper, idOf, driver, backoff);
    }

    private <T> int run(String claimSql, RowMapper<T> mapper, Function<T, String> idOf, RowDriver<T> driver, Duration backoff) {
        long started = System.nanoTime();
        long budget = ctx.jobs.lease().toNanos();
        int workers = parallel ? ctx.jobs.sweepWorkers() : 1;
        ExecutorService pool = null;
        int claimed = 0;
        try {
            while (true) {
                String token = ctx.leaseToken();
                Instant t = ctx.now();
                int n = ctx.jobs.batchSize();
                List<T> rows = ctx.db.tx(h -> h.createQuery(claimSql)
                        .bind("tok", token).bind("until", Db.ts(t.plus(ctx.jobs.lease()))).bind("now", Db.ts(t)).bind("n", n)
                        .map(mapper).list());
                claimed += rows.size();
                long claimedAt = System.nanoTime();
                if (workers > 1 && rows.size() > 1) {
                    if (pool == null) {
                        pool = Executors.newFixedThreadPool(workers, worker());
                    }
                    driveAll(pool, rows, idOf, token, claimedAt, driver, backoff);
                } else {
                    for (T row : rows) {
                        driveOne(row, idOf.apply(row), token, claimedAt, driver, backoff);
                    }
                }
                // Stopping or interrupted: the jobs are closing; the rest waits for the next run (here or elsewhere).
                if (rows.size() < n || System.nanoTime() - started >= budget || ctx.stopping()
                        || Thread.currentThread().isInterrupted()) {
                    return claimed;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdown();
                awaitDrives(pool);
            }
        }
    }

    private <T> void driveAll(ExecutorService pool, List<T> rows, Function<T, String> idOf, String token, long claimedAt,
                              RowDriver<T> driver, Duration backoff) {
        List<Future<?>> running = new ArrayList<>(rows.size());
        AtomicBoolean abandoned = new AtomicBoolean();
        for (T row : rows) {
            running.add(pool.submit(() -> {
                if (abandoned.get()) {
                    giveBack(idOf.apply(row), token);
                } else {
                    driveOne(row, idOf.apply(row), token, claimedAt, driver, backoff);
                }
            }));
        }
        RuntimeException first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // Not a TicketingException (those are postponed): the row keeps its lease and is
                // driven again once it runs out, as when the sweep ran one row at a time.
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                // Rows not yet started are given back by their tasks rather than cancelled, which
                // would leave them leased until the lease runs out. Drives already started finish
                // (the run waits for them): their rail calls have their own timeout, and an
                // interrupt mid-call would only turn a known outcome into one to be queried.
                Thread.currentThread().interrupt();
                abandoned.set(true);
                throw new TicketingException("the " + what + " sweep was interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Waits, for at most a lease and through interrupts, until the workers have finished the rows
     * they were driving, so that no drive goes on after the run returns (and after the jobs' close,
     * which waits for the run); an interrupt is kept for the caller.
     */
    private void awaitDrives(ExecutorService pool) {
        long deadline = System.nanoTime() + ctx.jobs.lease().toNanos();
        boolean interrupted = false;
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!pool.isTerminated()) {
            LOG.warn("{} sweep workers still driving after a lease", what);
        }
    }

    private <T> void driveOne(T row, String id, String token, long claimedAt, RowDriver<T> driver, Duration backoff) {
        // Stopping: given back at once, so that another instance need not wait for the lease to run out.
        if (ctx.stopping() || System.nanoTime() - claimedAt > ctx.jobs.lease().toNanos() / 2) {
            giveBack(id, token);
            return;
        }
        try {
            driver.drive(row, token);
        } catch (TicketingException e) {
            LOG.warn("{} {} could not be driven now, retrying later: {}", what, id, e.getMessage());
            postpone(id, token, backoff);
        }
    }

    private java.util.concurrent.ThreadFactory worker() {
        AtomicInteger n = new AtomicInteger();
        String prefix = "ticketing-" + what.replace(' ', '-') + "-sweep-";
        return r -> {
            Thread th = new Thread(r, prefix + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }

    /** Gives the lease on a row back (if still {@code token}'s), leaving the row as it is otherwise. */
    void release(String id, String token) {
        ctx.db.tx(h -> h.createUpdate("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL"
                        + " WHERE " + key + " = :id AND lease_owner = :tok")
                .bind("id", id).bind("tok", token).execute());
    }

    /** Gives a row back unstarted (if still ours): due again at once, its next attempt unchanged. */
    private void giveBack(String id, String token) {
        try {
            release(id, token);
        } catch (TicketingException e) {
            LOG.warn("could not give back {} {}: {}", what, id, e.getMessage());
        }
    }

    /** Gives the row back (if still ours) with its next attempt {@code wait} from now. */
    void postpone(String id, String token, Duration wait) {
        try {
            ctx.db.tx(h -> h.createUpdate("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL,"
                            + " next_attempt_at = :next WHERE " + key + " = :id AND lease_owner = :tok")
                    .bind("next", Db.ts(ctx.now().plus(wait))).bind("id", id).bind("tok", token).execute());
        } catch (TicketingException e) {
            LOG.warn("could not postpone {} {}: {}", what, id, e.getMessage());
        }
    }
}
