package org.ticketledger.ticketing.notify;

import java.util.List;

/** Queries over the outbox. Thread-safe. */
public interface Notifications {

    /** Messages about an order or payout, oldest first. */
    List<StoredNotification> bySubject(String subjectId);

    /** Messages to a phone number, oldest first. */
    List<StoredNotification> byRecipient(String recipient);

    /** Messages in a state, oldest first, at most {@code limit}. */
    List<StoredNotification> byState(NotificationState state, int limit);
}
