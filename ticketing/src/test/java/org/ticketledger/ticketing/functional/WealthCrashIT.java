package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.huijinbao.sandbox.SandboxOrder;
import org.ticketledger.ledger.HoldStatus;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RequestId;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.reconcile.Explanation;
import org.ticketledger.ticketing.reconcile.RailLine;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;
import org.ticketledger.ticketing.reconcile.WealthLine;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.wealth.InstructionKind;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.PlanState;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * Crashes around the wealth plan: a child JVM is SIGKILLed while Huijinbao holds the reply to its
 * subscribe, or to the redeem-all of a plan's close (the money has moved, the process never learns
 * it); a new instance with the jobs started finishes the work from the stored state, and nothing is
 * invested, redeemed or booked twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WealthCrashIT {

    private ComboWorld w;
    private ScenicSpot lake;
    private ScenicSpot temple;
    private PlanId plan;
    private ComboProduct combo;
    private Distributor distributor;

    @TempDir
    Path dir;

    @BeforeAll
    void world() {
        w = ComboWorld.start(JobSettings.fast().withLease(Duration.ofSeconds(2)), b -> b);
        w.onboardPlatform(Money.parseCny("100.00"), Money.parseCny("1000.00"));
        lake = w.alipaySpot("Crash Lake");
        temple = w.hjbSpot("Crash Temple");
        distributor = w.hjbDistributor("Crash Travel", Money.parseCny("1000.00"));
        plan = w.newPlan();
        combo = w.publish(w.draft(plan, "100.00", 8, 10, ComboWorld.price(lake, "30.00"), ComboWorld.price(temple, "40.00")));
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    @Order(1)
    void completesAnInvestWhoseProcessWasKilledWhileTheRailHeldTheReply() throws Exception {
        List<Ticket> tickets = w.issue(distributor, combo, "CRASH-1", 3);
        PlanInstruction invest = invest(tickets.get(0).orderId());
        assertThat(invest.state()).isEqualTo(InstructionState.PENDING);
        w.hjb.injectFault(Fault.slowReply(Duration.ofSeconds(60)), SandboxOperation.SUBSCRIBE);

        Process child = child();
        Harness.await(Duration.ofSeconds(60), () -> !orders(InstructionType.SUBSCRIBE, invest.requestId()).isEmpty(),
                "the child's subscribe to reach the sandbox");
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        PlanInstruction stuck = invest(invest.orderId());
        assertThat(stuck.state()).isEqualTo(InstructionState.SENT);
        // Meanwhile reconciliation shows the money moved at the rail, explained by the held invest.
        ReconciliationReport mid = w.ticketing.reconciliation().check();
        RailLine hjbLine = mid.lines().stream().filter(l -> l.rail().equals(RailId.HUIJINBAO)).findFirst().orElseThrow();
        assertThat(hjbLine.difference()).contains(Money.parseCny("-300.00"));
        assertThat(hjbLine.note()).contains("explained");
        assertThat(hjbLine.explanations()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("INVEST");
            assertThat(e.subjectId()).isEqualTo(invest.id());
            assertThat(e.entrySequence()).isEqualTo(stuck.holdSequence());
            assertThat(e.railEffect()).isEqualTo(Money.parseCny("-300.00"));
        });
        WealthLine planLine = mid.wealth().stream().filter(l -> l.plan().equals(Optional.of(plan))).findFirst().orElseThrow();
        assertThat(planLine.difference()).contains(Money.parseCny("300.00"));
        assertThat(planLine.explanations()).extracting(Explanation::subjectId).containsExactly(invest.id());
        assertThat(mid.balanced()).isFalse();
        try (Ticketing recovery = w.newTicketing("recovery-invest").start()) {
            Harness.await(Duration.ofSeconds(30), () -> invest(invest.orderId()).state() == InstructionState.DONE,
                    "the recovered invest to be done");
        }
        assertThat(orders(InstructionType.SUBSCRIBE, invest.requestId())).hasSize(1);
        assertThat(w.journal.holdStatus(w.ledger(), invest(invest.orderId()).holdSequence().orElseThrow()))
                .contains(HoldStatus.POSTED);
        assertThat(w.balance("platform:huijinbao:wealth")).isEqualTo(Money.parseCny("300.00"));
        assertThat(w.hjb.position(plan).principal()).isEqualTo(Money.parseCny("300.00"));
        assertThat(w.ticketing.orders().history(invest.orderId())).anyMatch(e -> e.event().equals("invest.queried"));
        w.assertReconciled();
    }

    @Test
    @Order(2)
    void completesAPlanCloseWhoseProcessWasKilledWhileTheRailHeldTheRedeemAll() throws Exception {
        Money accrued = w.advancePastExpiry(plan);
        assertThat(accrued.isPositive()).isTrue();
        WealthPlan open = w.ticketing.wealth().plan(plan.value()).orElseThrow();
        w.hjb.injectFault(Fault.slowReply(Duration.ofSeconds(60)), SandboxOperation.REDEEM_ALL);

        Process child = child();
        Harness.await(Duration.ofSeconds(60), () -> !orders(InstructionType.REDEEM_ALL, open.closeRequestId()).isEmpty(),
                "the child's redeem-all to reach the sandbox");
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(w.ticketing.wealth().plan(plan.value()).orElseThrow().state()).isEqualTo(PlanState.CLOSING);

        try (Ticketing recovery = w.newTicketing("recovery-close").start()) {
            Harness.await(Duration.ofSeconds(30), () -> w.ticketing.wealth().plan(plan.value()).orElseThrow().state()
                    == PlanState.CLOSED, "the recovered plan to be closed");
            Harness.await(Duration.ofSeconds(30), () -> recovery.runDueWork().idle(), "the recovery to settle");
        }
        WealthPlan closed = w.ticketing.wealth().plan(plan.value()).orElseThrow();
        assertThat(orders(InstructionType.REDEEM_ALL, open.closeRequestId())).hasSize(1);
        assertThat(orders(InstructionType.REDEEM_ALL, open.closeRequestId()).get(0).amount())
                .isEqualTo(Money.parseCny("300.00").plus(accrued));
        assertThat(closed.yield()).contains(accrued);
        assertThat(w.balance("revenue:investment-yield")).isEqualTo(accrued);
        assertThat(w.balance("platform:huijinbao:wealth")).isEqualTo(Money.cny(0));
        assertThat(w.balance("revenue:breakage")).isEqualTo(Money.parseCny("300.00"));
        assertThat(w.ticketing.wealth().yields(plan.value()).stream().mapToLong(y -> y.yield().minor()).sum())
                .isEqualTo(accrued.minor());
        assertThat(w.trialBalanced()).isTrue();
        w.assertReconciled();
    }

    private PlanInstruction invest(String orderId) {
        return w.ticketing.wealth().byOrder(orderId).stream().filter(i -> i.kind() == InstructionKind.INVEST).findFirst()
                .orElseThrow();
    }

    private List<SandboxOrder> orders(InstructionType type, RequestId id) {
        return w.hjb.orders().stream().filter(o -> o.type() == type && o.requestId().equals(id)).toList();
    }

    private Process child() throws Exception {
        Properties p = new Properties();
        p.put("jdbcUrl", w.jdbcUrl);
        p.put("user", "postgres");
        p.put("baseUri", w.hjb.baseUri().toString());
        p.put("keyId", w.hjb.keyId());
        p.put("secret", w.hjb.secret());
        p.put("platformAccount", w.hjb.platformAccount());
        p.put("offsetMillis", Long.toString(w.clock.offset().toMillis()));
        Path file = Files.createTempFile(dir, "child", ".properties");
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            p.store(out, null);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), WealthCrashChild.class.getName(),
                file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile())
                .start();
    }
}
