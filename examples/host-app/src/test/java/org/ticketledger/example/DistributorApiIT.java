package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.Money;

/** The distributor API over real HTTP against ticketing, Postgres and the Alipay sandbox. */
class DistributorApiIT {

    static TestPlatform platform;
    static String spotId;
    static String productId;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        spotId = platform.onboardSpot("Lingyin Temple");
        productId = platform.publish(spotId, "100.00", "90.00");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void syncReturnsProductsWithoutScenicPricesAndTheCursorAdvances() throws Exception {
        var d = platform.onboardDistributor("Sync Travel", "0.00");
        JsonNode page = TestPlatform.json(TestPlatform.expect(d.client().get("/distributor/v1/products"), 200));
        assertThat(page.path("items").findValuesAsText("id")).contains(productId);
        JsonNode item = page.path("items").get(0);
        assertThat(item.path("distributorPrice").asText()).isEqualTo("100.00");
        assertThat(item.toString()).doesNotContain("scenicPrice");
        JsonNode next = TestPlatform.json(d.client().get("/distributor/v1/products?cursor=" + page.path("nextCursor").asText()));
        assertThat(next.path("items")).isEmpty();
        problem(d.client().get("/distributor/v1/products?limit=0"), 400, "bad-request");
        problem(d.client().get("/distributor/v1/products?cursor=abc"), 400, "bad-request");
    }

