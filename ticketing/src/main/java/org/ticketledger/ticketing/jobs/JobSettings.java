package org.ticketledger.ticketing.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the durable work.
 *
 * @param lease                 how long a worker owns an order/payout/message while driving it;
 *                              after a crash, another worker takes over once it passes
 * @param sweepInterval         how often each sweep runs
 * @param pollingInterval       how often the scheduler polls its table
 * @param heartbeatInterval     scheduler heartbeat; a sweep whose worker died is revived after
 *                              {@code missedHeartbeats} of these
 * @param missedHeartbeats      see above, >= 2
 * @param batchSize             rows a sweep claims at once; a sweep that claimed a full batch claims
 *                              the next at once, for at most {@code lease} per run
 * @param chargeBackoffInitial  first wait after an unknown collection outcome; doubles per attempt
 * @param chargeBackoffMax      the longest wait between collection attempts (they go on until final)
 * @param payoutBackoffInitial  first wait after an unknown payout outcome; doubles per attempt
 * @param payoutRetryWindow     how long a payout round is retried before manual review
 * @param notifyBackoff         wait between message attempts
 * @param notifyMaxAttempts     message attempts before giving up
 * @param sweepWorkers          rows of a batch the order and payout sweeps drive at once, 1-64 (default
 *                              {@value #DEFAULT_SWEEP_WORKERS}); their time is mostly waiting for rails and
 *                              durable commits, so overlapping them is what lets a sweep keep up. Each
 *                              worker uses one database connection at a time: keep it well below the pool
 */
public record JobSettings(Duration lease, Duration sweepInterval, Duration pollingInterval, Duration heartbeatInterval,
                          int missedHeartbeats, int batchSize, Duration chargeBackoffInitial, Duration chargeBackoffMax,
                          Duration payoutBackoffInitial, Duration payoutRetryWindow, Duration notifyBackoff,
                          int notifyMaxAttempts, int sweepWorkers) {

    /** Sweep workers when not given: enough to overlap rail calls and commits on a small machine. */
    public static final int DEFAULT_SWEEP_WORKERS = 8;

    public JobSettings {
        positive(lease, "lease");
        positive(sweepInterval, "sweepInterval");
        positive(pollingInterval, "pollingInterval");
        positive(heartbeatInterval, "heartbeatInterval");
        positive(chargeBackoffInitial, "chargeBackoffInitial");
        positive(chargeBackoffMax, "chargeBackoffMax");
        positive(payoutBackoffInitial, "payoutBackoffInitial");
        positive(payoutRetryWindow, "payoutRetryWindow");
        positive(notifyBackoff, "notifyBackoff");
        if (missedHeartbeats < 2) {
            throw new IllegalArgumentException("missedHeartbeats must be >= 2");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be 1-10000");
        }
        if (sweepWorkers < 1 || sweepWorkers > 64) {
            throw new IllegalArgumentException("sweepWorkers must be 1-64");
        }
        if (notifyMaxAttempts < 1) {
            throw new IllegalArgumentException("notifyMaxAttempts must be >= 1");
        }
        if (chargeBackoffMax.compareTo(chargeBackoffInitial) < 0) {
            throw new IllegalArgumentException("chargeBackoffMax must be >= chargeBackoffInitial");
        }
    }

    /** The settings as before sweep workers existed, with {@value #DEFAULT_SWEEP_WORKERS} of them. */
    public JobSettings(Duration lease, Duration sweepInterval, Duration pollingInterval, Duration heartbeatInterval,
                       int missedHeartbeats, int batchSize, Duration chargeBackoffInitial, Duration chargeBackoffMax,
                       Duration payoutBackoffInitial, Duration payoutRetryWindow, Duration notifyBackoff,
                       int notifyMaxAttempts) {
        this(lease, sweepInterval, pollingInterval, heartbeatInterval, missedHeartbeats, batchSize, chargeBackoffInitial,
                chargeBackoffMax, payoutBackoffInitial, payoutRetryWindow, notifyBackoff, notifyMaxAttempts,
                DEFAULT_SWEEP_WORKERS);
    }

    /** Production defaults: 2 min lease, 5 s sweeps, charge backoff 5 s doubling to 5 min, 30 min payout window. */
    public static JobSettings defaults() {
        return new JobSettings(Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 6, 100, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(5),
                Duration.ofMinutes(30), Duration.ofSeconds(30), 10);
    }

    /** Fast settings for tests and demos: sub-second sweeps and backoffs, seconds-long windows. */
    public static JobSettings fast() {
        return new JobSettings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofMillis(500), 4, 100, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(100),
                Duration.ofSeconds(3), Duration.ofMillis(100), 5);
    }

    public JobSettings withLease(Duration d) {
        return new JobSettings(d, sweepInterval, pollingInterval, heartbeatInterval, missedHeartbeats, batchSize,
                chargeBackoffInitial, chargeBackoffMax, payoutBackoffInitial, payoutRetryWindow, notifyBackoff,
                notifyMaxAttempts, sweepWorkers);
    }

    public JobSettings withPayoutRetryWindow(Duration d) {
        return new JobSettings(lease, sweepInterval, pollingInterval, heartbeatInterval, missedHeartbeats, batchSize,
                chargeBackoffInitial, chargeBackoffMax, payoutBackoffInitial, d, notifyBackoff, notifyMaxAttempts,
                sweepWorkers);
    }

    public JobSettings withBatchSize(int n) {
        return new JobSettings(lease, sweepInterval, pollingInterval, heartbeatInterval, missedHeartbeats, n,
                chargeBackoffInitial, chargeBackoffMax, payoutBackoffInitial, payoutRetryWindow, notifyBackoff,
                notifyMaxAttempts, sweepWorkers);
    }

    public JobSettings withSweepInterval(Duration d) {
        return new JobSettings(lease, d, pollingInterval, heartbeatInterval, missedHeartbeats, batchSize,
                chargeBackoffInitial, chargeBackoffMax, payoutBackoffInitial, payoutRetryWindow, notifyBackoff,
                notifyMaxAttempts, sweepWorkers);
    }

    /** The same settings with {@code n} sweep workers (1 drives one row at a time, as before they existed). */
    public JobSettings withSweepWorkers(int n) {
        return new JobSettings(lease, sweepInterval, pollingInterval, heartbeatInterval, missedHeartbeats, batchSize,
                chargeBackoffInitial, chargeBackoffMax, payoutBackoffInitial, payoutRetryWindow, notifyBackoff,
                notifyMaxAttempts, n);
    }

    /** The wait before attempt {@code attempt + 1} of a collection: initial × 2^(attempt−1), capped. */
    public Duration chargeBackoff(int attempt) {
        return backoff(chargeBackoffInitial, chargeBackoffMax, attempt);
    }

    /** The wait before the next payout attempt, capped at a tenth of the window. */
    public Duration payoutBackoff(int attempt) {
        Duration cap = payoutRetryWindow.dividedBy(10);
        return backoff(payoutBackoffInitial, cap.compareTo(payoutBackoffInitial) < 0 ? payoutBackoffInitial : cap, attempt);
    }

    private static Duration backoff(Duration initial, Duration max, int attempt) {
        int shift = Math.max(0, Math.min(attempt - 1, 30));
        long ms = initial.toMillis();
        long wait = ms << shift;
        if (wait < 0 || (wait >> shift) != ms || wait > max.toMillis()) {
            return max;
        }
        return Duration.ofMillis(wait);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
