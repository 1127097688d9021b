package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.jobs.WorkReport;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.testing.ForwardingRail;
import org.ticketledger.ticketing.testing.Harness;

/**
 * The payout sweep at volume: several batches per run, batches driven on parallel workers, two
 * engines sweeping one database, and an engine dying mid-drive. Payouts are driven only by engines
 * built here over a rail that counts the payout requests it is sent per request id, so a payout
 * driven twice at once (a lease that did not hold) shows as a second send even where the rail
 * itself would have answered it idempotently.
 */
class PayoutSweepIT {

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
    void oneRunDrainsMoreThanOneBatch() {
        JobSettings settings = JobSettings.fast().withBatchSize(3).withSweepWorkers(1);
        w = Harness.start(settings);
        List<Payout> payouts = redeemed(10);
        Ticketing engine = engine("drainer", new CountingRail(w.rail));

        WorkReport report = engine.runDueWork();

        assertThat(report.payouts()).isEqualTo(10);
        assertThat(payouts).allSatisfy(p -> assertThat(w.payoutState(p)).isEqualTo(PayoutState.DONE));
        w.assertReconciled();
    }

    @Test
    void parallelWorkersAndTwoEnginesPayEachPayoutOnce() throws Exception {
        JobSettings settings = JobSettings.fast().withBatchSize(4).withSweepWorkers(4);
        w = Harness.start(settings);
        List<Payout> payouts = redeemed(24);
        CountingRail rail = new CountingRail(w.rail);
        List<Ticketing> two = List.of(engine("one", rail), engine("two", rail));

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sweeping = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Ticketing engine = two.get(i % 2);
                sweeping.add(threads.submit(() -> {
                    go.await();
                    for (int round = 0; round < 20 && !w.allPaid(payouts); round++) {
                        engine.runDueWork();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : sweeping) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(payouts).allSatisfy(p -> assertThat(w.payoutState(p)).isEqualTo(PayoutState.DONE));
        assertThat(rail.sends).hasSize(payouts.size()).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
        for (Payout p : payouts) {
            List<String> events = w.ticketing.orders().history(p.orderId()).stream()
                    .filter(e -> p.id().equals(e.subjectId())).map(HistoryEvent::event).toList();
            assertThat(events).containsExactly("payout.created", "payout.sending", "payout.done");
        }
        w.assertReconciled();
    }

    @Test
    void aPayoutWhoseEngineDiedMidDriveIsFinishedOnceByAnotherAfterTheLease() {
        JobSettings settings = JobSettings.fast().withBatchSize(10).withSweepWorkers(4);
        w = Harness.start(settings);
        List<Payout> payouts = redeemed(6);
        CountingRail dying = new CountingRail(w.rail);
        dying.dieAfterSending.set(1);
        Ticketing first = engine("dies", dying);

        // The rail took the request, then the "process" died before hearing back: an Error, which no
        // layer handles, leaves the payout SENT and leased.
        assertThatThrownBy(first::runDueWork).hasRootCauseInstanceOf(Death.class);
        assertThat(dying.sends).hasSize(6);
        List<Payout> stuck = payouts.stream().filter(p -> w.payoutState(p) != PayoutState.DONE).toList();
        assertThat(stuck).hasSize(1);
        assertThat(w.payoutState(stuck.get(0))).isEqualTo(PayoutState.SENT);

        CountingRail rail = new CountingRail(w.rail);
        Ticketing second = engine("takes-over", rail);
        assertThat(second.runDueWork().payouts()).as("leased by the dead engine").isZero();

        w.clock.advance(settings.lease().plusSeconds(1));
        second.runDueWork();

        assertThat(payouts).allSatisfy(p -> assertThat(w.payoutState(p)).isEqualTo(PayoutState.DONE));
        assertThat(rail.sends).as("the outcome is queried, never sent again").isEmpty();
        assertThat(rail.queries.get()).isEqualTo(1);
        assertThat(w.ticketing.orders().history(stuck.get(0).orderId()).stream()
                .filter(e -> stuck.get(0).id().equals(e.subjectId())).map(HistoryEvent::event))
                .containsExactly("payout.created", "payout.sending", "payout.queried", "payout.done");
        w.assertReconciled();
    }

    /**
     * The SENT and DONE moves each write their history row in the same statement. Refusing that
     * row (a CHECK the test adds to the events table) must leave the payout where it was, as a
     * crash between the two writes would have to: SENT without "payout.sending" would be queried
     * and sent again as if its first send were lost, and DONE without "payout.done" would be a
     * payout whose finish nobody recorded. Once the rows are allowed again it is paid exactly once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"payout.sending", "payout.done"})
    void aMoveWhoseHistoryRowFailsIsNotMadeAndThePayoutIsPaidOnceLater(String refused) throws Exception {
        JobSettings settings = JobSettings.fast().withBatchSize(10).withSweepWorkers(1);
        w = Harness.start(settings);
        Payout p = redeemed(1).get(0);
        CountingRail rail = new CountingRail(w.rail);
        Ticketing engine = engine("refused", rail);
        execute("ALTER TABLE ticketing.events ADD CONSTRAINT test_refuses CHECK (event <> '" + refused + "')");

        engine.runDueWork();

        boolean sending = refused.equals("payout.sending");
        assertThat(w.payoutState(p)).isEqualTo(sending ? PayoutState.PENDING : PayoutState.SENT);
        assertThat(events(p)).containsExactlyElementsOf(sending ? List.of("payout.created")
                : List.of("payout.created", "payout.sending"));
        assertThat(rail.sends).hasSize(sending ? 0 : 1);

        execute("ALTER TABLE ticketing.events DROP CONSTRAINT test_refuses");
        w.clock.advance(settings.lease().plusSeconds(1));
        engine.runDueWork();

        assertThat(w.payoutState(p)).isEqualTo(PayoutState.DONE);
        assertThat(rail.sends).as("one send per request id").hasSize(1).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(events(p)).containsExactlyElementsOf(sending ? List.of("payout.created", "payout.sending", "payout.done")
                : List.of("payout.created", "payout.sending", "payout.queried", "payout.done"));
        w.assertReconciled();
    }

    // ---------------------------------------------------------------- world

    private Ticketing engine(String id, PaymentRail rail) {
        Ticketing t = w.newTicketing(id, rail);
        engines.add(t);
        return t;
    }

    /** {@code n} redeemed tickets' payouts, PENDING (nothing has driven them). */
    private List<Payout> redeemed(int n) {
        w.onboardPlatform();
        return w.redeemedPayouts("Sweep Spot", n);
    }

    private List<String> events(Payout p) {
        return w.ticketing.orders().history(p.orderId()).stream()
                .filter(e -> p.id().equals(e.subjectId())).map(HistoryEvent::event).toList();
    }

    private void execute(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = w.dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A process dying: nothing catches it. */
    static final class Death extends Error {
        Death() {
            super("the process died");
        }
    }

    /** Counts payout sends per request id and queries; can die right after the n-th send reached the rail. */
    static final class CountingRail extends ForwardingRail {
        final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger dieAfterSending = new AtomicInteger(-1);

        CountingRail(PaymentRail inner) {
            super(inner);
        }

        @Override
        public RailOutcome payout(Instruction instruction) {
            sends.computeIfAbsent(instruction.requestId().value(), k -> new AtomicInteger()).incrementAndGet();
            RailOutcome outcome = inner.payout(instruction);
            if (dieAfterSending.getAndDecrement() == 1) {
                throw new Death();
            }
            return outcome;
        }

        @Override
        public RailOutcome query(InstructionType type, RequestId requestId) {
            queries.incrementAndGet();
            return inner.query(type, requestId);
        }
    }
}