    /**
     * An order issued by the request stores its answer in the transaction that issues it: the record
     * is complete when the answer arrives, it is the answer sent, and the key replays it exactly.
     */
    @Test
    void anIssuedOrdersAnswerIsStoredWithItsTickets() throws Exception {
        var d = platform.onboardDistributor("Answer Travel", "500.00");
        String body = TestPlatform.order("AN-1", productId, 2, "100.00");
        HttpResponse<String> created = TestPlatform.expect(d.client().post("/distributor/v1/orders", body, "an-1"), 201);
        String stored = platform.jdbi().withHandle(h -> h.createQuery("SELECT response_body FROM host.idempotency_keys"
                + " WHERE idem_key = 'an-1' AND state = 'DONE' AND status = 201 AND location = :loc")
                .bind("loc", created.headers().firstValue("Location").orElseThrow())
                .mapTo(String.class).one());
        assertThat(stored).isEqualTo(created.body());
        HttpResponse<String> replayed = TestPlatform.expect(d.client().post("/distributor/v1/orders", body, "an-1"), 201);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replayed.body()).isEqualTo(created.body());
        assertThat(replayed.headers().firstValue("Location")).isEqualTo(created.headers().firstValue("Location"));
        assertThat(replayed.headers().firstValue("Content-Type")).isEqualTo(created.headers().firstValue("Content-Type"));
        assertThat(platform.sandbox().balance(d.payer().identity())).isEqualTo(Money.parseCny("298.00"));
    }

    @Test
    void issuesReadsListsAndRefundsMovingMoneyOnce() throws Exception {
        var d = platform.onboardDistributor("Issue Travel", "500.00");
        HttpResponse<String> created = d.client().post("/distributor/v1/orders", TestPlatform.order("IT-1", productId, 2, "100.00"), "it-1");
        JsonNode order = TestPlatform.json(TestPlatform.expect(created, 201));
        assertThat(order.path("state").asText()).isEqualTo("ISSUED");
        assertThat(order.path("total").asText()).isEqualTo("202.00");
        assertThat(order.path("fee").asText()).isEqualTo("2.00");
        assertThat(order.path("tickets")).hasSize(2);
        assertThat(created.headers().firstValue("Location")).hasValue("/distributor/v1/orders/" + order.path("id").asText());
        assertThat(platform.sandbox().balance(d.payer().identity())).isEqualTo(Money.parseCny("298.00"));

        // The same distributor order id under a new Idempotency-Key is still the same order: charged once.
        JsonNode again = TestPlatform.json(TestPlatform.expect(
                d.client().post("/distributor/v1/orders", TestPlatform.order("IT-1", productId, 2, "100.00"), "it-1-bis"), 201));
        assertThat(again.path("id").asText()).isEqualTo(order.path("id").asText());
        assertThat(platform.sandbox().balance(d.payer().identity())).isEqualTo(Money.parseCny("298.00"));
        // ...but with different content it is refused.
        problem(d.client().post("/distributor/v1/orders", TestPlatform.order("IT-1", productId, 3, "100.00"), "it-1-ter"),
                409, "idempotency-conflict");

        JsonNode got = TestPlatform.json(TestPlatform.expect(d.client().get("/distributor/v1/orders/" + order.path("id").asText()), 200));
        assertThat(got.path("tickets")).hasSize(2);
        String number = got.path("tickets").get(0).path("number").asText();
        JsonNode ticket = TestPlatform.json(TestPlatform.expect(d.client().get("/distributor/v1/tickets/" + number), 200));
        assertThat(ticket.path("state").asText()).isEqualTo("ISSUED");

        JsonNode listed = TestPlatform.json(TestPlatform.expect(d.client().get("/distributor/v1/orders?updatedSince=2000-01-01T00:00:00Z"), 200));
        assertThat(listed.path("items").findValuesAsText("id")).containsExactly(order.path("id").asText());
        JsonNode after = TestPlatform.json(d.client().get("/distributor/v1/orders?cursor=" + listed.path("nextCursor").asText()));
        assertThat(after.path("items")).isEmpty();
        problem(d.client().get("/distributor/v1/orders?updatedSince=yesterday"), 400, "bad-request");

        JsonNode refund = TestPlatform.json(TestPlatform.expect(d.client().post("/distributor/v1/tickets/" + number + "/refund",
                "{\"reason\":\"visitor cancelled\"}", "refund-1"), 200));
        assertThat(refund.path("ticket").path("state").asText()).isEqualTo("REFUNDED");
        assertThat(refund.path("payout").path("net").asText()).isEqualTo("101.00");
        platform.drain();
        assertThat(platform.sandbox().balance(d.payer().identity())).isEqualTo(Money.parseCny("399.00"));
        problem(d.client().post("/distributor/v1/tickets/" + number + "/refund", "{\"reason\":\"again\"}", "refund-2"),
                409, "ticket-refunded");
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/reconciliation", null)).path("balanced").asBoolean()).isTrue();
    }

    @Test
    void insufficientBalanceAwaitsTopUpThenReapplyIssues() throws Exception {
        var d = platform.onboardDistributor("Short Travel", "50.00");
        JsonNode waiting = TestPlatform.json(TestPlatform.expect(
                d.client().post("/distributor/v1/orders", TestPlatform.order("ST-1", productId, 1, "100.00"), "st-1"), 202));
        assertThat(waiting.path("state").asText()).isEqualTo("AWAITING_TOPUP");
        JsonNode account = TestPlatform.json(TestPlatform.expect(d.client().get("/distributor/v1/account"), 200));
        assertThat(account.path("openOrders").findValuesAsText("id")).containsExactly(waiting.path("id").asText());
        assertThat(account.path("distributor").path("paymentAccount").path("rail").asText()).isEqualTo("ALIPAY");
        assertThat(account.toString()).doesNotContain(d.payer().agreementNo().orElseThrow());

        platform.sandbox().fund(d.payer().identity(), Money.parseCny("100.00"));
        JsonNode issued = TestPlatform.json(TestPlatform.expect(
                d.client().post("/distributor/v1/orders/" + waiting.path("id").asText() + "/reapply", "", "st-1-reapply"), 201));
        assertThat(issued.path("state").asText()).isEqualTo("ISSUED");
        assertThat(platform.sandbox().balance(d.payer().identity())).isEqualTo(Money.parseCny("49.00"));
        assertThat(TestPlatform.json(d.client().get("/distributor/v1/account")).path("openOrders")).isEmpty();
    }

    @Test
    void aDistributorSeesNothingOfAnother() throws Exception {
        var a = platform.onboardDistributor("Alpha Travel", "200.00");
        var b = platform.onboardDistributor("Beta Travel", "200.00");
        JsonNode order = TestPlatform.json(TestPlatform.expect(
                a.client().post("/distributor/v1/orders", TestPlatform.order("A-1", productId, 1, "100.00"), "a-1"), 201));
        String number = order.path("tickets").get(0).path("number").asText();
        problem(b.client().get("/distributor/v1/orders/" + order.path("id").asText()), 404, "unknown-order");
        problem(b.client().get("/distributor/v1/tickets/" + number), 404, "unknown-ticket");
        problem(b.client().post("/distributor/v1/tickets/" + number + "/refund", "{\"reason\":\"x\"}", "b-1"), 404, "unknown-ticket");
        problem(b.client().post("/distributor/v1/orders/" + order.path("id").asText() + "/reapply", "", "b-2"), 404, "unknown-order");
        assertThat(TestPlatform.json(b.client().get("/distributor/v1/orders")).path("items")).isEmpty();
    }

    @Test
    void businessRefusalsAreProblemsAndWriteNothing() throws Exception {
        var d = platform.onboardDistributor("Refused Travel", "500.00");
        problem(d.client().post("/distributor/v1/orders", TestPlatform.order("R-1", productId, 1, "99.00"), "r-1"), 409, "price-changed");
        problem(d.client().post("/distributor/v1/orders", TestPlatform.order("R-2", "p-nope", 1, "100.00"), "r-2"), 404, "unknown-product");
        var p = problem(d.client().post("/distributor/v1/orders", TestPlatform.order("R-3", productId, 101, "100.00"), "r-3"),
                422, "validation-failed");
        assertThat(p.path("errors").findValuesAsText("pointer")).contains("/quantity");
        problem(d.client().post("/distributor/v1/orders", "{\"distributorOrderId\":\"R-4\"}", "r-4"), 422, "validation-failed");
        assertThat(platform.sandbox().balance(d.payer().identity())).isEqualTo(Money.parseCny("500.00"));
        assertThat(TestPlatform.json(d.client().get("/distributor/v1/orders")).path("items")).isEmpty();
    }
}
