package org.ticketledger.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the device for status screens and heartbeats: provisioning and login state, queued
 * scans, data versions and clock. Immutable.
 */
public final class DeviceStatus {

    private final Optional<String> deviceId;
    private final Optional<DeviceSession> session;
    private final int queueDepth;
    private final Optional<Instant> lastSyncAt;
    private final long keySetVersion;
    private final long revocationVersion;
    private final ClockStatus clock;
    private final boolean offline;
    private final long journalRecordsLost;

    /** Creates a snapshot. */
    public DeviceStatus(Optional<String> deviceId, Optional<DeviceSession> session, int queueDepth,
            Optional<Instant> lastSyncAt, long keySetVersion, long revocationVersion, ClockStatus clock,
            boolean offline, long journalRecordsLost) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.session = Objects.requireNonNull(session, "session");
        this.queueDepth = queueDepth;
        this.lastSyncAt = Objects.requireNonNull(lastSyncAt, "lastSyncAt");
        this.keySetVersion = keySetVersion;
        this.revocationVersion = revocationVersion;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.offline = offline;
        this.journalRecordsLost = journalRecordsLost;
    }

    /** The device id, once provisioned. */
    public Optional<String> deviceId() {
        return deviceId;
    }

    /** The current session, if logged in. */
    public Optional<DeviceSession> session() {
        return session;
    }

    /** Offline scan records waiting for upload. */
    public int queueDepth() {
        return queueDepth;
    }

    /** The last successful sync, if any. */
    public Optional<Instant> lastSyncAt() {
        return lastSyncAt;
    }

    /** Key-set version held. */
    public long keySetVersion() {
        return keySetVersion;
    }

    /** Revocation-list version held. */
    public long revocationVersion() {
        return revocationVersion;
    }

    /** Clock measurement. */
    public ClockStatus clock() {
        return clock;
    }

    /** Whether the last online attempt failed and redemptions currently go offline. */
    public boolean offline() {
        return offline;
    }

    /** Damaged journal frames skipped when the journal was opened (0 normally). */
    public long journalRecordsLost() {
        return journalRecordsLost;
    }

    @Override
    public String toString() {
        return "DeviceStatus[" + deviceId.orElse("unprovisioned") + ", queue=" + queueDepth + ", keys v"
                + keySetVersion + ", revocations v" + revocationVersion + ", " + clock + (offline ? ", OFFLINE" : "") + "]";
    }
}
