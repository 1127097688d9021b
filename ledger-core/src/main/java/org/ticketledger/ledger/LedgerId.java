package org.ticketledger.ledger;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies a ledger: a book in one currency and the unit of ordering, hashing and partitioning.
 *
 * <p>Lower-case letters, digits, '.', '_' and '-', 1 to 64 characters, starting with a letter or
 * digit. The value is part of every entry's canonical bytes, so it never changes once used.
 *
 * @param value the identifier; never null
 */
public record LedgerId(String value) implements Comparable<LedgerId> {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public LedgerId {
        Objects.requireNonNull(value, "ledger id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid ledger id \"" + value
                    + "\": use 1-64 of [a-z0-9._-], starting with a letter or digit");
        }
    }

    public static LedgerId of(String value) {
        return new LedgerId(value);
    }

    @Override
    public int compareTo(LedgerId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
