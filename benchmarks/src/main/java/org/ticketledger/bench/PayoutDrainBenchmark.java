package org.ticketledger.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.DistributorRegistration;
import org.ticketledger.ticketing.party.PlatformRegistration;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.party.ScenicSpotRegistration;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * {@code payout-drain}: how fast the payout job pays a backlog. In process: embedded PostgreSQL
 * (durable commits), the Postgres journal, the Huijinbao sandbox over loopback HTTP (the rail
 * redeem-http pays spots on) and the ticketing engine. Set-up, not timed: {@code --tickets} plus
 * {@code --warmup} tickets issued and redeemed (each redemption books its source entry, so the job's
 * own source post is the duplicate it is in production). Then the engine's jobs start with the
 * default job settings ({@code --batch}, {@code --workers} to change them); timed: from the moment
 * {@code --warmup} payouts are DONE (the JIT compiles the cold payout path meanwhile) until every
 * payout is DONE. The latency fields are each payout's time to DONE from the timed part's start.
 *
 * <p>Uses only API that main had before the sweep's worker pool, so that a baseline build with this
 * file copied in runs the same workload; {@code --workers} is applied by reflection where the
 * build has {@code JobSettings.withSweepWorkers}.
 */
public final class PayoutDrainBenchmark {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private PayoutDrainBenchmark() {
    }

