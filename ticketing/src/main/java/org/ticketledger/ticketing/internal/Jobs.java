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
 * The durable jobs on db-scheduler (table {@code ticketing.scheduled_tasks}): three recurring
 * sweeps (orders, payouts, messages). db-scheduler runs each on one instance at a time across the
 * cluster and revives it when the instance running it dies; the sweeps themselves only repeat
 * idempotent steps from the state stored in ticketing's tables, and each row is leased while it
 * is driven.
 */
final class Jobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final Scheduler scheduler;

    Jobs(DataSource dataSource, JobSettings settings, String instanceId, IntSupplier orders, IntSupplier payouts,
         IntSupplier notifications) {
        List<RecurringTask<Void>> tasks = List.of(
                sweep("ticketing-orders", settings.sweepInterval(), orders),
                sweep("ticketing-payouts", settings.sweepInterval(), payouts),
                sweep("ticketing-notifications", settings.sweepInterval(), notifications));
        this.scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .tableName(Db.SCHEMA + ".scheduled_tasks")
                .schedulerName(new SchedulerName.Fixed(instanceId))
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeatInterval())
                .missedHeartbeatsLimit(settings.missedHeartbeats())
                .threads(3)
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
