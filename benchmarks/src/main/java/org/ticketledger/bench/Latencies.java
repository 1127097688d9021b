package org.ticketledger.bench;

import java.util.Arrays;

/** Per-thread latency samples in nanoseconds, merged for percentiles. Not thread-safe per instance. */
public final class Latencies {

    private long[] samples = new long[1 << 16];
    private int size;

    public void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public int count() {
        return size;
    }

    /** All samples of several recorders, sorted. */
    public static long[] merge(Iterable<Latencies> all) {
        int total = 0;
        for (Latencies l : all) {
            total += l.size;
        }
        long[] out = new long[total];
        int p = 0;
        for (Latencies l : all) {
            System.arraycopy(l.samples, 0, out, p, l.size);
            p += l.size;
        }
        Arrays.sort(out);
        return out;
    }

    /** The q-quantile (0..1) of sorted samples, in milliseconds. */
    public static double percentileMillis(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }
}
