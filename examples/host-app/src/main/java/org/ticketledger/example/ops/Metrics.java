package org.ticketledger.example.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A small metrics registry rendered in the Prometheus text format (version 0.0.4): HTTP request
 * counts and latency histograms by method, route template and status, plus gauges that components
 * register. Route labels are templates ({@code /orders/{orderId}}), never raw paths, so the number
 * of series stays bounded. Thread-safe; recording is lock-free.
 */
public final class Metrics {

    /** Histogram bucket upper bounds in seconds, as printed. */
    private static final String[] BUCKET_LABELS = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
            "0.5", "1", "2.5", "5", "10"};
    private static final long[] BUCKET_NANOS = {1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};

    private final ConcurrentHashMap<Series, Histogram> requests = new ConcurrentHashMap<>();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

    /** Records one finished HTTP request. */
    public void recordRequest(String method, String route, int status, long nanos) {
        requests.computeIfAbsent(new Series(method, route, status), s -> new Histogram()).record(nanos);
    }

    /** Registers a gauge read at every scrape; {@code name} must be a valid metric name. */
    public void gauge(String name, String help, LongSupplier value) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("invalid metric name: " + name);
        }
        gauges.add(new Gauge(name, Objects.requireNonNull(help, "help"), Objects.requireNonNull(value, "value")));
    }

    /** How many requests were recorded for a series (tests and the health page). */
    public long count(String method, String route, int status) {
        Histogram h = requests.get(new Series(method, route, status));
        return h == null ? 0 : h.count.sum();
    }

    /** The whole registry in the Prometheus text format. */
    public String scrape() {
        StringBuilder b = new StringBuilder(4096);
        List<Map.Entry<Series, Histogram>> series = new ArrayList<>(requests.entrySet());
        series.sort(Map.Entry.comparingByKey(Comparator.comparing(Series::route).thenComparing(Series::method)
                .thenComparingInt(Series::status)));
        b.append("# HELP tl_http_requests_total HTTP requests handled, by method, route template and status.\n");
        b.append("# TYPE tl_http_requests_total counter\n");
        for (var e : series) {
            b.append("tl_http_requests_total").append(e.getKey().labels()).append(' ').append(e.getValue().count.sum()).append('\n');
        }
        b.append("# HELP tl_http_request_duration_seconds Time from request start to response, by method, route template and status.\n");
        b.append("# TYPE tl_http_request_duration_seconds histogram\n");
        for (var e : series) {
            Series s = e.getKey();
            Histogram h = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BUCKET_LABELS.length; i++) {
                cumulative += h.buckets[i].sum();
                b.append("tl_http_request_duration_seconds_bucket").append(s.labels(BUCKET_LABELS[i])).append(' ')
                        .append(cumulative).append('\n');
            }
            long count = h.count.sum();
            b.append("tl_http_request_duration_seconds_bucket").append(s.labels("+Inf")).append(' ').append(count).append('\n');
            b.append("tl_http_request_duration_seconds_sum").append(s.labels()).append(' ')
                    .append(seconds(h.sumNanos.sum())).append('\n');
            b.append("tl_http_request_duration_seconds_count").append(s.labels()).append(' ').append(count).append('\n');
        }
        for (Gauge g : gauges) {
            long v;
            try {
                v = g.value.getAsLong();
            } catch (RuntimeException e) {
                continue; // a failing gauge must not break the scrape; its absence is the signal
            }
            b.append("# HELP ").append(g.name).append(' ').append(g.help).append('\n');
            b.append("# TYPE ").append(g.name).append(" gauge\n");
            b.append(g.name).append(' ').append(v).append('\n');
        }
        return b.toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private record Series(String method, String route, int status) {
        String labels() {
            return "{method=\"" + escape(method) + "\",route=\"" + escape(route) + "\",status=\"" + status + "\"}";
        }

        String labels(String le) {
            return "{method=\"" + escape(method) + "\",route=\"" + escape(route) + "\",status=\"" + status + "\",le=\"" + le + "\"}";
        }
    }

    private static final class Histogram {
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BUCKET_NANOS.length];

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(long nanos) {
            count.increment();
            sumNanos.add(nanos);
            for (int i = 0; i < BUCKET_NANOS.length; i++) {
                if (nanos <= BUCKET_NANOS[i]) {
                    buckets[i].increment();
                    return;
                }
            }
        }
    }

    private record Gauge(String name, String help, LongSupplier value) {
    }
}
