package org.ticketledger.ticketing.notify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ticketing.spi.Notification;

/**
 * A message in the outbox.
 *
 * @param notification the message
 * @param subjectId    the order or payout it is about
 * @param state        where it stands
 * @param attempts     send attempts so far
 * @param providerRef  the provider's reference once sent
 * @param lastError    the last failure
 * @param createdAt    queued
 * @param sentAt       sent
 */
public record StoredNotification(Notification notification, String subjectId, NotificationState state, int attempts,
                                 Optional<String> providerRef, Optional<String> lastError, Instant createdAt,
                                 Optional<Instant> sentAt) {

    public StoredNotification {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