    public static void run(BenchOptions o, PrintStream out) {
        int tickets = o.intOption("tickets", 2000);
        int warmup = o.intOption("warmup", 1000);
        int batch = o.intOption("batch", 0);
        int workers = o.intOption("workers", 0);
        int timeout = o.intOption("timeout", 900);
        JobSettings settings = JobSettings.defaults();
        if (batch > 0) {
            settings = new JobSettings(settings.lease(), settings.sweepInterval(), settings.pollingInterval(),
                    settings.heartbeatInterval(), settings.missedHeartbeats(), batch, settings.chargeBackoffInitial(),
                    settings.chargeBackoffMax(), settings.payoutBackoffInitial(), settings.payoutRetryWindow(),
                    settings.notifyBackoff(), settings.notifyMaxAttempts());
        }
        String workerSetting = "n/a";
        try {
            Method m = JobSettings.class.getMethod("sweepWorkers");
            if (workers > 0) {
                settings = (JobSettings) JobSettings.class.getMethod("withSweepWorkers", int.class).invoke(settings, workers);
            }
            workerSetting = String.valueOf(m.invoke(settings));
        } catch (NoSuchMethodException e) {
            if (workers > 0) {
                System.err.println("payout-drain: this build has no sweep workers; --workers ignored");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        try (Database db = Database.open(o.dbUrl());
             HikariDataSource pool = db.pool(32);
             HuijinbaoSandbox hjb = HuijinbaoSandbox.builder().noTransactionLimit().threads(32).start()) {
            PostgresJournal journal = PostgresJournal.builder().dataSource(pool).build();
            RailRegistry rails = RailRegistry.empty().register(hjb.railBuilder().requestTimeout(Duration.ofSeconds(3)).build());
            try (Ticketing t = Ticketing.builder().dataSource(pool).journal(journal).rails(rails).jobSettings(settings)
                    .instanceId("bench").build()) {
                List<String> ticketIds = new ArrayList<>();
                String spotId = setUp(t, hjb, tickets + warmup, ticketIds);
                redeemAll(t, spotId, ticketIds);
                long all = count(pool, "SELECT count(*) FROM ticketing.payouts WHERE state <> 'DONE'");
                System.err.println("payout-drain: " + all + " payouts pending; draining with " + settings);
                t.start();
                // The first payouts paid are the JIT's (the payout path is cold after the set-up):
                // the timed part starts once --warmup of them are DONE.
                long left = all;
                long warmupDeadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
                while (left > all - warmup && System.nanoTime() < warmupDeadline) {
                    Thread.sleep(20);
                    left = count(pool, "SELECT count(*) FROM ticketing.payouts WHERE state <> 'DONE'");
                }
                long pending = left;
                long commits0 = count(pool, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
                org.ticketledger.ledger.postgres.WriterStatistics stats0 = journal.writerStatistics();
                long postmaster = ProcessCpu.parentOf(count(pool, "SELECT pg_backend_pid()"));
                java.util.OptionalLong pg0 = ProcessCpu.postgresMillis(postmaster);
                java.util.OptionalLong jit0 = ProcessCpu.jitMillis();
                long cpu0 = ProcessCpu.nanos();
                long startMs = System.currentTimeMillis();
                long start = System.nanoTime();
                long deadline = start + Duration.ofSeconds(timeout).toNanos();
                while (left > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    left = count(pool, "SELECT count(*) FROM ticketing.payouts WHERE state <> 'DONE'");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long cpu = ProcessCpu.nanos() - cpu0;
                java.util.OptionalLong jit1 = ProcessCpu.jitMillis();
                java.util.OptionalLong pg1 = ProcessCpu.postgresMillis(postmaster);
                org.ticketledger.ledger.postgres.WriterStatistics stats = journal.writerStatistics();
                t.close();
                Thread.sleep(1100); // the statistics of the last transactions reach pg_stat_database
                long commits = count(pool, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()") - commits0;
                long done = pending - left;
                long[] doneAt = doneAtNanos(pool, startMs);
                doneAt = Arrays.stream(doneAt).filter(x -> x > 0).toArray();
                StringBuilder timeline = new StringBuilder("payout-drain: DONE per second of the timed part:");
                int[] perSecond = new int[(int) Math.ceil(seconds) + 1];
                for (long ns : doneAt) {
                    perSecond[(int) Math.min(perSecond.length - 1, ns / 1_000_000_000L)]++;
                }
                for (int c : perSecond) {
                    timeline.append(' ').append(c);
                }
                System.err.println(timeline);
                long errors = left + count(pool, "SELECT count(*) FROM ticketing.payouts WHERE state NOT IN ('DONE', 'PENDING', 'SENT')");
                out.println(new BenchResult("payout-drain", done / seconds, Latencies.percentileMillis(doneAt, 0.50),
                        Latencies.percentileMillis(doneAt, 0.99), errors)
                        .with("latency", "time from the timed part's start to each payout's DONE")
                        .with("warmup_payouts", all - pending)
                        .with("payouts", done).with("left", left).with("drain_s", seconds)
                        .with("batch", settings.batchSize()).with("sweep_interval_ms", settings.sweepInterval().toMillis())
                        .with("workers", workerSetting)
                        .with("pg_commits_per_payout", done == 0 ? 0 : (double) commits / done)
                        .with("rail_payouts", hjb.orders().stream().filter(x -> x.type() == InstructionType.PAYOUT).count())
                        .with("jvm_cpu_ms_per_payout", done == 0 ? 0 : cpu / 1e6 / done)
                        .with("jit_cpu_ms_per_payout", done == 0 || jit0.isEmpty() || jit1.isEmpty() ? 0
                                : (double) (jit1.getAsLong() - jit0.getAsLong()) / done)
                        .with("pg_cpu_ms_per_payout", done == 0 || pg0.isEmpty() || pg1.isEmpty() ? 0
                                : (double) (pg1.getAsLong() - pg0.getAsLong()) / done)
                        .with("ledger_entries_per_payout", done == 0 ? 0 : (double) (stats.entries() - stats0.entries()) / done)
                        .with("ledger_batch_mean", stats.batches() == stats0.batches() ? 0
                                : (double) (stats.entries() - stats0.entries()) / (stats.batches() - stats0.batches()))
                        .with("ledger_cycle_execute_us", stats.batches() == stats0.batches() ? 0
                                : (stats.nanos().get(org.ticketledger.ledger.postgres.WriterStatistics.Phase.EXECUTE)
                                - stats0.nanos().get(org.ticketledger.ledger.postgres.WriterStatistics.Phase.EXECUTE)) / 1e3
                                / (stats.batches() - stats0.batches()))
                        .with("db", db.description()).with("fsync", db.fsync()).toJson());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String setUp(Ticketing t, HuijinbaoSandbox hjb, int tickets, List<String> ticketIds) {
        Money funds = Money.parseCny("100000000.00");
        hjb.fundPlatform(funds);
        t.parties().onboardPlatform(new PlatformRegistration("Bench Platform", "CNY", "13800000000", ZONE.getId(),
                List.of(AccountSetting.of(RailId.HUIJINBAO, IdentityType.ACCOUNT_NO, hjb.platformAccount()))), "bench").orElseThrow();
        t.parties().recordFunding(RailId.HUIJINBAO, funds, "bench-funding", "bench").orElseThrow();
        hjb.openAccount("BENCHSPOT", Money.cny(0));
        ScenicSpot spot = t.parties().onboardScenicSpot(new ScenicSpotRegistration("Bench Spot", "13900000000",
                AccountSetting.of(RailId.HUIJINBAO, IdentityType.ACCOUNT_NO, "BENCHSPOT").withHolderName("Bench Spot")), "bench")
                .orElseThrow();
        hjb.openAccount("BENCHD0", Money.parseCny("9000000000.00"));
        Distributor d = t.parties().onboardDistributor(new DistributorRegistration("Bench Travel", "13700000000",
                AccountSetting.of(RailId.HUIJINBAO, IdentityType.ACCOUNT_NO, "BENCHD0"), Optional.empty()), "bench").orElseThrow();
        LocalDate today = LocalDate.now(ZONE);
        Product p = t.pool().publish(new SingleTicketDraft(spot.id(), "Day pass", "Day ticket", Money.parseCny("100.00"),
                Money.parseCny("90.00"), today, today.plusDays(30), 10, "One entry"), "bench").orElseThrow();
        for (int i = 0; ticketIds.size() < tickets; i++) {
            int q = Math.min(100, tickets - ticketIds.size());
            IssueResult r = t.orders().issue(IssueRequest.of(d.id(), "BENCH-" + i, p.id(), today, q, p.distributorPrice()));
            if (!(r instanceof IssueResult.Issued issued)) {
                throw new IllegalStateException("set-up order " + i + " not issued: " + r);
            }
            issued.tickets().stream().map(Ticket::id).forEach(ticketIds::add);
        }
        return spot.id();
    }

    private static void redeemAll(Ticketing t, String spotId, List<String> ticketIds) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            all.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < ticketIds.size(); ) {
                    RedeemResult r = t.tickets().redeem(new RedeemRequest(ticketIds.get(i), spotId, "bench-gate"));
                    if (!(r instanceof RedeemResult.Redeemed)) {
                        throw new IllegalStateException("set-up redemption refused: " + r);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : all) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static long count(HikariDataSource pool, String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] doneAtNanos(HikariDataSource pool, long startMs) {
        List<Long> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (extract(epoch FROM updated_at) * 1000)::bigint FROM ticketing.payouts"
                     + " WHERE state = 'DONE'")) {
            while (rs.next()) {
                out.add(Math.max(0, rs.getLong(1) - startMs) * 1_000_000L);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        long[] a = out.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
