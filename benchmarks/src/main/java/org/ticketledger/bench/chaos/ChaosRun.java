package org.ticketledger.bench.chaos;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ticketledger.bench.BenchOptions;
import org.ticketledger.bench.BenchResult;
import org.ticketledger.bench.http.AppProcess;

/**
 * {@code ./bench chaos}: the whole platform under faults and crashes, then an audit of every fen.
 *
 * <p>PostgreSQL, the rail sandboxes and the app each live apart: the app is a child JVM started from
 * the shaded host-app jar, PostgreSQL a server process on a fixed port and data directory, the
 * sandboxes run in this JVM (their books must outlive the app). Distributor workers place orders
 * through the signed distributor API while one money-moving call in five meets an armed rail fault
 * and the app is SIGKILLed and PostgreSQL restarted at random moments. Then the harness lets the
 * platform finish (acting as the admin where a documented manual state asks for one) and audits
 * ({@link Audit}). Prints the checks on the log stream and one JSON result line on {@code out};
 * {@link #run} returns 1 when any check failed.
 */
public final class ChaosRun {

    private ChaosRun() {
    }

    /**
     * The outcome of a run: whether every check passed, the checks and the figures; and, when the
     * run was asked to tamper with the rails after its audit, the checks of a second audit.
     */
    public record Result(boolean passed, List<Audit.Check> checks, Map<String, Object> figures,
                         java.util.Optional<List<Audit.Check>> afterTampering) {
    }

    /** Something done to the rails behind the platform's back, to prove that the audit notices. */
    public interface Tampering {
        void tamper(org.ticketledger.bench.http.Sandboxes rails);
    }

    /** {@code ./bench chaos [--orders N] [--kills K] [--pg-restarts P] ...}; returns the exit code. */
    public static int run(BenchOptions options, PrintStream out) {
        Result r = execute(ChaosOptions.from(options), System.err);
        BenchResult line = new BenchResult("chaos", ((Number) r.figures().get("orders_per_s")).doubleValue(), Double.NaN,
                Double.NaN, r.checks().stream().filter(c -> !c.ok()).count());
        r.figures().forEach(line::with);
        line.with("passed", r.passed());
        out.println(line.toJson());
        return r.passed() ? 0 : 1;
    }

    /** Runs the chaos and the audit; progress and checks go to {@code log}. */
    public static Result execute(ChaosOptions options, PrintStream log) {
        return execute(options, log, java.util.Optional.empty());
    }

