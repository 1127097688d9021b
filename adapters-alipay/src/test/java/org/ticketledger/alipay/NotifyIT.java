package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.AlipayNotifications.Verdict;
import org.ticketledger.alipay.AlipayNotifications.Verified;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.alipay.sandbox.NotifyDelivery;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/** The sandbox posts signed trade notifies; a host verifies them and must answer exactly "success". */
class NotifyIT {

    @Test
    void sandboxNotifiesACollectionAndRetriesUntilTheReplyIsExactlySuccess() throws Exception {
        List<Verdict> verdicts = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try (AlipaySandbox sandbox = AlipaySandbox.builder()
                .notifyRetryIntervals(List.of(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50)))
                .start()) {
            AlipayNotifications notifications = AlipayNotifications.of(sandbox.alipayPublicKey(), sandbox.appId());
            host.createContext("/alipay/notify", exchange -> {
                Verdict verdict = notifications.verifyForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                verdicts.add(verdict);
                // The first answer is almost right, which for Alipay is wrong: it must retry.
                String reply = calls.incrementAndGet() == 1 ? "SUCCESS" : AlipayNotifications.successReply();
                byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            host.start();
            URI notifyUrl = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/alipay/notify");
            try (AlipayRail rail = sandbox.railBuilder().notifyUrl(notifyUrl).build()) {
                PartyAccount payer = sandbox.openParty("notify@example.com", "庚", Money.parseCny("50.00"));

                RailOutcome outcome = rail.collect(Instruction.collect(RequestId.of("N-1"), payer, Money.parseCny("12.00"), "门票"));

                RailOutcome.Succeeded paid = (RailOutcome.Succeeded) outcome;
                NotifyDelivery delivery = awaitAcknowledged(sandbox);
                assertThat(delivery.attempts()).isEqualTo(2);
                assertThat(delivery.outTradeNo()).isEqualTo("N-1");
                assertThat(verdicts).hasSize(2).allSatisfy(v -> assertThat(v).isInstanceOfSatisfying(Verified.class, ok -> {
                    assertThat(ok.message().type()).contains("trade_status_sync");
                    assertThat(ok.message().outTradeNo()).contains("N-1");
                    assertThat(ok.message().tradeNo()).contains(paid.railTxnId());
                    assertThat(ok.message().tradeStatus()).contains("TRADE_SUCCESS");
                    assertThat(ok.message().totalAmount()).contains(Money.parseCny("12.00"));
                }));
                assertThat(((Verified) verdicts.get(0)).message().id()).isEqualTo(((Verified) verdicts.get(1)).message().id());
            }
        } finally {
            host.stop(0);
        }
    }

    @Test
    void notifyFromAnotherSandboxIsRejected() throws Exception {
        try (AlipaySandbox real = AlipaySandbox.start(); AlipaySandbox impostor = AlipaySandbox.start()) {
            List<Verdict> verdicts = new CopyOnWriteArrayList<>();
            HttpServer host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            AlipayNotifications notifications = AlipayNotifications.of(real.alipayPublicKey(), real.appId());
            host.createContext("/n", exchange -> {
                verdicts.add(notifications.verifyForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            host.start();
            try (AlipayRail rail = impostor.railBuilder()
                    .notifyUrl(URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/n")).build()) {
                PartyAccount payer = impostor.openParty("x@example.com", "辛", Money.parseCny("5.00"));
                assertThat(rail.collect(Instruction.collect(RequestId.of("N-2"), payer, Money.parseCny("1.00"), "t")))
                        .isInstanceOf(RailOutcome.Succeeded.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (verdicts.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(verdicts).isNotEmpty().allSatisfy(v -> assertThat(v).isInstanceOf(AlipayNotifications.Rejected.class));
            } finally {
                host.stop(0);
            }
        }
    }

    private static NotifyDelivery awaitAcknowledged(AlipaySandbox sandbox) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<NotifyDelivery> all = sandbox.notifyDeliveries();
            if (!all.isEmpty() && all.get(0).acknowledged()) {
                return all.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("notify not acknowledged: " + sandbox.notifyDeliveries());
    }
}
