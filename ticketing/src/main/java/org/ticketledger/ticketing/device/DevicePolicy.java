package org.ticketledger.ticketing.device;

import java.time.Duration;
import java.util.Objects;

/**
 * Lifetimes and limits of the device side.
 *
 * @param provisioningTokenTtl how long a provisioning token can be used (once)
 * @param accessTokenTtl       access-token lifetime (DEVICE-API.md: 5–15 min)
 * @param refreshTokenTtl      refresh lifetime from login (a shift); rotation does not extend it
 * @param maxOffline           the longest a device may redeem offline since its last sync; sent to
 *                             devices as {@code policy.maxOfflineSeconds} (they never lengthen theirs)
 * @param maxFailedLogins      failed logins in a row before an operator or device is locked
 * @param lockout              how long the lock lasts
 * @param passwordIterations   PBKDF2-HMAC-SHA256 iterations for new password and PIN hashes
 *                             (≥ 310 000 in production; tests may go down to 1 000)
 */
public record DevicePolicy(Duration provisioningTokenTtl, Duration accessTokenTtl, Duration refreshTokenTtl,
                           Duration maxOffline, int maxFailedLogins, Duration lockout, int passwordIterations) {

    public DevicePolicy {
        positive(provisioningTokenTtl, "provisioningTokenTtl");
        positive(accessTokenTtl, "accessTokenTtl");
        positive(refreshTokenTtl, "refreshTokenTtl");
        positive(maxOffline, "maxOffline");
        positive(lockout, "lockout");
        if (maxFailedLogins < 1) {
            throw new IllegalArgumentException("maxFailedLogins must be >= 1");
        }
        if (passwordIterations < 1_000) {
            throw new IllegalArgumentException("passwordIterations must be >= 1000");
        }
    }

    /** 24 h provisioning tokens, 15 min access, 12 h refresh, 24 h offline, 5 failures → 5 min lock, 310 000 iterations. */
    public static DevicePolicy defaults() {
        return new DevicePolicy(Duration.ofHours(24), Duration.ofMinutes(15), Duration.ofHours(12), Duration.ofHours(24), 5,
                Duration.ofMinutes(5), 310_000);
    }

    /** This policy with another maximum offline time. */
    public DevicePolicy withMaxOffline(Duration d) {
        return new DevicePolicy(provisioningTokenTtl, accessTokenTtl, refreshTokenTtl, d, maxFailedLogins, lockout,
                passwordIterations);
    }

    /** This policy with another access-token lifetime. */
    public DevicePolicy withAccessTokenTtl(Duration d) {
        return new DevicePolicy(provisioningTokenTtl, d, refreshTokenTtl, maxOffline, maxFailedLogins, lockout,
                passwordIterations);
    }

    /** This policy with another PBKDF2 iteration count. */
    public DevicePolicy withPasswordIterations(int n) {
        return new DevicePolicy(provisioningTokenTtl, accessTokenTtl, refreshTokenTtl, maxOffline, maxFailedLogins, lockout, n);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
