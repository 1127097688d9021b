package org.ticketledger.example.console;

import java.time.Duration;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * How the operator console behaves.
 *
 * @param idleTimeout        a session ends after this long without a request
 * @param absoluteTimeout    a session ends this long after login, however busy
 * @param approvalThreshold  a manual payout above this amount needs a second admin's approval
 * @param passwordIterations PBKDF2 iterations for new password hashes (stored per hash, so raising
 *                           it later leaves old hashes valid)
 * @param secureCookies      mark the session cookie {@code Secure} even on plain HTTP requests (it
 *                           always is on HTTPS); leave off for {@code http://localhost}
 */
public record ConsoleSettings(Duration idleTimeout, Duration absoluteTimeout, Money approvalThreshold,
                              int passwordIterations, boolean secureCookies) {

    /** The fewest PBKDF2 iterations accepted. */
    public static final int MIN_ITERATIONS = 10_000;

    public ConsoleSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(absoluteTimeout, "absoluteTimeout");
        Objects.requireNonNull(approvalThreshold, "approvalThreshold");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("timeouts must be positive, the absolute one at least the idle one");
        }
        if (approvalThreshold.isNegative()) {
            throw new IllegalArgumentException("approvalThreshold must not be negative");
        }
        if (passwordIterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("passwordIterations must be at least " + MIN_ITERATIONS);
        }
    }

    /** 30 minutes idle, 12 hours absolute, approval above 1000.00 CNY, 210 000 iterations, cookies Secure on HTTPS. */
    public static ConsoleSettings defaults() {
        return new ConsoleSettings(Duration.ofMinutes(30), Duration.ofHours(12), Money.parseCny("1000.00"), 210_000, false);
    }

    public ConsoleSettings withTimeouts(Duration idle, Duration absolute) {
        return new ConsoleSettings(idle, absolute, approvalThreshold, passwordIterations, secureCookies);
    }

    public ConsoleSettings withApprovalThreshold(Money threshold) {
        return new ConsoleSettings(idleTimeout, absoluteTimeout, threshold, passwordIterations, secureCookies);
    }

    public ConsoleSettings withPasswordIterations(int iterations) {
        return new ConsoleSettings(idleTimeout, absoluteTimeout, approvalThreshold, iterations, secureCookies);
    }

    public ConsoleSettings withSecureCookies(boolean secure) {
        return new ConsoleSettings(idleTimeout, absoluteTimeout, approvalThreshold, passwordIterations, secure);
    }
}
