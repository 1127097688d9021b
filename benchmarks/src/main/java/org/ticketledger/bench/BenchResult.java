package org.ticketledger.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One result line: {"bench": NAME, "ops_per_s": …, "p50_ms": …, "p99_ms": …, "errors": …} plus
 * extra fields, printed as a single JSON object on stdout.
 */
public final class BenchResult {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public BenchResult(String bench, double opsPerSecond, double p50Millis, double p99Millis, long errors) {
        fields.put("bench", bench);
        fields.put("ops_per_s", round(opsPerSecond, 1));
        fields.put("p50_ms", round(p50Millis, 3));
        fields.put("p99_ms", round(p99Millis, 3));
        fields.put("errors", errors);
    }

    /** Adds an extra field (number, string or boolean). */
    public BenchResult with(String key, Object value) {
        fields.put(key, value instanceof Double d ? round(d, 3) : value);
        return this;
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            if (v instanceof String s) {
                sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('}').toString();
    }

    private static Object round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return Double.valueOf(String.format(Locale.ROOT, "%." + digits + "f", v));
    }
}
