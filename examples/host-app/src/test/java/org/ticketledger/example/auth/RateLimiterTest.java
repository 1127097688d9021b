package org.ticketledger.example.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = RateLimiter.create(now::get);

    @Test
    void grantsTheBurstThenRefusesWithTheWaitForOneToken() {
        RateLimiter.Limit limit = new RateLimiter.Limit(60, 3); // one per second
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isEqualTo(1);
    }

    @Test
    void refillsAtTheSustainedRate() {
        RateLimiter.Limit limit = new RateLimiter.Limit(60, 1);
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isEqualTo(1);
        now.addAndGet(999_000_000L);
        assertThat(limiter.acquire("d-1", limit)).isEqualTo(1);
        now.addAndGet(1_000_000L);
        assertThat(limiter.acquire("d-1", limit)).isZero();
    }

    @Test
    void slowRatesAskForLongWaits() {
        RateLimiter.Limit limit = new RateLimiter.Limit(1, 1); // one per minute
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isEqualTo(60);
        now.addAndGet(30_000_000_000L);
        assertThat(limiter.acquire("d-1", limit)).isEqualTo(30);
    }

    @Test
    void neverStoresMoreThanTheBurstHowEverLongIdle() {
        RateLimiter.Limit limit = new RateLimiter.Limit(60, 2);
        limiter.acquire("d-1", limit);
        now.addAndGet(Long.MAX_VALUE / 4);
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isPositive();
    }

    @Test
    void bucketsAreIndependentPerSubject() {
        RateLimiter.Limit limit = new RateLimiter.Limit(1, 1);
        assertThat(limiter.acquire("d-1", limit)).isZero();
        assertThat(limiter.acquire("d-1", limit)).isPositive();
        assertThat(limiter.acquire("d-2", limit)).isZero();
    }

    @Test
    void fastestAndLargestLimitsDoNotOverflow() {
        RateLimiter.Limit limit = new RateLimiter.Limit(60_000_000L, 1_000_000);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("d-1", limit)).isZero();
        }
    }

    @Test
    void refusesNonsenseLimits() {
        assertThatThrownBy(() -> new RateLimiter.Limit(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter.Limit(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
