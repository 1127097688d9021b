package org.ticketledger.ticketing.spi;

import org.ticketledger.ticketing.internal.LoggingNotifier;

/**
 * Sends messages to people. Ticketing queues every message in its outbox table first (one row per
 * business id, so a message is queued once) and calls the notifier from there; a message counts
 * as sent once this returns {@link SendResult.Sent}. Implementations are thread-safe, should pass
 * {@link Notification#id()} to the provider for deduplication, and must not throw for provider
 * failures (return {@link SendResult.Failed}).
 */
public interface Notifier {

    /** Sends one message. */
    SendResult send(Notification notification);

    /** The default: writes the message to the log (phone masked); the outbox keeps it. */
    static Notifier logging() {
        return new LoggingNotifier();
    }
}