    /** The same; after the audit, {@code tampering} (if any) acts on the rails and the audit runs again. */
    public static Result execute(ChaosOptions options, PrintStream log, java.util.Optional<Tampering> tampering) {
        long t0 = System.nanoTime();
        try (Cluster cluster = Cluster.start(options, log)) {
            Business business = Business.onboard(cluster.client(), cluster.sandboxes(), options.workers());
            log.printf("chaos: platform up and onboarded in %.1f s; %d orders, %d kills, %d PostgreSQL restarts, %.0f %% faults%n",
                    (System.nanoTime() - t0) / 1e9, options.orders(), options.kills(), options.pgRestarts(), options.faultRate() * 100);
            Faults faults = new Faults(cluster.sandboxes(), options.faultRate());
            Gates gates = Gates.open(cluster.client(), business.spots, cluster.dir().resolve("gates"), log);
            Driver driver = new Driver(options, business, cluster.sandboxes(), faults, java.util.Optional.of(gates), log);
            Monkey monkey = new Monkey(cluster, driver::progress, options.kills(), options.pgRestarts(), options.seed(), log);
            long d0 = System.nanoTime();
            monkey.start();
            driver.drive();
            double driveSeconds = (System.nanoTime() - d0) / 1e9;
            monkey.join();
            int hjbPending = cluster.sandboxes().huijinbao().pendingFaults();
            faults.stop();
            log.printf("chaos: drive done in %.1f s (%d orders still pending); settling%n", driveSeconds, driver.pending());
            int stillQueued = gates.drain(options.settleTimeout());
            int manualRetries = settle(cluster, options.settleTimeout(), log);
            gates.close();

            Audit audit = new Audit(cluster.reader(), cluster.client(), cluster.sandboxes(), driver, gates.syncTrouble, cluster.jdbcUrl(), cluster.dbUser());
            audit.run();
            Map<String, Object> figures = new java.util.LinkedHashMap<>();
            figures.put("orders_per_s", options.orders() / driveSeconds);
            figures.put("orders", options.orders());
            figures.put("drive_s", driveSeconds);
            figures.put("app_kills", monkey.count(Monkey.Kind.KILL_APP));
            figures.put("pg_restarts", monkey.count(Monkey.Kind.RESTART_POSTGRES));
            figures.put("app_starts", cluster.app().starts());
            figures.put("faults_armed", faults.armedTotal());
            figures.put("huijinbao_faults_unfired", hjbPending);
            figures.put("short_orders_topped_up", driver.shortOrders.get());
            figures.put("refunds", driver.refunds.get());
            figures.put("refunds_answered_on_retry", driver.refundsAnsweredOnRetry.get());
            figures.put("combo_orders", driver.comboOrders.get());
            figures.put("redemptions", driver.redemptions.get());
            figures.put("redemptions_online", gates.online.get());
            figures.put("redemptions_offline_synced_later", gates.offline.get());
            figures.put("gate_queue_left", stillQueued);
            figures.put("client_retries", cluster.client().retries());
            figures.put("client_rekeys", cluster.client().rekeys());
            figures.put("admin_retries", manualRetries);
            figures.putAll(audit.figures);
            figures.put("load_average", loadAverage());
            log.println("chaos: faults armed " + faults.armedByKind());
            log.println("chaos: audit");
            for (Audit.Check c : audit.checks) {
                log.println("  " + (c.ok() ? "PASS " : "FAIL ") + c.name() + " — " + c.detail());
            }
            log.println("chaos: " + (audit.passed() ? "PASSED" : "FAILED") + " in " + Math.round((System.nanoTime() - t0) / 1e9) + " s");
            java.util.Optional<List<Audit.Check>> second = java.util.Optional.empty();
            if (tampering.isPresent()) {
                tampering.get().tamper(cluster.sandboxes());
                Audit again = new Audit(cluster.reader(), cluster.client(), cluster.sandboxes(), driver, gates.syncTrouble, cluster.jdbcUrl(), cluster.dbUser());
                again.run();
                second = java.util.Optional.of(List.copyOf(again.checks));
            }
            return new Result(audit.passed(), List.copyOf(audit.checks), figures, second);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("audit could not read the database: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until every order is final and every payout done. Payouts in a documented manual state
     * (MANUAL_REVIEW, AWAITING_FUNDS) get what the runbook prescribes: the admin's retry.
     *
     * @return how many admin retries were needed
     */
    private static int settle(Cluster cluster, Duration timeout, PrintStream log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> retriedAt = new HashMap<>();
        int retries = 0;
        while (System.nanoTime() < deadline) {
            Map<String, String> open = new HashMap<>();
            Map<String, String> openInstructions = new HashMap<>();
            long openOrders;
            try (Connection c = cluster.reader().getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ticketing.orders WHERE state NOT IN ('ISSUED', 'FAILED')")) {
                    rs.next();
                    openOrders = rs.getLong(1);
                }
                try (ResultSet rs = s.executeQuery("SELECT payout_id, state FROM ticketing.payouts WHERE state <> 'DONE'")) {
                    while (rs.next()) {
                        open.put(rs.getString(1), rs.getString(2));
                    }
                }
                try (ResultSet rs = s.executeQuery(
                        "SELECT instruction_id, state FROM ticketing.plan_instructions WHERE state NOT IN ('DONE', 'CANCELLED')")) {
                    while (rs.next()) {
                        openInstructions.put(rs.getString(1), rs.getString(2));
                    }
                }
            } catch (java.sql.SQLException e) {
                log.println("chaos: settle: " + e.getMessage());
                AppProcess.sleep(1000);
                continue;
            }
            if (openOrders == 0 && open.isEmpty() && openInstructions.isEmpty()) {
                return retries;
            }
            retries += adminRetries(cluster, open, "/admin/v1/payouts/", retriedAt, log);
            retries += adminRetries(cluster, openInstructions, "/admin/v1/wealth/instructions/", retriedAt, log);
            AppProcess.sleep(500);
        }
        log.println("chaos: settle timed out; the audit will show what is left");
        return retries;
    }

    /** The runbook for the documented manual states: the admin retries (at most every 10 s per item). */
    private static int adminRetries(Cluster cluster, Map<String, String> open, String base, Map<String, Long> retriedAt,
                                    PrintStream log) {
        int n = 0;
        for (Map.Entry<String, String> p : open.entrySet()) {
            boolean manual = p.getValue().equals("MANUAL_REVIEW") || p.getValue().equals("AWAITING_FUNDS");
            Long last = retriedAt.get(p.getKey());
            if (manual && (last == null || System.nanoTime() - last > 10_000_000_000L)) {
                var r = cluster.client().admin("POST", base + p.getKey() + "/retry", null);
                log.println("chaos: admin retries " + p.getKey() + " (" + p.getValue() + "): " + r.status());
                retriedAt.put(p.getKey(), System.nanoTime());
                n++;
            }
        }
        return n;
    }

    static String loadAverage() {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
            String[] p = s.split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
