package org.ticketledger.ledger;

import java.time.Instant;
import java.util.Objects;

/** A point in a ledger's history for as-of queries. */
public sealed interface AsOf {

    /** Everything recorded so far. */
    static AsOf latest() {
        return Latest.INSTANCE;
    }

    /** After the entry with this sequence (0 means before the first entry). */
    static AsOf sequence(long sequence) {
        return new AtSequence(sequence);
    }

    /** After every entry recorded at or before this instant (journal time, not effective time). */
    static AsOf instant(Instant instant) {
        return new AtInstant(instant);
    }

    /** Everything recorded so far. */
    enum Latest implements AsOf {
        INSTANCE
    }

    /** After entry {@code sequence}. */
    record AtSequence(long sequence) implements AsOf {
        public AtSequence {
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
            }
        }
    }

    /** At an instant of journal time. */
    record AtInstant(Instant instant) implements AsOf {
        public AtInstant {
            Objects.requireNonNull(instant, "instant");
        }
    }
}
