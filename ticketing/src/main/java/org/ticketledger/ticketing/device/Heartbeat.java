package org.ticketledger.ticketing.device;

import java.util.Objects;
import java.time.Instant;
import java.util.Optional;

/**
 * A device's health report (DEVICE-API.md §4.10).
 *
 * @param sdkVersion         the SDK version
 * @param queueDepth         scan records waiting for upload
 * @param lastSyncAt         the device's last successful sync
 * @param keySetVersion      key-set version held
 * @param revocationVersion  revocation version held
 * @param deviceTime         the raw device clock
 * @param clockOffsetMillis  the correction the SDK applies
 * @param journalRecordsLost damaged journal frames skipped (non-zero: redemptions may be missing)
 */
public record Heartbeat(String sdkVersion, long queueDepth, Optional<Instant> lastSyncAt, long keySetVersion,
                        long revocationVersion, Optional<Instant> deviceTime, long clockOffsetMillis, long journalRecordsLost) {

    public Heartbeat {
        Objects.requireNonNull(sdkVersion, "sdkVersion");
        Objects.requireNonNull(lastSyncAt, "lastSyncAt");
        Objects.requireNonNull(deviceTime, "deviceTime");
        if (queueDepth < 0 || journalRecordsLost < 0 || keySetVersion < 0 || revocationVersion < 0) {
            throw new IllegalArgumentException("counts and versions must not be negative");
        }
    }
}
