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
 * @param batchSize             rows a sweep drives at most
 * @param chargeBackoffInitial  first wait after an unknown collection outcome; doubles per attempt
 * @param chargeBackoffMax      the longest wait between collection attempts (they go on until final)
 * @param payoutBackoffInitial  first wait after an unknown payout outcome; doubles per attempt
 * @param payoutRetryWindow     how long a payout round is retried before manual review
 * @param notifyBackoff         wait between message attempts
 * @param notifyMaxAttempts     message attempts before giving up
 */
public record JobSettings(Duration lease, Duration sweepInterval, Duration pollingInterval, Duration heartbeatInterval,
                          int missedHeartbeats, int batchSize, Duration chargeBackoffInitial, Duration chargeBackoffMax,
                          Duration payoutBackoffInitial, Duration payoutRetryWindow, Duration notifyBackoff,
                          int notifyMaxAttempts) {

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
        if (notifyMaxAttempts < 1) {
            throw new IllegalArgumentException("notifyMaxAttempts must be >= 1");
        }
        if (chargeBackoffMax.compareTo(chargeBackoffInitial) < 0) {
            throw new IllegalArgumentException("chargeBackoffMax must be >= chargeBackoffInitial");
        }
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
                notifyMaxAttempts);
    }

    public JobSettings withPayoutRetryWindow(Duration d) {
        return new JobSettings(lease, sweepInterval, pollingInterval, heartbeatInterval, missedHeartbeats, batchSize,
                chargeBackoffInitial, chargeBackoffMax, payoutBackoffInitial, d, notifyBackoff, notifyMaxAttempts);
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
