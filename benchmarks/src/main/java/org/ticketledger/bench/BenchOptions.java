package org.ticketledger.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                    seconds = Integer.parseInt(v);
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
        return extra.containsKey(key) ? Integer.parseInt(extra.get(key)) : defaultValue;
    }
}
