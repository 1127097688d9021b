package org.ticketledger.ticketing.device;

/**
 * The answer to a heartbeat.
 *
 * @param keySetVersion     the current key-set version
 * @param revocationVersion the current revocation version
 * @param syncOverdue       whether the device's last sync is older than the maximum offline time
 *                          (it is alerted in the log; the device list shows it)
 */
public record HeartbeatAnswer(long keySetVersion, long revocationVersion, boolean syncOverdue) {
}
