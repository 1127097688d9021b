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

    /** A named sweep: one recurring task. */
    record Sweep(String name, IntSupplier work) {
    }

    Jobs(DataSource dataSource, JobSettings settings, String instanceId, List<Sweep> sweeps) {
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

    private static RecurringTask<Void> sweep(String name, Duration every, IntSupplier work) {
        return Tasks.recurring(name, FixedDelay.of(every)).execute((instance, context) -> {
            int n = work.getAsInt();
            if (n > 0) {
                LOG.debug("{} drove {}", name, n);
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

    @Override
    public void close() {
        scheduler.stop();
    }
}
