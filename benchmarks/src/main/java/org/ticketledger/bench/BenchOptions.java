package org.ticketledger.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options every benchmark takes: {@code --seconds N} (measurement time), {@code --db-url URL}
 * (an existing PostgreSQL instead of an embedded one; user and password in the URL or PGUSER /
 * PGPASSWORD), plus free {@code --key value} pairs a benchmark may read.
 */
public record BenchOptions(int seconds, Optional<String> dbUrl, Map<String, String> extra) {

    public static BenchOptions parse(List<String> args) {
        int seconds = 10;
        Optional<String> dbUrl = Optional.empty();
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected --key value pairs, got \"" + a + "\"");
            }
            String v = args.get(++i);
            switch (a) {
                case "--seconds":
                    seconds = wholeNumber("seconds", v);
                    if (seconds < 1) {
                        throw new IllegalArgumentException("--seconds must be >= 1");
                    }
                    break;
                case "--db-url":
                    dbUrl = Optional.of(v);
                    break;
                default:
                    extra.put(a.substring(2), v);
            }
        }
        return new BenchOptions(seconds, dbUrl, Map.copyOf(extra));
    }

    public int intOption(String key, int defaultValue) {
        return extra.containsKey(key) ? wholeNumber(key, extra.get(key)) : defaultValue;
    }

    /** {@code --key true|false}; anything else is refused rather than read as false. */
    public boolean booleanOption(String key, boolean defaultValue) {
        String v = extra.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + key + " must be true or false, got \"" + v + "\"");
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * Refuses options the benchmark does not take, so that a misspelt one ({@code --in-fligt 4})
     * stops the run instead of being ignored while the run measures something else.
     *
     * @throws IllegalArgumentException naming the unknown options and the ones the benchmark takes
     */
    public void requireOnly(String bench, Set<String> known) {
        Set<String> unknown = new TreeSet<>(extra.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            StringBuilder takes = new StringBuilder("--seconds, --db-url");
            new TreeSet<>(known).forEach(k -> takes.append(", --").append(k));
            throw new IllegalArgumentException(bench + " does not take --" + String.join(", --", unknown)
                    + "; it takes " + takes);
        }
    }

    private static int wholeNumber(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, got \"" + value + "\"");
        }
    }
}
