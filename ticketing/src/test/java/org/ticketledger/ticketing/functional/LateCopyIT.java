package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ticketledger.alipay.sandbox.SandboxTransaction;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.testing.ForwardingRail;
import org.ticketledger.ticketing.testing.Harness;

/**
 * A copy of a declined request that was still on its way is carried out after the money arrived:
 * the request was held past our timeout, the status query answered "not found", the re-send was
 * refused for funds (a refusal binds nothing), and then the held copy reached the rail. The retry
 * round (the distributor's re-apply, the admin's payout retry) must send the same request id, so
 * that the late copy and the retry are one collection or one payment at the rail. Under the former
 * new-id-per-round rule each test here charges or pays twice (the chaos run found such an order).
 * The copy lands either before or after the retry round's send.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LateCopyIT {

    private Harness w;
    private ScenicSpot spot;
    private Product product;
    private int refs;

    @BeforeAll
    void world() {
        w = Harness.start();
        w.onboardPlatform();
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.fixed(100), "admin").orElseThrow();
        w.ticketing.fees().setDefault(FeeKind.PAYOUT, FeeRule.fixed(90), "admin").orElseThrow();
        spot = w.spot("Yellow Mountain");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @ParameterizedTest(name = "late copy lands {0} the re-apply")
    @ValueSource(strings = {"before", "after"})
    void aLateCopyOfADeclinedCollectionAndTheReapplyChargeOnce(String when) {
        Network net = new Network(w.rail);
        try (Ticketing t = w.newTicketing("late-collect-" + when, net)) {
            Distributor d = w.distributor("Late Travel " + when, Money.parseCny("50.00"));
            String payer = d.paymentAccount().account().identity();
            net.holdNext(InstructionType.COLLECT);

            IssueResult first = t.orders().issue(w.order(d, product, "LC-" + (++refs), 1));
            Order order = first.orderIfAny().orElseThrow();
            assertThat(order.state()).isEqualTo(OrderState.CHARGE_UNKNOWN);
            // Not found (the copy is on its way), re-sent, refused: 50.00 < 101.00.
            Harness.await(Duration.ofSeconds(10), () -> {
                t.runDueWork();
                return t.orders().order(order.id()).orElseThrow().state() == OrderState.AWAITING_TOPUP;
            }, "the order waits for a top-up");
            assertThat(t.orders().history(order.id())).anyMatch(e -> e.event().equals("charge.resending"));
            assertThat(collections(payer)).isEmpty();

            w.sandbox.fund(payer, Money.parseCny("200.00")); // 250.00: enough for two collections
            if (when.equals("before")) {
                assertThat(net.deliverHeld()).isInstanceOf(RailOutcome.Succeeded.class);
            }
            IssueResult second = t.orders().reapply(d.id(), order.id());
            if (when.equals("after")) {
                net.deliverHeld();
            }

            assertThat(second).isInstanceOf(IssueResult.Issued.class);
            Order issued = second.orderIfAny().orElseThrow();
            assertThat(issued.chargeRound()).isEqualTo(2);
            assertThat(issued.collectRequestId()).isEqualTo(order.collectRequestId());
            assertThat(collections(payer)).extracting(SandboxTransaction::outNo)
                    .containsExactly(order.collectRequestId().value());
            assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("149.00"));
            w.assertReconciled();
        }
    }

    @ParameterizedTest(name = "late copy lands {0} the admin's retry")
    @ValueSource(strings = {"before", "after"})
    void aLateCopyOfADeclinedPayoutAndTheRetryPayOnce(String when) {
        Network net = new Network(w.rail);
        try (Ticketing t = w.newTicketing("late-payout-" + when, net)) {
            Ticket ticket = issueOne(t, "Late Payout Travel " + when);
            Money platformBalance = w.sandbox.platformBalance();
            Money spotBefore = w.sandbox.balance(spotAccount());
            w.sandbox.setPlatformBalance(Money.parseCny("10.00"));
            net.holdNext(InstructionType.PAYOUT);

            RedeemResult r = t.tickets().redeem(new RedeemRequest(ticket.id(), spot.id(), "gate"));
            Payout payout = ((RedeemResult.Redeemed) r).payout();
            // Sent and held (unknown), then not found, re-sent, refused: the platform holds 10.00.
            Harness.await(Duration.ofSeconds(10), () -> {
                t.runDueWork();
                return t.payouts().payout(payout.id()).orElseThrow().state() == PayoutState.AWAITING_FUNDS;
            }, "the payout waits for funds");
            assertThat(t.orders().history(payout.orderId())).anyMatch(e -> e.event().equals("payout.resending"));

            w.sandbox.setPlatformBalance(platformBalance);
            if (when.equals("before")) {
                assertThat(net.deliverHeld()).isInstanceOf(RailOutcome.Succeeded.class);
            }
            Payout retried = t.payouts().retryPayout(payout.id(), "admin").orElseThrow();
            if (when.equals("after")) {
                net.deliverHeld();
            }

            assertThat(retried.state()).isEqualTo(PayoutState.DONE);
            assertThat(retried.round()).isEqualTo(2);
            assertThat(retried.requestId()).isEqualTo(payout.requestId());
            assertThat(w.sandbox.transactions().stream().filter(x -> x.outNo().startsWith("pay-" + payout.id())))
                    .extracting(SandboxTransaction::outNo).containsExactly(payout.requestId().value());
            assertThat(w.sandbox.balance(spotAccount())).isEqualTo(spotBefore.plus(Money.parseCny("89.10")));
            w.assertReconciled();
        }
    }

    @Test
    void anOrderWrittenBeforeV32KeepsTheIdOfTheRoundItWasIn() throws SQLException {
        Distributor d = w.distributor("Upgrade Travel", Money.parseCny("50.00"));
        String payer = d.paymentAccount().account().identity();
        Order waiting = w.ticketing.orders().issue(w.order(d, product, "UP-" + (++refs), 1)).orderIfAny().orElseThrow();
        assertThat(waiting.state()).isEqualTo(OrderState.AWAITING_TOPUP);
        // As the previous version left it after a second decline: round 2, no request_round, and
        // col-...-2 the id a late copy may still carry.
        try (Connection c = w.dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE ticketing.orders SET charge_round = 2 WHERE order_id = ?")) {
            st.setString(1, waiting.id());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        RequestId live = w.ticketing.orders().order(waiting.id()).orElseThrow().collectRequestId();
        assertThat(live.value()).endsWith("-2");

        w.sandbox.fund(payer, Money.parseCny("200.00"));
        IssueResult issued = w.ticketing.orders().reapply(d.id(), waiting.id());

        assertThat(issued).isInstanceOf(IssueResult.Issued.class);
        assertThat(issued.orderIfAny().orElseThrow().chargeRound()).isEqualTo(3);
        assertThat(issued.orderIfAny().orElseThrow().collectRequestId()).isEqualTo(live);
        assertThat(collections(payer)).extracting(SandboxTransaction::outNo).containsExactly(live.value());
        w.assertReconciled();
    }

    private Ticket issueOne(Ticketing t, String name) {
        Distributor d = w.distributor(name, Money.parseCny("500.00"));
        IssueResult r = t.orders().issue(w.order(d, product, "LP-" + (++refs), 1));
        assertThat(r).isInstanceOf(IssueResult.Issued.class);
        return ((IssueResult.Issued) r).tickets().get(0);
    }

    private String spotAccount() {
        return spot.receivingAccount().account().identity();
    }

    private List<SandboxTransaction> collections(String payer) {
        return w.sandbox.transactions().stream().filter(x -> x.payer().equals(payer)).toList();
    }

    /**
     * The way to the rail: the next money-moving call of a type is held (the caller sees the timeout,
     * {@link RailOutcome.Unknown}) and reaches the rail only when the test delivers it.
     */
    private static final class Network extends ForwardingRail {

        private final AtomicReference<InstructionType> holdNext = new AtomicReference<>();
        private final AtomicReference<Supplier<RailOutcome>> held = new AtomicReference<>();

        Network(PaymentRail rail) {
            super(rail);
        }

        void holdNext(InstructionType type) {
            holdNext.set(type);
        }

        /** Delivers the held copy to the rail; what the rail answered, which nobody reads but the test. */
        RailOutcome deliverHeld() {
            return Objects.requireNonNull(held.getAndSet(null), "nothing held").get();
        }

        private RailOutcome send(InstructionType type, Supplier<RailOutcome> call) {
            if (holdNext.compareAndSet(type, null)) {
                held.set(call);
                return new RailOutcome.Unknown("no reply within the timeout (held by the test)");
            }
            return call.get();
        }

        @Override
        public RailOutcome collect(Instruction instruction) {
            return send(InstructionType.COLLECT, () -> inner.collect(instruction));
        }

        @Override
        public RailOutcome payout(Instruction instruction) {
            return send(InstructionType.PAYOUT, () -> inner.payout(instruction));
        }
    }
}
