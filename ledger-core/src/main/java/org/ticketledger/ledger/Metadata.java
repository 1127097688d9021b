package org.ticketledger.ledger;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation and copying of the string-to-string metadata carried by accounts and entries
 * (order id, ticket id, rail transaction id, ...).
 *
 * <p>Keys are ASCII so that their {@link String} order equals their UTF-8 byte order, which the
 * canonical form sorts by. Copies are sorted and unmodifiable.
 */
public final class Metadata {

    /** Longest allowed key, in characters. */
    public static final int MAX_KEY_LENGTH = 64;
    /** Longest allowed value, in characters. */
    public static final int MAX_VALUE_LENGTH = 1024;
    /** Most allowed pairs. */
    public static final int MAX_PAIRS = 64;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    private Metadata() {
    }

    /** A sorted, unmodifiable, validated copy; {@link IllegalArgumentException} on a bad key or value. */
    public static SortedMap<String, String> copyOf(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.isEmpty()) {
            return Collections.emptySortedMap();
        }
        if (metadata.size() > MAX_PAIRS) {
            throw new IllegalArgumentException("metadata has " + metadata.size() + " pairs, at most " + MAX_PAIRS + " allowed");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || value == null) {
                throw new IllegalArgumentException("metadata keys and values must not be null");
            }
            if (key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("invalid metadata key \"" + key
                        + "\": use at most " + MAX_KEY_LENGTH + " of [A-Za-z0-9._:-]");
            }
            if (value.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("metadata value for \"" + key + "\" contains a NUL character");
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("metadata value for \"" + key + "\" is longer than "
                        + MAX_VALUE_LENGTH + " characters");
            }
            copy.put(key, value);
        }
        return Collections.unmodifiableSortedMap(copy);
    }
}
