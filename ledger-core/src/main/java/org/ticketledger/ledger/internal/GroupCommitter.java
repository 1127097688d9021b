package org.ticketledger.ledger.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerException;
import org.ticketledger.ledger.PostResult;

/**
 * Group commit: callers submit entries, writer threads drain the queue into batches and hand each
 * batch to the journal, which judges and writes it in one transaction, then every caller is
 * completed with its own result.
 *
 * <p>There is no fixed sleep: a writer takes whatever is queued (up to the batch size) the moment
 * it is free, so a lone request goes out at once and batches grow only while the previous commit is
 * in flight. An optional maximum wait lets a writer linger for a fuller batch.
 *
 * <p>If a batch fails as a whole (a storage error), each of its entries is retried on its own so one
 * bad entry cannot fail its neighbours; retrying is safe because entries carry idempotency keys (an
 * entry whose batch did commit after all comes back as a duplicate). Thread-safe.
 */
public final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** The clock phase of the wait for a batch's first entry. */
    public static final int IDLE = 0;
    /** The clock phase of draining the rest of a batch. */
    public static final int DRAIN = 1;

    private record Pending(EntryRequest request, CompletableFuture<PostResult> result) {
    }

    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Function<List<EntryRequest>, List<PostResult>> writeBatch;
    private final List<Thread> writers = new ArrayList<>();
    private final CycleClock clock;
    private final int completePhase;
    /** How long the queue must stay empty before {@link #idleWork} runs; 0 when there is none. */
    private final long idleAfterNanos;
    /** One bounded step of work for quiet times; true while more is left. Null when there is none. */
    private final java.util.function.BooleanSupplier idleWork;
    private volatile boolean open = true;

    /**
     * @param name       thread name prefix
     * @param writers    number of writer threads
     * @param maxBatch   most entries per batch
     * @param maxWait    how long a writer may wait for a fuller batch (zero: never)
     * @param capacity   queue bound; submitters block when it is full
     * @param writeBatch judges and durably writes a batch, one result per request in order
     */
    public GroupCommitter(String name, int writers, int maxBatch, Duration maxWait, int capacity,
                          Function<List<EntryRequest>, List<PostResult>> writeBatch) {
        this(name, writers, maxBatch, maxWait, capacity, writeBatch, new CycleClock(3));
    }

    /**
     * As above, timing each cycle on {@code clock}: phase 0 is the wait for a batch's first entry,
     * phase 1 the drain, the last phase the completion of the callers; {@code writeBatch} may time
     * the phases in between itself.
     */
    public GroupCommitter(String name, int writers, int maxBatch, Duration maxWait, int capacity,
                          Function<List<EntryRequest>, List<PostResult>> writeBatch, CycleClock clock) {
        this(name, writers, maxBatch, maxWait, capacity, writeBatch, clock, Duration.ZERO, null);
    }

    /**
     * As above, and once the queue has stayed empty for {@code idleAfter} after a batch, a writer
     * runs {@code idleWork} step by step (each call one bounded step, true while more is left),
     * looking at the queue between steps: an entry arriving meanwhile waits for one step at most.
     * The work is armed again by the next batch. A step that throws is tried again after a longer
     * quiet time (doubled per failure in a row, up to 64 times). Its time counts as the clock's idle phase. A
     * {@code idleAfter} of zero or less, or a null {@code idleWork}, turns it off.
     */
    public GroupCommitter(String name, int writers, int maxBatch, Duration maxWait, int capacity,
                          Function<List<EntryRequest>, List<PostResult>> writeBatch, CycleClock clock,
                          Duration idleAfter, java.util.function.BooleanSupplier idleWork) {
        this.clock = Objects.requireNonNull(clock, "clock");
        boolean idle = idleWork != null && idleAfter != null && !idleAfter.isNegative() && !idleAfter.isZero();
        this.idleAfterNanos = idle ? idleAfter.toNanos() : 0;
        this.idleWork = idle ? idleWork : null;
        if (writers < 1 || maxBatch < 1 || capacity < maxBatch) {
            throw new IllegalArgumentException("need writers >= 1, maxBatch >= 1 and capacity >= maxBatch");
        }
        this.completePhase = clock.phases() - 1;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = Objects.requireNonNull(maxWait, "maxWait").toNanos();
        this.writeBatch = Objects.requireNonNull(writeBatch, "writeBatch");
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::run, name + "-writer-" + i);
            t.setDaemon(true);
            this.writers.add(t);
            t.start();
        }
    }

    /** Queues a request; the future completes when its batch has committed. */
    public CompletableFuture<PostResult> submit(EntryRequest request) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<PostResult> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(new LedgerException("the journal is closed"));
            return result;
        }
        Pending pending = new Pending(request, result);
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new LedgerException("interrupted while queueing an entry", e));
            return result;
        }
        // A close() that raced this put may have stopped the writers already: take the entry back.
        if (!open && queue.remove(pending)) {
            result.completeExceptionally(new LedgerException("the journal is closed"));
        }
        return result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        long t = System.nanoTime();
        // Whether idle work may be left (armed by every batch), and whether this writer is in the
        // middle of it: then it only looks at the queue between steps instead of waiting again.
        boolean idleLeft = false;
        boolean stepping = false;
        // Failed steps in a row: each doubles the quiet time before the next try (at most 64 times).
        int idleFailures = 0;
        while (open || !queue.isEmpty()) {
            try {
                Pending first;
                if (!idleLeft) {
                    first = queue.poll(50, TimeUnit.MILLISECONDS);
                } else if (stepping) {
                    first = queue.poll();
                } else {
                    first = queue.poll(idleAfterNanos << Math.min(idleFailures, 6), TimeUnit.NANOSECONDS);
                }
                if (first == null) {
                    if (idleLeft && open) {
                        try {
                            idleLeft = idleWork.getAsBoolean();
                            stepping = true;
                            idleFailures = 0;
                        } catch (RuntimeException e) {
                            // Try again after a longer quiet time rather than at once or never.
                            stepping = false;
                            idleFailures++;
                            LOG.warn("idle work of the group-commit writer failed ({}); trying again after {} ms of quiet",
                                    e.toString(), TimeUnit.NANOSECONDS.toMillis(idleAfterNanos << Math.min(idleFailures, 6)));
                        }
                    }
                    continue;
                }
                stepping = false;
                idleFailures = 0;
                idleLeft = idleWork != null;
                t = clock.lap(IDLE, t);
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (maxWaitNanos > 0 && batch.size() < maxBatch) {
                    long deadline = System.nanoTime() + maxWaitNanos;
                    while (batch.size() < maxBatch) {
                        long left = deadline - System.nanoTime();
                        Pending more = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                        if (more == null) {
                            break;
                        }
                        batch.add(more);
                        queue.drainTo(batch, maxBatch - batch.size());
                    }
                }
                clock.lap(DRAIN, t);
                clock.batch(batch.size());
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Never let a writer die silently: fail what it held and keep serving.
                LOG.error("group-commit writer failed", e);
                batch.forEach(p -> p.result.completeExceptionally(e));
            } finally {
                batch.clear();
                t = System.nanoTime();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<EntryRequest> requests = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            requests.add(p.request);
        }
        List<PostResult> results;
        try {
            results = writeBatch.apply(requests);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
                return;
            }
            LOG.warn("a batch of {} entries failed ({}); retrying them one by one", batch.size(), e.toString());
            for (Pending p : batch) {
                try {
                    p.result.complete(writeBatch.apply(List.of(p.request)).get(0));
                } catch (RuntimeException single) {
                    p.result.completeExceptionally(single);
                }
            }
            return;
        }
        long t = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(results.get(i));
        }
        clock.lap(completePhase, t);
    }

    /** Stops accepting entries, writes everything already queued, and stops the writers. */
    @Override
    public void close() {
        open = false;
        for (Thread t : writers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result.completeExceptionally(new LedgerException("the journal closed before this entry was written"));
        }
    }
}
