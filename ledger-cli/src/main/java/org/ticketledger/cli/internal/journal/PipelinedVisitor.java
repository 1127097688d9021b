package org.ticketledger.cli.internal.journal;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;

/**
 * Hands a journal stream to another visitor on a thread of its own, in batches and in order, so
 * that parsing (the caller's thread) and auditing (hashing and replaying, the worker) run on two
 * cores at once. The target sees exactly the calls the source made, in the same order, from one
 * thread.
 *
 * <p>A failure in the target is rethrown to the source at its next call (or at {@link #end()});
 * {@link #drain()} lets the source wait until everything sent so far was handled, e.g. before it
 * reports a damaged line. Used by one source thread; {@link #close()} stops the worker.
 */
public final class PipelinedVisitor implements JournalVisitor, AutoCloseable {

    private static final int BATCH = 1024;
    private static final Object END = new Object();

    private final JournalVisitor target;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(8);
    private final Thread worker;
    private volatile RuntimeException failure;
    private volatile boolean stopped;
    private Batch batch = new Batch();

    /** Starts the worker that feeds {@code target}. */
    public PipelinedVisitor(JournalVisitor target) {
        this.target = Objects.requireNonNull(target, "target");
        this.worker = new Thread(this::work, "ledger-cli-audit");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void ledger(LedgerHead head) {
        add(head, 0);
    }

    @Override
    public void account(Account account) {
        add(account, 0);
    }

    @Override
    public void entry(Entry entry, long line) {
        add(entry, line);
    }

    @Override
    public void balance(LedgerId ledger, Balance balance) {
        add(new StoredBalance(ledger, balance), 0);
    }

    /** Sends the end, waits until the target handled everything, and rethrows its failure if any. */
    @Override
    public void end() {
        add(END, 0);
        send();
        join();
        rethrow();
    }

    /** Waits until the target handled everything sent so far (its own failure is kept, not thrown). */
    public void drain() {
        CountDownLatch done = new CountDownLatch(1);
        add(done, 0);
        send();
        try {
            while (failure == null && !done.await(50, TimeUnit.MILLISECONDS)) {
                // waiting for the worker to reach the marker
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the worker if it still runs. */
    @Override
    public void close() {
        stopped = true;
        worker.interrupt();
        join();
    }

    private void add(Object item, long line) {
        rethrow();
        Batch b = batch;
        b.items[b.size] = item;
        b.lines[b.size] = line;
        if (++b.size == BATCH) {
            send();
        }
    }

    private void send() {
        if (batch.size == 0) {
            return;
        }
        try {
            while (!queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!worker.isAlive()) {
                    throw new IllegalStateException("the audit thread stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing entries to the audit thread", e);
        }
        batch = new Batch();
    }

    private void rethrow() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void join() {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            while (!stopped) {
                Batch b = queue.take();
                for (int i = 0; i < b.size; i++) {
                    Object item = b.items[i];
                    if (item instanceof Entry e) {
                        target.entry(e, b.lines[i]);
                    } else if (item == END) {
                        target.end();
                        return;
                    } else if (item instanceof CountDownLatch latch) {
                        latch.countDown();
                    } else if (item instanceof LedgerHead h) {
                        target.ledger(h);
                    } else if (item instanceof Account a) {
                        target.account(a);
                    } else {
                        StoredBalance s = (StoredBalance) item;
                        target.balance(s.ledger, s.balance);
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() asked to stop
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("the audit thread failed: " + e, e);
        }
    }

    private record StoredBalance(LedgerId ledger, Balance balance) {
    }

    private static final class Batch {
        final Object[] items = new Object[BATCH];
        final long[] lines = new long[BATCH];
        int size;
    }
}
