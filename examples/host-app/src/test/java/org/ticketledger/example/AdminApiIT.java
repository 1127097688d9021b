package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;

/** The admin API: onboarding checks, fees, the payout queue and its retry, orders, books. */
class AdminApiIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void onboardingRefusesBadInputWithFieldErrorsAndWritesNothing() {
        platform.onboardPlatform();
        int parties = platform.count("SELECT count(*) FROM ticketing.parties");
        var p = problem(platform.admin("POST", "/admin/v1/scenic-spots",
                "{\"name\":\"\",\"contactPhone\":\"abc\",\"receivingAccount\":{\"rail\":\"ALIPAY\",\"identityType\":\"NOPE\",\"identity\":\"x\"}}"),
                422, "validation-failed");
        assertThat(p.path("errors").findValuesAsText("pointer")).contains("/name", "/receivingAccount/identityType");
        var q = problem(platform.admin("POST", "/admin/v1/distributors",
                "{\"name\":\"X\",\"contactPhone\":\"not a phone\",\"paymentAccount\":{\"rail\":\"ALIPAY\",\"identityType\":\"USER_ID\",\"identity\":\"2088\"}}"),
                422, "validation-failed");
        assertThat(q.path("errors").findValuesAsText("pointer")).contains("/contactPhone");
        problem(platform.admin("POST", "/admin/v1/platform", "{\"name\":\"Again\",\"currency\":\"CNY\",\"adminPhone\":\"13800000000\","
                + "\"timeZone\":\"Asia/Shanghai\",\"settlementAccounts\":[{\"rail\":\"ALIPAY\",\"identityType\":\"USER_ID\",\"identity\":\"1\"}]}"),
                409, "platform-already-onboarded");
        assertThat(platform.count("SELECT count(*) FROM ticketing.parties")).isEqualTo(parties);
    }

    @Test
    void feesHaveDefaultsAndOverrides() {
        platform.onboardPlatform();
        String spot = platform.onboardSpot("Fee Spot");
        JsonNode rule = TestPlatform.json(TestPlatform.expect(platform.admin("PUT", "/admin/v1/fees/PAYOUT/parties/" + spot,
                "{\"fixed\":\"0.50\"}"), 200));
        assertThat(rule.path("fixed").asText()).isEqualTo("0.50");
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/fees/PAYOUT?partyId=" + spot, null)).path("fixed").asText())
                .isEqualTo("0.50");
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/fees/PAYOUT", null)).path("basisPoints").asInt()).isEqualTo(100);
        TestPlatform.expect(platform.admin("DELETE", "/admin/v1/fees/PAYOUT/parties/" + spot, null), 200);
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/fees/PAYOUT?partyId=" + spot, null)).path("basisPoints").asInt())
                .isEqualTo(100);
        problem(platform.admin("PUT", "/admin/v1/fees/BOGUS", "{}"), 400, "bad-request");
        problem(platform.admin("PUT", "/admin/v1/fees/ISSUANCE", "{\"basisPoints\":10001}"), 422, "validation-failed");
    }

    @Test
    void aPayoutShortOfFundsWaitsForTheAdminWhoRetriesItAfterATopUp() throws Exception {
        StuckPayout stuck = payoutShortOfFunds("Short Spot", "Queue Travel", "Q-1", "100.00", "90.00");
        String payoutId = stuck.payoutId();
        JsonNode order = stuck.order();
        Money before = stuck.platformBalance();
        JsonNode waiting = TestPlatform.json(platform.admin("GET", "/admin/v1/payouts?state=AWAITING_FUNDS", null));
        assertThat(waiting.path("items").findValuesAsText("id")).contains(payoutId);
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/notifications?recipient=13800000000", null)).path("items"))
                .isNotEmpty();

        platform.sandbox().setPlatformBalance(before);
        JsonNode retried = TestPlatform.json(TestPlatform.expect(
                platform.send("POST", "/admin/v1/payouts/" + payoutId + "/retry", null,
                        "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN, "Idempotency-Key", "retry-" + payoutId), 200));
        assertThat(retried.path("id").asText()).isEqualTo(payoutId);
        platform.drain();
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/payouts/" + payoutId, null)).path("state").asText())
                .isEqualTo("DONE");
        JsonNode history = TestPlatform.json(platform.admin("GET", "/admin/v1/orders/" + order.path("id").asText(), null));
        assertThat(history.path("history").findValuesAsText("event")).contains("order.issued", "payout.awaiting-funds", "payout.done");
        JsonNode rec = TestPlatform.json(platform.admin("GET", "/admin/v1/reconciliation", null));
        assertThat(rec.path("balanced").asBoolean()).as(rec.toString()).isTrue();
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/trial-balance", null)).path("balanced").asBoolean()).isTrue();
    }

    @Test
    void aPayoutAboveTheApprovalThresholdCannotBeRetriedWithAnApiTokenAlone() throws Exception {
        StuckPayout stuck = payoutShortOfFunds("Big Spot", "Big Travel", "B-1", "1500.00", "1400.00");
        String payoutId = stuck.payoutId();
        Money before = stuck.platformBalance();
        platform.sandbox().setPlatformBalance(before);

        // The net payout is above the default 1000.00 threshold: one token is one person, so no.
        JsonNode refused = problem(platform.send("POST", "/admin/v1/payouts/" + payoutId + "/retry", null,
                "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN, "Idempotency-Key", "retry-" + payoutId), 403, "approval-required");
        assertThat(refused.path("detail").asText()).contains("1000.00", "/console/payouts/" + payoutId);
        platform.drain();
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/payouts/" + payoutId, null)).path("state").asText())
                .isEqualTo("AWAITING_FUNDS");
        assertThat(platform.sandbox().platformBalance()).isEqualTo(before);
    }

    /** {@code platformBalance}: the platform's Alipay balance before it was emptied. */
    private record StuckPayout(JsonNode order, String payoutId, Money platformBalance) {
    }

    /**
     * A ticket of a new spot sold and redeemed while the platform's Alipay account is empty (spent
     * elsewhere), so its payout waits in AWAITING_FUNDS; the account stays empty.
     */
    private StuckPayout payoutShortOfFunds(String spotName, String distributorName, String ref, String d, String s) throws Exception {
        String spot = platform.onboardSpot(spotName);
        String product = platform.publish(spot, d, s);
        var distributor = platform.onboardDistributor(distributorName, Money.parseCny(d).times(2).toDecimalString());
        JsonNode order = TestPlatform.json(TestPlatform.expect(distributor.client().post("/distributor/v1/orders",
                TestPlatform.order(ref, product, 1, d), ref.toLowerCase(java.util.Locale.ROOT)), 201));
        Money before = platform.sandbox().platformBalance();
        platform.sandbox().setPlatformBalance(Money.cny(0));
        RedeemResult r = platform.platform().ticketing().tickets().redeem(
                new RedeemRequest(order.path("tickets").get(0).path("number").asText(), spot, "gate"));
        platform.drain();
        return new StuckPayout(order, ((RedeemResult.Redeemed) r).payout().id(), before);
    }

    @Test
    void moneyMovingAdminActionsNeedAnIdempotencyKey() {
        problem(platform.admin("POST", "/admin/v1/payouts/po-x/retry", null), 400, "idempotency-key-required");
        problem(platform.admin("POST", "/admin/v1/platform/funding", "{\"rail\":\"ALIPAY\",\"amount\":\"1.00\",\"reference\":\"r\"}"),
                400, "idempotency-key-required");
    }

    @Test
    void unknownThingsAre404Problems() {
        problem(platform.admin("GET", "/admin/v1/payouts/po-nope", null), 404, "unknown-payout");
        problem(platform.admin("GET", "/admin/v1/orders/o-nope", null), 404, "unknown-order");
        problem(platform.admin("GET", "/admin/v1/products/p-nope", null), 404, "unknown-product");
        problem(platform.admin("GET", "/admin/v1/payouts?state=SOMETHING", null), 400, "bad-request");
    }
}
