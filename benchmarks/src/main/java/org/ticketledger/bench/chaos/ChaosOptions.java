package org.ticketledger.bench.chaos;

import java.time.Duration;
import java.util.Optional;
import org.ticketledger.bench.BenchOptions;

/**
 * What a chaos run does.
 *
 * @param orders        orders to place (each of 1-3 tickets)
 * @param kills         SIGKILLs of the app, at random moments of the run
 * @param pgRestarts    restarts of PostgreSQL under the running app
 * @param faultRate     share of money-moving calls for which a rail fault is armed (0..1)
 * @param shortRate     share of orders placed by a distributor whose balance is short (0..1)
 * @param refundRate    share of issued orders of which one ticket is refunded
 * @param redeemRate    share of issued tickets redeemed (when the device API exists)
 * @param workers       concurrent distributor clients
 * @param seed          random seed (the order of events still depends on timing)
 * @param appJar        the shaded host-app jar, when not found by default
 * @param keep          keep the working directory (database, logs) afterwards
 * @param settleTimeout how long the platform may take to finish in-flight work after the drive
 */
public record ChaosOptions(int orders, int kills, int pgRestarts, double faultRate, double shortRate, double refundRate,
                           double redeemRate, int workers, long seed, Optional<String> appJar, boolean keep,
                           Duration settleTimeout) {

    public ChaosOptions {
        if (orders < 1 || kills < 0 || pgRestarts < 0 || workers < 1) {
            throw new IllegalArgumentException("orders and workers must be positive, kills and restarts not negative");
        }
        for (double r : new double[] {faultRate, shortRate, refundRate, redeemRate}) {
            if (r < 0 || r > 1) {
                throw new IllegalArgumentException("rates are between 0 and 1");
            }
        }
        java.util.Objects.requireNonNull(appJar, "appJar");
        java.util.Objects.requireNonNull(settleTimeout, "settleTimeout");
    }

    /** The full run: 10,000 orders, 20 % faults, 5 % short, 5 kills, 2 PostgreSQL restarts. */
    public static ChaosOptions full() {
        return new ChaosOptions(10_000, 5, 2, 0.20, 0.05, 0.08, 0.4, 32, System.nanoTime(), Optional.empty(), false,
                Duration.ofMinutes(10));
    }

    /** From {@code ./bench chaos --orders N --kills K --pg-restarts P --fault-rate F --workers W --seed S --app-jar J --keep true}. */
    public static ChaosOptions from(BenchOptions o) {
        ChaosOptions d = full();
        var x = o.extra();
        return new ChaosOptions(
                o.intOption("orders", d.orders()), o.intOption("kills", d.kills()), o.intOption("pg-restarts", d.pgRestarts()),
                x.containsKey("fault-rate") ? Double.parseDouble(x.get("fault-rate")) : d.faultRate(),
                x.containsKey("short-rate") ? Double.parseDouble(x.get("short-rate")) : d.shortRate(),
                x.containsKey("refund-rate") ? Double.parseDouble(x.get("refund-rate")) : d.refundRate(),
                x.containsKey("redeem-rate") ? Double.parseDouble(x.get("redeem-rate")) : d.redeemRate(),
                o.intOption("workers", d.workers()),
                x.containsKey("seed") ? Long.parseLong(x.get("seed")) : d.seed(),
                Optional.ofNullable(x.get("app-jar")), Boolean.parseBoolean(x.getOrDefault("keep", "false")),
                Duration.ofSeconds(o.intOption("settle-seconds", (int) d.settleTimeout().toSeconds())));
    }

    public ChaosOptions withOrders(int n, int k, int p) {
        return new ChaosOptions(n, k, p, faultRate, shortRate, refundRate, redeemRate, workers, seed, appJar, keep, settleTimeout);
    }

    public ChaosOptions withWorkers(int w) {
        return new ChaosOptions(orders, kills, pgRestarts, faultRate, shortRate, refundRate, redeemRate, w, seed, appJar, keep,
                settleTimeout);
    }
}
