package org.ticketledger.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of posting one entry: a value, never an exception, for every business outcome.
 */
public sealed interface PostResult {

    /** Whether the entry is in the journal: newly posted or found as a duplicate. */
    default boolean accepted() {
        return !(this instanceof Rejected);
    }

    /** The entry in the journal, if accepted. */
    default Optional<Entry> acceptedEntry() {
        if (this instanceof Posted p) {
            return Optional.of(p.entry());
        }
        if (this instanceof Duplicate d) {
            return Optional.of(d.original());
        }
        return Optional.empty();
    }

    /** The entry was written now. */
    record Posted(Entry entry) implements PostResult {
        public Posted {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** The same request was posted before; nothing was written and the original is returned. */
    record Duplicate(Entry original) implements PostResult {
        public Duplicate {
            Objects.requireNonNull(original, "original");
        }
    }

    /** Refused; nothing was written. */
    record Rejected(RejectionReason reason, String detail) implements PostResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
