package org.ticketledger.example.auth;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per distributor, in this process: each bucket holds up to {@code burst} requests
 * and refills at {@code perMinute}. Credit is counted in nanoseconds of refill time, so slow rates (one
 * per minute) refill smoothly without floating point. With several instances each enforces the limit on
 * its share of the traffic; put a shared limiter in front for a hard global limit. Thread-safe.
 */
public final class RateLimiter {

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A limiter on the system's monotonic clock. */
    public static RateLimiter create() {
        return new RateLimiter(System::nanoTime);
    }

    /** A limiter on the given monotonic clock (nanoseconds), for tests. */
    public static RateLimiter create(LongSupplier nanoTime) {
        return new RateLimiter(Objects.requireNonNull(nanoTime, "nanoTime"));
    }

    /** A rate: {@code perMinute} sustained, {@code burst} at once. */
    public record Limit(long perMinute, int burst) {
        public Limit {
            if (perMinute < 1 || perMinute > 60_000_000L) {
                throw new IllegalArgumentException("perMinute must be 1..60000000: " + perMinute);
            }
            if (burst < 1 || burst > 1_000_000) {
                throw new IllegalArgumentException("burst must be 1..1000000: " + burst);
            }
        }
    }

    /** Takes one token from {@code subject}'s bucket; 0 if granted, else the seconds until one is available (≥ 1). */
    public long acquire(String subject, Limit limit) {
        Bucket b = buckets.computeIfAbsent(subject, s -> new Bucket(limit, nanoTime.getAsLong()));
        return b.acquire(limit, nanoTime.getAsLong());
    }

    /** Credit is kept in nanoseconds of refill time: a request costs the time one token takes to refill. */
    private static final class Bucket {
        private long credit;
        private long last;

        Bucket(Limit limit, long now) {
            this.credit = cost(limit) * limit.burst();
            this.last = now;
        }

        private static long cost(Limit limit) {
            return NANOS_PER_MINUTE / limit.perMinute();
        }

        synchronized long acquire(Limit limit, long now) {
            long cost = cost(limit);
            long capacity = cost * limit.burst();
            long elapsed = Math.min(Math.max(0, now - last), capacity);
            credit = Math.min(capacity, credit + elapsed);
            last = now;
            if (credit >= cost) {
                credit -= cost;
                return 0;
            }
            long waitNanos = cost - credit;
            return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        }
    }
}
