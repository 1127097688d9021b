package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.testing.ForwardingRail;
import org.ticketledger.ticketing.testing.Harness;

/**
 * Closing an engine whose payout sweep is draining a backlog that would keep it busy for most of a
 * lease, over a rail whose calls block (as an HTTP call does) and do not end on an interrupt: close
 * returns after the rows being driven, with no drive still going and no lease left on a row that is
 * not being driven, so another instance pays the rest at once, each payout once.
 */
class JobsStopIT {

    private static final Duration SEND = Duration.ofMillis(500);

    private Harness w;
    private final List<Ticketing> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(Ticketing::close);
        if (w != null) {
            w.close();
        }
    }

    @Test
    void closeStopsALongDrainAfterTheRowsInFlightAndGivesTheRestBack() throws Exception {
        // 60 payouts on 4 workers at 500 ms a send: ~7.5 s of draining, in batches of 8, under a 60 s lease.
        JobSettings settings = JobSettings.fast().withLease(Duration.ofSeconds(60)).withBatchSize(8).withSweepWorkers(4);
        w = Harness.start(settings);
        List<Payout> payouts = redeemed(60);
        BlockingRail rail = new BlockingRail(w.rail);
        Ticketing engine = engine("stopping", rail).start();
        Harness.await(Duration.ofSeconds(60), () -> rail.sent() >= 6, "the sweep draining");

        long t0 = System.nanoTime();
        engine.close();
        long closeMillis = (System.nanoTime() - t0) / 1_000_000;
        int inFlightAtClose = rail.inFlight.get();
        int sentAtClose = rail.sent();
        long leasedAtClose = leased();
        System.out.printf("close took %d ms; drives in flight then %d, payouts sent %d of %d, still leased %d%n", closeMillis,
                inFlightAtClose, sentAtClose, payouts.size(), leasedAtClose);

        // db-scheduler alone waits its shutdownMaxWait (5 s) before it interrupts the run.
        assertThat(closeMillis).as("close took %s ms", closeMillis).isLessThan(4_000);
        assertThat(inFlightAtClose).as("drives still going when close returned").isZero();
        Thread.sleep(SEND.multipliedBy(3).toMillis());
        assertThat(rail.sent()).as("sends after close").isEqualTo(sentAtClose);
        assertThat(sweepThreads()).as("sweep workers alive after close").isEmpty();
        assertThat(sentAtClose).as("stopped before the backlog was drained").isLessThan(payouts.size());
        assertThat(leasedAtClose).as("payouts still leased after close").isZero();

        // Another instance pays the rest now, without waiting for a lease to run out; each payout once.
        paysEachOnce(engine("next", rail), rail, payouts);
    }

    @Test
    void anInterruptedSweepGivesBackTheRowsItHadNotStarted() throws Exception {
        // A batch of 8 on 4 workers: 4 drives block in the rail, 4 wait in the workers' queue.
        JobSettings settings = JobSettings.fast().withLease(Duration.ofSeconds(60)).withBatchSize(8).withSweepWorkers(4);
        w = Harness.start(settings);
        List<Payout> payouts = redeemed(16);
        BlockingRail rail = new BlockingRail(w.rail);
        Ticketing engine = engine("interrupted", rail);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread sweeper = new Thread(() -> {
            try {
                engine.runDueWork();
            } catch (Throwable t) {
                ended.set(t);
            }
        }, "test-interrupted-sweeper");
        sweeper.start();
        Harness.await(Duration.ofSeconds(60), () -> rail.inFlight.get() == 4, "four drives in flight");

        sweeper.interrupt();
        sweeper.join(Duration.ofSeconds(30).toMillis());
        assertThat(sweeper.isAlive()).as("the interrupted run returned").isFalse();
        assertThat(ended.get()).as("how the run ended").isInstanceOf(TicketingException.class);
        assertThat(rail.inFlight.get()).as("drives still going after the run returned").isZero();
        assertThat(rail.sent()).as("sends: the four started, no more").isEqualTo(4);
        assertThat(leased()).as("payouts still leased after the interrupted run").isZero();

        // The rows given back are due at once: the next run pays them without waiting out a lease.
        paysEachOnce(engine, rail, payouts);
    }

    // ---------------------------------------------------------------- world

    /** {@code engine}'s runs, the rail no longer blocking, pay every payout, each exactly once. */
    private void paysEachOnce(Ticketing engine, BlockingRail rail, List<Payout> payouts) {
        rail.delay.set(0);
        for (int round = 0; round < 20 && !w.allPaid(payouts); round++) {
            engine.runDueWork();
        }
        assertThat(payouts).allSatisfy(p -> assertThat(w.payoutState(p)).isEqualTo(PayoutState.DONE));
        assertThat(rail.sends).hasSize(payouts.size()).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
        w.assertReconciled();
    }


    private Ticketing engine(String id, PaymentRail rail) {
        Ticketing t = w.newTicketing(id, rail);
        engines.add(t);
        return t;
    }

    /** {@code n} redeemed tickets' payouts, PENDING (nothing has driven them). */
    private List<Payout> redeemed(int n) {
        w.onboardPlatform();
        return w.redeemedPayouts("Stop Spot", n);
    }

    private long leased() throws SQLException {
        try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM ticketing.payouts WHERE lease_owner IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> sweepThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("ticketing-") && n.contains("-sweep-")).toList();
    }

    /**
     * Counts payout sends per request id and the sends in progress; each send blocks for
     * {@code delay} ms and, like a socket read, does not end early on an interrupt.
     */
    static final class BlockingRail extends ForwardingRail {
        final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong delay = new AtomicLong(SEND.toMillis());

        BlockingRail(PaymentRail inner) {
            super(inner);
        }

        int sent() {
            return sends.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        @Override
        public RailOutcome payout(Instruction instruction) {
            inFlight.incrementAndGet();
            try {
                sends.computeIfAbsent(instruction.requestId().value(), k -> new AtomicInteger()).incrementAndGet();
                block(delay.get());
                return inner.payout(instruction);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private static void block(long millis) {
            long until = System.nanoTime() + millis * 1_000_000;
            boolean interrupted = false;
            while (System.nanoTime() < until) {
                try {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
