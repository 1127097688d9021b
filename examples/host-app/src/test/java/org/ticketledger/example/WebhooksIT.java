package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.example.webhook.WebhookSigning;
import org.ticketledger.ticketing.ticket.RedeemRequest;

/** Ticket events reach the distributor's endpoint signed, at least once, and survive a failing receiver. */
class WebhooksIT {

    static TestPlatform platform;
    static HttpServer receiver;
    static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    static final List<Boolean> SIGNATURES_OK = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAIL_NEXT = new AtomicInteger();
    static volatile String secret = "";

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (FAIL_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            long ts = Long.parseLong(ex.getRequestHeaders().getFirst(WebhookSigning.TIMESTAMP));
            SIGNATURES_OK.add(WebhookSigning.sign(secret, ts, body).equals(ex.getRequestHeaders().getFirst(WebhookSigning.SIGNATURE))
                    && ex.getRequestHeaders().getFirst(WebhookSigning.EVENT_ID) != null);
            RECEIVED.add(Json.MAPPER.readTree(body));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        platform.close();
    }

    @Test
    void issuedRedeemedAndRefundedEventsArriveSignedWithCumulativeState() throws Exception {
        String spot = platform.onboardSpot("Hook Spot");
        String product = platform.publish(spot, "100.00", "90.00");
        var d = platform.onboardDistributor("Hook Travel", "500.00");
        problem(d.client().send("PUT", "/distributor/v1/webhook", "{\"url\":\"ftp://x\"}", java.util.Map.of()), 422, "validation-failed");
        JsonNode hook = TestPlatform.json(TestPlatform.expect(d.client().send("PUT", "/distributor/v1/webhook",
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}", java.util.Map.of()), 200));
        secret = hook.path("secret").asText();
        assertThat(secret).startsWith("whs_");

        JsonNode order = TestPlatform.json(TestPlatform.expect(
                d.client().post("/distributor/v1/orders", TestPlatform.order("H-1", product, 2, "100.00"), "h-1"), 201));
        String first = order.path("tickets").get(0).path("number").asText();
        String second = order.path("tickets").get(1).path("number").asText();
        FAIL_NEXT.set(1);
        platform.platform().webhooks().runOnce();
        var failed = TestPlatform.json(platform.admin("GET", "/admin/v1/webhook-deliveries?state=PENDING", null));
        assertThat(failed.path("items").findValuesAsText("lastError")).contains("HTTP 503");

        platform.platform().ticketing().tickets().redeem(new RedeemRequest(first, spot, "gate-1"));
        TestPlatform.expect(d.client().post("/distributor/v1/tickets/" + second + "/refund", "{\"reason\":\"cancelled\"}", "h-r"), 200);
        // The failed delivery is due again after its backoff; deliver everything that is due now, then again later.
        platform.platform().webhooks().runOnce();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (RECEIVED.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            platform.platform().webhooks().runOnce();
        }
        assertThat(RECEIVED).extracting(n -> n.path("type").asText())
                .containsExactlyInAnyOrder("ticket.issued", "ticket.issued", "ticket.redeemed", "ticket.refunded");
        assertThat(SIGNATURES_OK).containsOnly(true);
        assertThat(RECEIVED).extracting(n -> n.path("id").asText()).doesNotHaveDuplicates();
        JsonNode redeemed = RECEIVED.stream().filter(n -> n.path("type").asText().equals("ticket.redeemed")).findFirst().orElseThrow();
        assertThat(redeemed.path("ticket").path("number").asText()).isEqualTo(first);
        assertThat(redeemed.path("ticket").path("state").asText()).isEqualTo("REDEEMED");
        assertThat(redeemed.path("ticket").path("spots").get(0).path("redeemed").asBoolean()).isTrue();

        // Running again delivers nothing new: each event once per success.
        platform.platform().webhooks().runOnce();
        assertThat(RECEIVED).hasSize(4);
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/webhook-deliveries?state=DELIVERED", null)).path("items"))
                .hasSize(4);
    }
}
