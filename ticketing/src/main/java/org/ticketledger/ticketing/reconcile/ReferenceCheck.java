package org.ticketledger.ticketing.reconcile;

/**
 * Finds rows whose references point at nothing: the keys the schema no longer enforces (foreign keys
 * dropped by V21, V26 and V30 to keep parent-row locks off the write path) and the reference columns
 * that never had one. The writing statements guard every one of them; this check is what finds an
 * orphan left by a hand edit, a partial restore or a future bug. Read-only: one anti-join per
 * reference, all in one snapshot. Each query reads the whole child table (an index or hash
 * anti-join against the parent's key), so on a large database it takes seconds, not milliseconds.
 * Thread-safe.
 */
public interface ReferenceCheck {

    /** Examples per reference when none are asked for. */
    int DEFAULT_EXAMPLES = 10;
    /** The most examples per reference a caller may ask for. */
    int MAX_EXAMPLES = 1000;

    /** Runs the check now with {@link #DEFAULT_EXAMPLES} examples per broken reference. */
    default ReferenceReport check() {
        return check(DEFAULT_EXAMPLES);
    }

    /**
     * Runs the check now.
     *
     * @param examples how many offending row ids to list per reference, 1..{@link #MAX_EXAMPLES}
     *                 (the count is always complete)
     * @throws IllegalArgumentException if {@code examples} is out of range
     */
    ReferenceReport check(int examples);
}
