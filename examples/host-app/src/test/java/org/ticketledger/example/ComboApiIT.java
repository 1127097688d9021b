package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.testing.TestPlatform.expect;
import static org.ticketledger.example.testing.TestPlatform.json;
import static org.ticketledger.example.testing.TestPlatform.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.platform.ShiftableClock;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.example.webhook.WebhookSigning;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;

/**
 * Combo tickets over HTTP on a platform whose clock the test moves: the admin publishes a combo
 * bound to a Huijinbao wealth plan, the distributor syncs and buys it through the ordinary order
 * routes, the invest waits for funds until the admin tops up and retries, tickets show their
 * per-spot redemption state, and past expiry the plan closes with its yield, the unredeemed value
 * becomes breakage, ticket.expired webhooks go out, and the report, the trial balance and the
 * reconciliation (rails and wealth) agree. Refusals are problems that write nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComboApiIT {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final ShiftableClock CLOCK = new ShiftableClock();
    static TestPlatform platform;
    static HuijinbaoSandbox hjb;
    static String lake;
    static String temple;
    static TestPlatform.Onboarded dist;
    static SignedHttpClient client;
    static HttpServer receiver;
    static volatile String secret = "";
    static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    static final List<Boolean> SIGNATURES_OK = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start(b -> b.clock(CLOCK));
        hjb = platform.platform().rails().huijinbaoSandbox().orElseThrow();
        platform.onboardPlatform(true);
        lake = platform.onboardSpot("Lake");
        temple = platform.onboardSpot("Temple");
        dist = platform.onboardDistributor("Combo Travel", "1000.00");
        // The platform's clock moves: the distributor signs with it.
        client = SignedHttpClient.of(platform.base(), dist.keyId(), dist.secret(), CLOCK);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long ts = Long.parseLong(ex.getRequestHeaders().getFirst(WebhookSigning.TIMESTAMP));
            SIGNATURES_OK.add(WebhookSigning.sign(secret, ts, body).equals(ex.getRequestHeaders().getFirst(WebhookSigning.SIGNATURE)));
            RECEIVED.add(Json.MAPPER.readTree(body));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        secret = json(expect(client.send("PUT", "/distributor/v1/webhook",
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}", Map.of()), 200)).path("secret").asText();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        platform.close();
    }

    static LocalDate today() {
        return LocalDate.ofInstant(CLOCK.instant(), ZONE);
    }

    static ObjectNode draft(String plan, String d, String lakePrice, String templePrice, int expiresInDays) {
        ObjectNode n = Json.object().put("name", "Lake + Temple").put("description", "Both spots, once each")
                .put("distributorPrice", d).put("validFrom", today().toString()).put("validUntil", today().plusDays(9).toString())
                .put("validDays", 10).put("expiresOn", today().plusDays(expiresInDays).toString()).put("planId", plan)
                .put("usageRules", "Once per spot");
        n.putArray("spots").addObject().put("spotId", lake).put("scenicPrice", lakePrice);
        ((com.fasterxml.jackson.databind.node.ArrayNode) n.get("spots")).addObject().put("spotId", temple).put("scenicPrice", templePrice);
        return n;
    }

    static String order(String ref, String productId, int quantity, String unitPrice) {
        return Json.write(Json.object().put("distributorOrderId", ref).put("productId", productId)
                .put("visitDate", today().toString()).put("quantity", quantity).put("unitPrice", unitPrice));
    }

    /** Drives the jobs (and, for backoffs, waits) until {@code done}. */
    static void settle(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            platform.drain();
            if (done.getAsBoolean()) {
                return;
            }
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static JsonNode get(String path) {
        return json(expect(platform.admin("GET", path, null), 200));
    }

    @Test
    @Order(1)
    void aComboIsPublishedSoldInvestedRedeemedPerSpotAndExpiresWithYieldBreakageAndZeroDifferences() throws Exception {
        LocalDate firstDay = today();
        PlanId plan = PlanId.of("IT-PLAN-1");
        hjb.openPlan(plan, 300);

        // ---- publish (admin) and sync (distributor): the combo without the scenic prices, with its expiry
        JsonNode combo = json(expect(platform.admin("POST", "/admin/v1/combos",
                Json.write(draft(plan.value(), "100.00", "30.00", "50.00", 20))), 201));
        String productId = combo.path("id").asText();
        assertThat(combo.path("kind").asText()).isEqualTo("COMBO");
        assertThat(combo.path("planId").asText()).isEqualTo(plan.value());
        assertThat(combo.path("spots").findValuesAsText("scenicPrice")).containsExactlyInAnyOrder("30.00", "50.00");
        assertThat(get("/admin/v1/combos/" + productId).path("expiresOn").asText()).isEqualTo(firstDay.plusDays(20).toString());
        assertThat(get("/admin/v1/combos?planId=" + plan.value()).path("items").findValuesAsText("id")).containsExactly(productId);
        JsonNode synced = null;
        for (JsonNode p : json(expect(client.get("/distributor/v1/products?cursor=0"), 200)).path("items")) {
            if (p.path("id").asText().equals(productId)) {
                synced = p;
            }
        }
        assertThat(synced).as("the combo is in the product sync").isNotNull();
        assertThat(synced.path("kind").asText()).isEqualTo("COMBO");
        assertThat(synced.path("expiresOn").asText()).isEqualTo(firstDay.plusDays(20).toString());
        assertThat(synced.path("spots").findValuesAsText("spotId")).containsExactlyInAnyOrder(lake, temple);
        assertThat(synced.toString()).doesNotContain("scenicPrice");

        // ---- buy two through the ordinary order route; the invest finds the Huijinbao account empty
        JsonNode issued = json(expect(client.post("/distributor/v1/orders", order("C-1", productId, 2, "100.00"), "c-1"), 201));
        assertThat(issued.path("state").asText()).isEqualTo("ISSUED");
        assertThat(issued.path("total").asText()).isEqualTo("202.00");
        String orderId = issued.path("id").asText();
        String a = issued.path("tickets").get(0).path("number").asText();
        String b = issued.path("tickets").get(1).path("number").asText();
        assertThat(issued.path("tickets").get(0).path("spotsTotal").asInt()).isEqualTo(2);
        settle(() -> get("/admin/v1/wealth/instructions?orderId=" + orderId).path("items").findValuesAsText("state")
                .contains("AWAITING_FUNDS"), "the invest waits for funds");
        JsonNode waiting = get("/admin/v1/wealth/instructions?state=AWAITING_FUNDS");
        assertThat(waiting.path("items")).hasSize(1);
        JsonNode invest = waiting.path("items").get(0);
        assertThat(invest.path("kind").asText()).isEqualTo("INVEST");
        assertThat(invest.path("amount").asText()).isEqualTo("200.00");
        assertThat(get("/admin/v1/notifications?subject=" + invest.path("id").asText()).path("items").findValuesAsText("recipient"))
                .contains("13800000000");

        // ---- the admin tops up the platform's Huijinbao account, books it, and retries the waiting invests
        hjb.fundPlatform(Money.parseCny("200.00"));
        expect(platform.adminOnce("POST", "/admin/v1/platform/funding",
                "{\"rail\":\"HUIJINBAO\",\"amount\":\"200.00\",\"reference\":\"hjb-topup-1\"}"), 201);
        problem(platform.admin("POST", "/admin/v1/wealth/instructions/retry-awaiting-funds", null), 400, "idempotency-key-required");
        assertThat(json(expect(platform.adminOnce("POST", "/admin/v1/wealth/instructions/retry-awaiting-funds", null), 200))
                .path("retried").asInt()).isEqualTo(1);
        settle(() -> get("/admin/v1/wealth/instructions/" + invest.path("id").asText()).path("state").asText().equals("DONE"),
                "the invest is done");
        // Retrying what is done changes nothing: the same instruction, same round, nothing sent again.
        JsonNode done = get("/admin/v1/wealth/instructions/" + invest.path("id").asText());
        JsonNode again = json(expect(platform.adminOnce("POST", "/admin/v1/wealth/instructions/" + invest.path("id").asText()
                + "/retry", null), 200));
        assertThat(again).isEqualTo(done);
        assertThat(done.path("round").asInt()).as("the retry after the top-up started round 2").isEqualTo(2);
        assertThat(get("/admin/v1/wealth/plans/" + plan.value()).path("invested").asText()).isEqualTo("200.00");
        assertThat(get("/admin/v1/wealth/plans").path("items").findValuesAsText("planId")).contains(plan.value());

        // ---- redemption: ticket a at both spots (any order), ticket b at the lake only
        redeem(a, temple);
        redeem(a, lake);
        redeem(b, lake);
        JsonNode tb = json(expect(client.get("/distributor/v1/tickets/" + b), 200));
        assertThat(tb.path("state").asText()).isEqualTo("ISSUED");
        assertThat(tb.path("spotsRedeemed").asInt()).isEqualTo(1);
        for (JsonNode s : tb.path("spots")) {
            assertThat(s.path("redeemed").asBoolean()).as(s.toString()).isEqualTo(s.path("spotId").asText().equals(lake));
            assertThat(s.has("redeemedAt")).isEqualTo(s.path("spotId").asText().equals(lake));
        }
        assertThat(json(expect(client.get("/distributor/v1/tickets/" + a), 200)).path("state").asText()).isEqualTo("REDEEMED");
        settle(() -> get("/admin/v1/wealth/instructions?orderId=" + orderId).path("items").findValuesAsText("state")
                .stream().allMatch("DONE"::equals)
                && get("/admin/v1/orders/" + orderId).path("payouts").findValuesAsText("state").stream().allMatch("DONE"::equals),
                "withdraws and payouts done");
        JsonNode instructions = get("/admin/v1/wealth/instructions?orderId=" + orderId).path("items");
        assertThat(instructions.findValuesAsText("kind")).containsExactly("INVEST", "WITHDRAW", "WITHDRAW", "WITHDRAW");
        assertThat(get("/admin/v1/wealth/plans/" + plan.value()).path("invested").asText()).isEqualTo("90.00");
        assertThat(get("/admin/v1/orders/" + orderId).path("payouts")).hasSize(3);
        assertReconciled();

        // ---- past expiry: the plan is redeemed in full with its yield, b expires, the rest is breakage
        Instant expiresAt = Instant.parse(get("/admin/v1/wealth/plans/" + plan.value()).path("expiresAt").asText());
        CLOCK.advance(Duration.between(CLOCK.instant(), expiresAt).plusMinutes(5));
        Money accrued = hjb.position(plan).accruedYield();
        assertThat(accrued.isPositive()).isTrue();
        settle(() -> get("/admin/v1/wealth/plans/" + plan.value()).path("state").asText().equals("CLOSED"), "the plan closes");
        JsonNode closed = get("/admin/v1/wealth/plans/" + plan.value());
        assertThat(closed.path("yield").asText()).isEqualTo(accrued.toDecimalString());
        assertThat(closed.path("principal").asText()).isEqualTo("90.00");
        JsonNode yields = get("/admin/v1/wealth/plans/" + plan.value() + "/yields");
        assertThat(yields.path("items")).hasSize(2);
        assertThat(yields.path("total").asText()).isEqualTo(accrued.toDecimalString());
        client = SignedHttpClient.of(platform.base(), dist.keyId(), dist.secret(), CLOCK);
        assertThat(json(expect(client.get("/distributor/v1/tickets/" + b), 200)).path("state").asText()).isEqualTo("EXPIRED");

        // ---- webhooks: issued, redeemed per spot, expired; never the internal breakage event
        platform.platform().webhooks().runOnce();
        assertThat(RECEIVED).extracting(n -> n.path("type").asText()).containsExactlyInAnyOrder(
                "ticket.issued", "ticket.issued", "ticket.redeemed", "ticket.redeemed", "ticket.redeemed", "ticket.expired");
        assertThat(SIGNATURES_OK).containsOnly(true);
        assertThat(RECEIVED.stream().filter(n -> n.path("type").asText().equals("ticket.redeemed"))
                .map(n -> n.path("ticket").path("number").asText() + "@" + n.path("spotId").asText()))
                .containsExactlyInAnyOrder(a + "@" + temple, a + "@" + lake, b + "@" + lake);
        JsonNode expired = RECEIVED.stream().filter(n -> n.path("type").asText().equals("ticket.expired")).findFirst().orElseThrow();
        assertThat(expired.path("ticket").path("number").asText()).isEqualTo(b);
        assertThat(expired.path("ticket").path("state").asText()).isEqualTo("EXPIRED");

        // ---- the books: reconciliation (rails and wealth), trial balance, the report in JSON and CSV
        JsonNode rec = assertReconciled();
        assertThat(rec.path("wealth").findValuesAsText("planId")).contains(plan.value());
        assertThat(rec.path("wealth").findValuesAsText("agrees")).containsOnly("true");
        assertThat(get("/admin/v1/trial-balance").path("balanced").asBoolean()).isTrue();
        String period = "from=" + firstDay + "&to=" + today();
        JsonNode report = get("/admin/v1/reports/financial?" + period);
        JsonNode summary = report.path("summary");
        assertThat(summary.path("breakage").asText()).isEqualTo("70.00");
        assertThat(summary.path("margin").asText()).isEqualTo("20.00");
        assertThat(summary.path("investment_yield").asText()).isEqualTo(accrued.toDecimalString());
        assertThat(summary.path("issuance_volume").asText()).isEqualTo("200.00");
        assertThat(summary.path("wealth_position").asText()).isEqualTo("0.00");
        assertThat(summary.path("unredeemed_tickets").asText()).isEqualTo("0.00");
        assertThat(report.path("trial_balance").path("balanced").asBoolean()).isTrue();
        HttpResponse<String> csv = platform.send("GET", "/admin/v1/reports/financial?" + period, null,
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN, "Accept", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("section,name,type,opening,debits,credits,closing\r\n")
                .contains("summary,breakage,,,,,70.00\r\n")
                .contains("summary,investment_yield,,,,,")
                .contains("trial_balance,closing,,,");
        assertThat(expect(platform.admin("GET", "/admin/v1/reports/financial?" + period + "&format=csv", null), 200).body())
                .isEqualTo(csv.body());
        problem(platform.admin("GET", "/admin/v1/reports/financial?" + period + "&format=xml", null), 400, "bad-request");
        problem(platform.admin("GET", "/admin/v1/reports/financial?from=" + firstDay + "&to=2026-13-01", null), 400, "bad-request");
        problem(platform.admin("GET", "/admin/v1/reports/financial?from=" + firstDay, null), 400, "bad-request");
        assertThat(problem(platform.admin("GET", "/admin/v1/reports/financial?from=" + today() + "&to=" + firstDay, null),
                400, "bad-request").path("errors").findValuesAsText("pointer")).containsExactly("#/query/to");
        problem(platform.send("GET", "/admin/v1/reports/financial?" + period, null), 401, "authentication-required");
    }

    private static void redeem(String number, String spot) {
        RedeemResult r = platform.platform().ticketing().tickets().redeem(new RedeemRequest(number, spot, "gate-1"));
        assertThat(r).as("redeem %s at %s", number, spot).isInstanceOf(RedeemResult.Redeemed.class);
    }

    private static JsonNode assertReconciled() {
        JsonNode rec = get("/admin/v1/reconciliation");
        assertThat(rec.path("balanced").asBoolean()).as(rec.toString()).isTrue();
        assertThat(rec.path("lines").findValuesAsText("rail")).contains("ALIPAY", "HUIJINBAO");
        assertThat(rec.path("wealth")).isNotEmpty();
        return rec;
    }

    @Test
    @Order(2)
    void publishingRefusesBadCombosWithProblemsAndWritesNothing() {
        hjb.openPlan(PlanId.of("IT-PLAN-2"), 300);
        int products = platform.count("SELECT count(*) FROM ticketing.products");
        int plans = platform.count("SELECT count(*) FROM ticketing.wealth_plans");
        JsonNode over = problem(platform.admin("POST", "/admin/v1/combos",
                Json.write(draft("IT-PLAN-2", "50.00", "30.00", "30.00", 20))), 422, "invalid-amount");
        assertThat(over.path("errors").findValuesAsText("pointer")).contains("/spots");
        ObjectNode unknownSpot = draft("IT-PLAN-2", "100.00", "30.00", "30.00", 20);
        ((ObjectNode) unknownSpot.get("spots").get(1)).put("spotId", "s-nope");
        problem(platform.admin("POST", "/admin/v1/combos", Json.write(unknownSpot)), 404, "unknown-scenic-spot");
        ObjectNode sameSpot = draft("IT-PLAN-2", "100.00", "30.00", "30.00", 20);
        ((ObjectNode) sameSpot.get("spots").get(1)).put("spotId", lake);
        problem(platform.admin("POST", "/admin/v1/combos", Json.write(sameSpot)), 422, "validation-failed");
        problem(platform.admin("POST", "/admin/v1/combos", Json.write(draft("IT-PLAN-2", "100.00", "30.00", "30.00", 5))),
                422, "validation-failed"); // expires before the last visit day
        problem(platform.admin("POST", "/admin/v1/combos", Json.write(draft("bad plan!", "100.00", "30.00", "30.00", 20))),
                422, "validation-failed");
        ObjectNode oneSpot = draft("IT-PLAN-2", "100.00", "30.00", "30.00", 20);
        ((com.fasterxml.jackson.databind.node.ArrayNode) oneSpot.get("spots")).remove(1);
        assertThat(problem(platform.admin("POST", "/admin/v1/combos", Json.write(oneSpot)), 422, "validation-failed")
                .path("errors").findValuesAsText("pointer")).contains("/spots");
        ObjectNode wrongTypes = draft("IT-PLAN-2", "100.00", "30.00", "30.00", 20);
        wrongTypes.put("distributorPrice", 100).put("validDays", "ten").put("extra", true);
        wrongTypes.put("expiresOn", "someday");
        assertThat(problem(platform.admin("POST", "/admin/v1/combos", Json.write(wrongTypes)), 422, "validation-failed")
                .path("errors").findValuesAsText("pointer")).contains("/distributorPrice", "/validDays", "/extra", "/expiresOn");
        ObjectNode huge = draft("IT-PLAN-2", "99999999999999999999.00", "30.00", "30.00", 20);
        problem(platform.admin("POST", "/admin/v1/combos", Json.write(huge)), 422, "validation-failed");
        problem(platform.admin("POST", "/admin/v1/combos", "{\"name\":"), 400, "malformed-json");
        problem(platform.admin("POST", "/admin/v1/combos", "{}"), 422, "validation-failed");
        // Auth: none, an auditor, a distributor's signed request
        String body = Json.write(draft("IT-PLAN-2", "100.00", "30.00", "30.00", 20));
        problem(platform.send("POST", "/admin/v1/combos", body, "Content-Type", "application/json"), 401, "authentication-required");
        problem(platform.send("POST", "/admin/v1/combos", body, "Content-Type", "application/json",
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN), 403, "forbidden");
        problem(platform.send("POST", "/admin/v1/combos", body, "Content-Type", "application/json",
                "Authorization", "Bearer not-a-token-at-all-0123456789"), 401, "invalid-credentials");
        try {
            problem(client.send("POST", "/admin/v1/combos", body, Map.of()), 401, "authentication-required");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(platform.count("SELECT count(*) FROM ticketing.products")).isEqualTo(products);
        assertThat(platform.count("SELECT count(*) FROM ticketing.wealth_plans")).isEqualTo(plans);
        problem(platform.admin("GET", "/admin/v1/combos/p-nope", null), 404, "unknown-product");
        problem(platform.admin("GET", "/admin/v1/combos", null), 400, "bad-request");
        problem(platform.admin("GET", "/admin/v1/wealth/plans/NOPE", null), 404, "unknown-plan");
        problem(platform.admin("GET", "/admin/v1/wealth/instructions/wi-nope", null), 404, "unknown-wealth-instruction");
        problem(platform.admin("GET", "/admin/v1/wealth/instructions", null), 400, "bad-request");
        problem(platform.admin("GET", "/admin/v1/wealth/instructions?state=DONE&planId=X", null), 400, "bad-request");
        problem(platform.admin("GET", "/admin/v1/wealth/instructions?state=BOGUS", null), 400, "bad-request");
        problem(platform.adminOnce("POST", "/admin/v1/wealth/plans/NOPE/retry-close", null), 404, "unknown-plan");
        problem(platform.adminOnce("POST", "/admin/v1/wealth/plans/IT-PLAN-1/accept-rail-principal", "{\"reason\":5}"),
                422, "validation-failed");
    }

    @Test
    @Order(5)
    void everyFinanceWriteRouteRefusesMissingWrongAndDistributorCredentialsAndWritesNothing() throws Exception {
        String counts = "SELECT (SELECT count(*) FROM ticketing.products) + (SELECT count(*) FROM ticketing.wealth_plans)"
                + " + (SELECT count(*) FROM ticketing.plan_instructions) + (SELECT count(*) FROM ticketing.profit_runs)"
                + " + (SELECT count(*) FROM ticketing.profit_rules) + (SELECT count(*) FROM ticketing.audit_log)";
        int before = platform.count(counts);
        int checked = 0;
        for (var route : platform.app().routes()) {
            if (!List.of("admin-combos", "admin-wealth", "admin-profit", "admin-reports").contains(route.tag())
                    || route.method().equals("GET")) {
                continue;
            }
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            String body = "{\"reason\":\"r\",\"reference\":\"R-1\"}";
            problem(platform.send(route.method(), path, body, "Content-Type", "application/json", "Idempotency-Key", "n-1"),
                    401, "authentication-required");
            problem(platform.send(route.method(), path, body, "Content-Type", "application/json", "Idempotency-Key", "n-2",
                    "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN), 403, "forbidden");
            problem(platform.send(route.method(), path, body, "Content-Type", "application/json", "Idempotency-Key", "n-3",
                    "Authorization", "Basic b3BzOm9wcw=="), 401, "authentication-required");
            problem(client.send(route.method(), path, body, Map.of("Idempotency-Key", "n-4")), 401, "authentication-required");
            checked++;
        }
        assertThat(checked).as("finance write routes").isEqualTo(11);
        assertThat(platform.count(counts)).isEqualTo(before);
    }

    @Test
    @Order(4)
    void theFinanceRoutesAreDocumentedWithTheAdminBearerIdempotencyAndBothReportFormats() {
        JsonNode paths = json(platform.get("/openapi.json")).path("paths");
        for (String p : List.of("/admin/v1/combos", "/admin/v1/wealth/plans", "/admin/v1/wealth/instructions",
                "/admin/v1/reports/financial", "/admin/v1/profit-rules", "/admin/v1/profit-runs")) {
            JsonNode item = paths.path(p);
            assertThat(item.isObject()).as(p).isTrue();
            item.forEach(op -> assertThat(op.path("security").get(0).has("adminBearer")).as(p).isTrue());
        }
        JsonNode report = paths.path("/admin/v1/reports/financial").path("get").path("responses").path("200").path("content");
        assertThat(report.has("application/json")).isTrue();
        assertThat(report.has("text/csv")).isTrue();
        for (String p : List.of("/admin/v1/profit-runs/{runId}/approve", "/admin/v1/profit-runs/{runId}/confirm",
                "/admin/v1/wealth/instructions/{instructionId}/retry", "/admin/v1/wealth/instructions/retry-awaiting-funds",
                "/admin/v1/wealth/plans/{planId}/retry-close", "/admin/v1/wealth/plans/{planId}/accept-rail-principal")) {
            assertThat(paths.path(p).path("post").path("parameters").findValuesAsText("$ref")).as(p)
                    .contains("#/components/parameters/IdempotencyKey");
        }
        assertThat(paths.path("/admin/v1/profit-runs/{runId}/approve").path("post").path("responses").has("403")).isTrue();
    }

    @Test
    @Order(3)
    void aComboTicketIsRefundedThroughTheDistributorRoutesAndAnUnpublishedComboIsNoLongerSold() throws Exception {
        PlanId plan = PlanId.of("IT-PLAN-3");
        hjb.openPlan(plan, 300);
        String productId = json(expect(platform.admin("POST", "/admin/v1/combos",
                Json.write(draft(plan.value(), "80.00", "30.00", "40.00", 30))), 201)).path("id").asText();
        // A combo ticket bought and refunded through the distributor routes: its D is withdrawn from the plan.
        client = SignedHttpClient.of(platform.base(), dist.keyId(), dist.secret(), CLOCK);
        JsonNode bought = json(expect(client.post("/distributor/v1/orders", order("C-R", productId, 1, "80.00"), "c-r"), 201));
        String number = bought.path("tickets").get(0).path("number").asText();
        JsonNode refunded = json(expect(client.post("/distributor/v1/tickets/" + number + "/refund",
                "{\"reason\":\"trip cancelled\"}", "c-r-refund"), 200));
        assertThat(refunded.path("ticket").path("state").asText()).isEqualTo("REFUNDED");
        String orderId = bought.path("id").asText();
        settle(() -> get("/admin/v1/wealth/instructions?orderId=" + orderId).path("items").findValuesAsText("state")
                .stream().allMatch("DONE"::equals), "invest and refund withdraw done");
        JsonNode withdraw = get("/admin/v1/wealth/instructions?orderId=" + orderId).path("items").get(1);
        assertThat(withdraw.path("purpose").asText()).isEqualTo("REFUND");
        assertThat(withdraw.path("amount").asText()).isEqualTo("80.00");
        assertThat(get("/admin/v1/wealth/plans/" + plan.value()).path("invested").asText()).isEqualTo("0.00");

        problem(platform.send("POST", "/admin/v1/combos/" + productId + "/unpublish", null,
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN), 403, "forbidden");
        JsonNode off = json(expect(platform.admin("POST", "/admin/v1/combos/" + productId + "/unpublish", null), 200));
        assertThat(off.path("status").asText()).isEqualTo("UNPUBLISHED");
        int orders = platform.count("SELECT count(*) FROM ticketing.orders");
        problem(client.post("/distributor/v1/orders", order("C-OFF", productId, 1, "80.00"), "c-off"), 409, "product-unpublished");
        assertThat(platform.count("SELECT count(*) FROM ticketing.orders")).isEqualTo(orders);
        JsonNode page = json(expect(client.get("/distributor/v1/products?cursor=0"), 200));
        assertThat(page.path("items").findValuesAsText("status")).contains("UNPUBLISHED");
        // A single product's id is not a combo
        String single = platform.publish(lake, "10.00", "9.00");
        problem(platform.admin("POST", "/admin/v1/combos/" + single + "/unpublish", null), 404, "unknown-product");
    }
}
