package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.alipay.sandbox.SandboxTransaction;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.testing.Harness;

/**
 * Crashes: a child JVM is SIGKILLed while the rail holds its reply (the money has moved, the
 * process never learns it), or an instance stops between retries; a new instance with the jobs
 * started on the same database finishes the work, and nothing is charged, paid or booked twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private Harness w;
    private ScenicSpot spot;
    private Product product;

    @TempDir
    Path dir;

    @BeforeAll
    void world() {
        w = Harness.start(JobSettings.fast().withLease(Duration.ofSeconds(2)), Duration.ofSeconds(60));
        w.onboardPlatform();
        spot = w.spot("Potala");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void completesAChargeWhoseProcessWasKilledWhileTheRailHeldTheReply() throws Exception {
        Distributor d = w.distributor("Killed Travel", Money.parseCny("500.00"));
        String payer = d.paymentAccount().account().identity();
        w.sandbox.injectFault("alipay.trade.pay", AlipayFault.DELAY_PAST_TIMEOUT, 1);

        Process child = child(Map.of("mode", "issue", "distributor", d.id(), "ref", "KILL-1", "product", product.id(),
                "visitDate", w.today().toString(), "price", product.distributorPrice().toDecimalString()));
        Harness.await(Duration.ofSeconds(60), () -> w.sandbox.transactions().stream().anyMatch(t -> t.payer().equals(payer)),
                "the child's charge to reach the sandbox");
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        Order stuck = w.ticketing.orders().order(d.id(), "KILL-1").orElseThrow();
        assertThat(stuck.state()).isEqualTo(OrderState.CHARGING);
        try (Ticketing recovery = w.newTicketing("recovery-charge").start()) {
            Harness.await(Duration.ofSeconds(30), () -> recovery.orders().order(stuck.id()).orElseThrow().state() == OrderState.ISSUED,
                    "the recovered order to be issued");
        }
        assertThat(transactionsOf(stuck.collectRequestId().value())).hasSize(1);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("400.00"));
        assertThat(w.ticketing.tickets().byOrder(stuck.id())).hasSize(1);
        assertThat(w.journal.entryByKey(w.ledger(), "order:" + stuck.id() + ":collected")).isPresent();
        assertThat(w.ticketing.orders().history(stuck.id())).anyMatch(e -> e.event().equals("charge.queried"));
        w.assertReconciled();
    }

    @Test
    void completesAPayoutWhoseProcessWasKilledWhileTheRailHeldTheReply() throws Exception {
        Distributor d = w.distributor("Payout Travel", Money.parseCny("500.00"));
        IssueResult issued = w.ticketing.orders().issue(w.order(d, product, "KILL-2", 1));
        Ticket ticket = ((IssueResult.Issued) issued).tickets().get(0);
        String spotAccount = spot.receivingAccount().account().identity();
        Money spotBefore = w.sandbox.balance(spotAccount);
        w.sandbox.injectFault("alipay.fund.trans.uni.transfer", AlipayFault.DELAY_PAST_TIMEOUT, 1);

        Process child = child(Map.of("mode", "redeem", "ticket", ticket.id(), "spot", spot.id()));
        Harness.await(Duration.ofSeconds(60), () -> w.sandbox.transactions().stream().anyMatch(t -> t.payee().equals(spotAccount)
                && t.outNo().startsWith("pay-")), "the child's payout to reach the sandbox");
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        Payout stuck = w.ticketing.payouts().byTicket(ticket.id()).get(0);
        assertThat(stuck.state()).isEqualTo(PayoutState.SENT);
        try (Ticketing recovery = w.newTicketing("recovery-payout").start()) {
            Harness.await(Duration.ofSeconds(30), () -> recovery.payouts().payout(stuck.id()).orElseThrow().state() == PayoutState.DONE,
                    "the recovered payout to be done");
        }
        assertThat(transactionsOf(stuck.requestId().value())).hasSize(1);
        assertThat(w.sandbox.balance(spotAccount)).isEqualTo(spotBefore.plus(Money.parseCny("90.00")));
        w.assertReconciled();
    }

    @Test
    void anotherInstanceFinishesRetriesWhenTheFirstStopsBetweenThem() {
        Distributor d = w.distributor("Restart Travel", Money.parseCny("500.00"));
        String payer = d.paymentAccount().account().identity();
        w.sandbox.injectFault("alipay.trade.pay", AlipayFault.REPLY_LOST, 1);
        Order order;
        try (Ticketing first = w.newTicketing("first").start()) {
            IssueResult r = first.orders().issue(w.order(d, product, "RESTART-1", 1));
            assertThat(r).isInstanceOf(IssueResult.InProgress.class);
            order = r.orderIfAny().orElseThrow();
        }
        try (Ticketing second = w.newTicketing("second").start()) {
            Harness.await(Duration.ofSeconds(30), () -> second.orders().order(order.id()).orElseThrow().state() == OrderState.ISSUED,
                    "the second instance to issue the order");
        }
        assertThat(transactionsOf(order.collectRequestId().value())).hasSize(1);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("400.00"));
        w.assertReconciled();
    }

    private Process child(Map<String, String> args) throws Exception {
        Properties p = new Properties();
        p.putAll(args);
        p.put("jdbcUrl", w.jdbcUrl);
        p.put("user", "postgres");
        p.put("gateway", w.sandbox.gatewayUri().toString());
        p.put("appId", w.sandbox.appId());
        p.put("platformUserId", w.sandbox.platformUserId());
        p.put("appKey", Base64.getEncoder().encodeToString(w.sandbox.appPrivateKey().orElseThrow().getEncoded()));
        p.put("alipayKey", Base64.getEncoder().encodeToString(w.sandbox.alipayPublicKey().getEncoded()));
        Path file = Files.createTempFile(dir, "child", ".properties");
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            p.store(out, null);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private List<SandboxTransaction> transactionsOf(String outNo) {
        return w.sandbox.transactions().stream().filter(t -> t.outNo().equals(outNo)).toList();
    }
}
