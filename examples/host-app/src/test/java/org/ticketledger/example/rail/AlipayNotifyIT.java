package org.ticketledger.example.rail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.AlipayNotifications;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.alipay.sandbox.NotifyDelivery;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/** The in-process Alipay sandbox posts real signed notifies to the platform's callback endpoint. */
class AlipayNotifyIT {

    static Rails rails;
    static TestPlatform platform;
    static final List<AlipayNotifications.Notify> RECEIVED = new CopyOnWriteArrayList<>();
    static final String RECORDING_PATH = "/test/alipay/notify";

    @BeforeAll
    static void start() throws Exception {
        // The notify URL names the port before the platform binds it, so the port is taken free and
        // released first; another socket may take it meanwhile (as FatJarIT's restart met in CI):
        // then start again on another free port.
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            // Notifies go to a second, recording instance of the module so the test sees what was handed on.
            rails = Rails.builder().alipayNotifyUrl(URI.create("http://localhost:" + port + RECORDING_PATH)).start();
            try {
                platform = TestPlatform.start(b -> b.port(port).rails(rails).module(routes -> {
                    AlipayNotifyModule recording = new AlipayNotifyModule(rails.alipayNotifications().orElseThrow(),
                            RECEIVED::add, RECORDING_PATH);
                    recording.register(routes);
                }));
                return;
            } catch (RuntimeException e) {
                rails.close();
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("already in use")) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    static void stop() {
        platform.close();
        rails.close();
    }

    @Test
    void aCollectionOnTheSandboxIsNotifiedVerifiedAndAnsweredSuccess() throws Exception {
        AlipaySandbox sandbox = rails.alipaySandbox().orElseThrow();
        PartyAccount payer = sandbox.openParty("payer@example.com", "Payer", Money.parseCny("500.00"));
        RailOutcome outcome = rails.registry().get(RailId.ALIPAY).collect(
                Instruction.collect(RequestId.of("order-notify-1"), payer, Money.parseCny("101.00"), "ticket"));
        assertThat(outcome).isInstanceOf(RailOutcome.Succeeded.class);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && sandbox.notifyDeliveries().stream().noneMatch(NotifyDelivery::acknowledged)) {
            Thread.sleep(50);
        }
        assertThat(sandbox.notifyDeliveries()).anySatisfy(d -> {
            assertThat(d.outTradeNo()).isEqualTo("order-notify-1");
            assertThat(d.acknowledged()).as("the platform answered exactly success").isTrue();
        });
        assertThat(RECEIVED).anySatisfy(n -> {
            assertThat(n.outTradeNo()).hasValue("order-notify-1");
            assertThat(n.totalAmount()).hasValue(Money.parseCny("101.00"));
        });
    }

    @Test
    void forgedOrMalformedNotifiesAreRefusedAndNotHandedOn() {
        int before = RECEIVED.size();
        HttpResponse<String> forged = platform.send("POST", RECORDING_PATH,
                "notify_id=x&app_id=y&out_trade_no=o&trade_status=TRADE_SUCCESS&sign=AAAA&sign_type=RSA2",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).isEqualTo("failure");
        HttpResponse<String> garbage = platform.send("POST", RECORDING_PATH, "%%%&&==",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(RECEIVED).hasSize(before);
    }

    @Test
    void healthIncludesTheSandboxRail() {
        var h = TestPlatform.json(platform.get("/health"));
        assertThat(h.path("components").path("rail:alipay").path("status").asText()).isEqualTo("UP");
    }
}
