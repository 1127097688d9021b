package org.ticketledger.ticketing.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.UnableToStartException;
import org.ticketledger.ticketing.jobs.JobSettings;

/**
 * The durable jobs on db-scheduler (table {@code ticketing.scheduled_tasks}): recurring sweeps
 * (orders, payouts, messages, wealth instructions and plan closes, ticket expiry). db-scheduler runs each on one instance at a time across the
 * cluster and revives it when the instance running it dies; the sweeps themselves only repeat
 * idempotent steps from the state stored in ticketing's tables, and each row is leased while it
 * is driven.
 */
final class Jobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final Scheduler scheduler;
    /** How long close waits for sweep runs that db-scheduler's stop left running. */
    private final Duration lease;
    /** Sweep runs in progress; guarded by itself. */
    private final int[] running = new int[1];

    /** A named sweep: one recurring task. */
    record Sweep(String name, IntSupplier work) {
    }

    Jobs(DataSource dataSource, JobSettings settings, String instanceId, List<Sweep> sweeps) {
        this.lease = settings.lease();
        List<RecurringTask<Void>> tasks = sweeps.stream().map(s -> sweep(s.name(), settings.sweepInterval(), s.work())).toList();
        this.scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .tableName(Db.SCHEMA + ".scheduled_tasks")
                .schedulerName(new SchedulerName.Fixed(instanceId))
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeatInterval())
                .missedHeartbeatsLimit(settings.missedHeartbeats())
                .threads(Math.max(3, sweeps.size()))
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
    }

    private RecurringTask<Void> sweep(String name, Duration every, IntSupplier work) {
        return Tasks.recurring(name, FixedDelay.of(every)).execute((instance, context) -> {
            synchronized (running) {
                running[0]++;
            }
            try {
                int n = work.getAsInt();
                if (n > 0) {
                    LOG.debug("{} drove {}", name, n);
                }
            } finally {
                synchronized (running) {
                    running[0]--;
                    running.notifyAll();
                }
            }
        });
    }

    void start() {
        try {
            scheduler.start();
        } catch (RuntimeException e) {
            throw new UnableToStartException("the job scheduler did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the scheduler, then waits (at most a lease) for sweep runs still going. db-scheduler's
     * stop lets a running execution go on for shutdownMaxWait, interrupts it, waits as long again and
     * returns whether it has ended or not (16.7.1 Executor.stop); a sweep may drain for up to a
     * lease, and a drive blocked in I/O does not end on an interrupt. The caller stops the sweeps
     * first ({@link Ctx#stop}), so a run normally ends after the rows it is driving.
     */
    @Override
    public void close() {
        scheduler.stop();
        long deadline = System.nanoTime() + lease.toNanos();
        boolean interrupted = false;
        synchronized (running) {
            while (running[0] > 0 && System.nanoTime() < deadline) {
                try {
                    running.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (running[0] > 0) {
                LOG.warn("{} sweep run(s) still going a lease after the jobs stopped", running[0]);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
