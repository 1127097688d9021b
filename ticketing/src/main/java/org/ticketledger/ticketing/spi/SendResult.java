package org.ticketledger.ticketing.spi;

import java.util.Objects;

/** What a {@link Notifier} did with a message. */
public sealed interface SendResult {

    /** Accepted by the provider. */
    record Sent(String providerReference) implements SendResult {
        public Sent {
            Objects.requireNonNull(providerReference, "providerReference");
        }
    }

    /** Not sent; retried later if {@code retryable}. */
    record Failed(String reason, boolean retryable) implements SendResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
