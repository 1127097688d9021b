package org.ticketledger.ticketing.notify;

/** Where a queued message stands. */
public enum NotificationState {
    PENDING,
    SENT,
    /** Given up after the configured attempts, or refused for good by the provider. */
    FAILED
}
