package org.ticketledger.cli.internal.report;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Entry;

/**
 * A point on the command line: an entry sequence ({@code 1200}) or an instant of journal time
 * ({@code 2026-11-26T00:00:00Z}).
 */
public sealed interface Bound {

    /** Parses a sequence (digits) or an ISO-8601 instant; {@link IllegalArgumentException} otherwise. */
    static Bound parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return new AtSequence(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sequence out of range: " + text, e);
            }
        }
        try {
            return new AtInstant(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a sequence number or an ISO-8601 instant (2026-11-26T00:00:00Z): "
                    + text, e);
        }
    }

    /** Whether the entry lies after this point. */
    boolean isAfter(Entry e);

    /** Whether the entry lies before this point. */
    boolean isBefore(Entry e);

    /** The as-of point for a replay up to and including this bound. */
    AsOf asOf();

    /** After entry {@code sequence}. */
    record AtSequence(long sequence) implements Bound {
        public AtSequence {
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must be >= 0");
            }
        }

        @Override
        public boolean isAfter(Entry e) {
            return e.sequence() > sequence;
        }

        @Override
        public boolean isBefore(Entry e) {
            return e.sequence() < sequence;
        }

        @Override
        public AsOf asOf() {
            return AsOf.sequence(sequence);
        }

        @Override
        public String toString() {
            return "sequence " + sequence;
        }
    }

    /** At an instant of journal (recorded) time. */
    record AtInstant(Instant instant) implements Bound {
        public AtInstant {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public boolean isAfter(Entry e) {
            return e.recordedAt().isAfter(instant);
        }

        @Override
        public boolean isBefore(Entry e) {
            return e.recordedAt().isBefore(instant);
        }

        @Override
        public AsOf asOf() {
            return AsOf.instant(instant);
        }

        @Override
        public String toString() {
            return instant.toString();
        }
    }
}
