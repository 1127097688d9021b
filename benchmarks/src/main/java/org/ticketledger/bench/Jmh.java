package org.ticketledger.bench;

import java.io.PrintStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/** Runs JMH benchmarks quietly and prints one JSON result line per benchmark method. */
final class Jmh {

    private Jmh() {
    }

    static void run(String include, BenchOptions options, PrintStream out) {
        int iterationSeconds = Math.max(1, options.seconds() / 5);
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(iterationSeconds))
                .verbosity(VerboseMode.SILENT)
                .build();
        try {
            for (RunResult r : new Runner(opts).run()) {
                Statistics s = r.getPrimaryResult().getStatistics();
                String method = r.getParams().getBenchmark();
                method = method.substring(method.lastIndexOf('.') + 1);
                double meanNs = s.getMean();
                out.println(new BenchResult("jmh-" + method, 1e9 / meanNs, s.getPercentile(50) / 1e6,
                        s.getPercentile(99) / 1e6, 0).with("mean_ns", meanNs).with("samples", s.getN()).toJson());
            }
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }
}
