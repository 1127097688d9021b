package org.ticketledger.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code ./bench NAME [--seconds N] [--db-url URL]}: runs one benchmark and prints one JSON line per
 * result on stdout (progress and logs go to stderr).
 */
public final class Bench {

    private static final Map<String, BiConsumer<BenchOptions, PrintStream>> BENCHES = new LinkedHashMap<>();
    /** Runs that pass or fail (exit code 1 on a failed check). */
    private static final Map<String, java.util.function.ToIntBiFunction<BenchOptions, PrintStream>> VERDICTS = new LinkedHashMap<>();
    /** The options each benchmark takes besides --seconds and --db-url; anything else is refused. */
    private static final Map<String, Set<String>> OPTIONS = new LinkedHashMap<>();

    static {
        BENCHES.put("ledger-memory", LedgerBenchmarks::memory);
        BENCHES.put("ledger-postgres-hot", LedgerBenchmarks::postgresHot);
        BENCHES.put("ledger-postgres-naive", LedgerBenchmarks::postgresNaive);
        BENCHES.put("verify-offline", Bench::verifyOffline);
        BENCHES.put("ledger-replay", ReplayBenchmark::run);
        BENCHES.put("jmh", (o, out) -> Jmh.run(MicroBenchmarks.class.getName() + ".*", o, out));
        BENCHES.put("jmh-money", (o, out) -> Jmh.run(MicroBenchmarks.class.getName() + ".money.*", o, out));
        BENCHES.put("jmh-canonical", (o, out) -> Jmh.run(MicroBenchmarks.class.getName() + ".canonical.*", o, out));
        BENCHES.put("jmh-ecdsa", (o, out) -> Jmh.run(org.ticketledger.ticketing.internal.EcdsaBenchmarks.class.getName() + ".*", o, out));
        BENCHES.put("issue-http", org.ticketledger.bench.http.HttpBenchmarks::issue);
        BENCHES.put("redeem-http", org.ticketledger.bench.http.HttpBenchmarks::redeem);
        BENCHES.put("payout-drain", PayoutDrainBenchmark::run);
        VERDICTS.put("chaos", org.ticketledger.bench.chaos.ChaosRun::run);
        Set<String> http = Set.of("concurrency", "warmup", "app-jar", "app-jvm", "jfr");
        OPTIONS.put("ledger-postgres-hot", Set.of("threads", "naive", "writers", "batch", "in-flight", "warmup", "idle-flush-ms"));
        OPTIONS.put("ledger-postgres-naive", Set.of("threads", "warmup"));
        OPTIONS.put("ledger-replay", Set.of("entries", "file"));
        Set<String> issue = new java.util.HashSet<>(http);
        issue.addAll(Set.of("noop-first", "noop-seconds"));
        OPTIONS.put("issue-http", Set.copyOf(issue));
        OPTIONS.put("payout-drain", Set.of("tickets", "warmup", "batch", "workers", "timeout"));
        Set<String> redeem = new java.util.HashSet<>(http);
        redeem.addAll(Set.of("devices", "tickets", "presign", "pg-statements"));
        OPTIONS.put("redeem-http", Set.copyOf(redeem));
        OPTIONS.put("chaos", Set.of("orders", "kills", "pg-restarts", "fault-rate", "short-rate", "refund-rate", "redeem-rate",
                "workers", "seed", "app-jar", "keep", "settle-seconds"));
    }

    private Bench() {
    }

    private static void verifyOffline(BenchOptions options, PrintStream out) {
        try {
            org.ticketledger.verify.VerifyOfflineBench.Rates r = org.ticketledger.verify.VerifyOfflineBench.run(options.seconds());
            out.println(new BenchResult("verify-offline", r.sdkPerSecond(), r.p50Micros() / 1e3, r.p99Micros() / 1e3, r.errors())
                    .with("threads", 1).with("verifies", r.sdkOps()).with("jdk_ecdsa_verify_per_s", r.jdkPerSecond())
                    .with("ratio_vs_jdk", r.sdkPerSecond() / r.jdkPerSecond()).toJson());
        } catch (Exception e) {
            throw new IllegalStateException("verify-offline failed: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        if (args.length == 0 || !(BENCHES.containsKey(args[0]) || VERDICTS.containsKey(args[0]))) {
            System.err.println("usage: ./bench NAME [--seconds N] [--db-url URL]");
            System.err.println("benchmarks: " + String.join(", ", BENCHES.keySet()) + ", " + String.join(", ", VERDICTS.keySet()));
            System.exit(2);
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(Arrays.copyOfRange(args, 1, args.length)));
            options.requireOnly(args[0], OPTIONS.getOrDefault(args[0], Set.of()));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (VERDICTS.containsKey(args[0])) {
            System.exit(VERDICTS.get(args[0]).applyAsInt(options, System.out));
        }
        BENCHES.get(args[0]).accept(options, System.out);
        System.exit(0);
    }
}
