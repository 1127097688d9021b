package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.testing.TestPlatform.expect;
import static org.ticketledger.example.testing.TestPlatform.json;
import static org.ticketledger.example.testing.TestPlatform.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.console.ConsoleSettings;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * Maker-checker holds for invests too: above the approval threshold (150.00 here) an admin token
 * alone cannot send one again, neither one by one nor in the bulk retry after a top-up.
 */
class WealthApprovalIT {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static TestPlatform platform;
    private static HuijinbaoSandbox hjb;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(b -> b.console(ConsoleSettings.defaults()
                .withPasswordIterations(ConsoleSettings.MIN_ITERATIONS).withApprovalThreshold(Money.parseCny("150.00"))));
        hjb = platform.platform().rails().huijinbaoSandbox().orElseThrow();
        platform.onboardPlatform(true);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void investsAboveTheThresholdAreLeftForTheConsolesApprovals() throws Exception {
        String lake = platform.onboardSpot("Approval Lake");
        String temple = platform.onboardSpot("Approval Temple");
        var d = platform.onboardDistributor("Approval Travel", "1000.00");
        hjb.openPlan(PlanId.of("APPROVAL-PLAN"), 300);
        LocalDate today = LocalDate.now(ZONE);
        ObjectNode draft = Json.object().put("name", "Lake + Temple").put("distributorPrice", "100.00")
                .put("validFrom", today.toString()).put("validUntil", today.plusDays(9).toString()).put("validDays", 10)
                .put("expiresOn", today.plusDays(20).toString()).put("planId", "APPROVAL-PLAN");
        draft.putArray("spots").add(Json.object().put("spotId", lake).put("scenicPrice", "30.00"))
                .add(Json.object().put("spotId", temple).put("scenicPrice", "50.00"));
        String product = json(expect(platform.admin("POST", "/admin/v1/combos", Json.write(draft)), 201)).path("id").asText();

        // Two orders while the platform's Huijinbao account is empty: invests of 100.00 and 200.00 wait.
        String small = json(expect(d.client().post("/distributor/v1/orders", TestPlatform.order("AP-1", product, 1, "100.00"), "ap-1"),
                201)).path("id").asText();
        String large = json(expect(d.client().post("/distributor/v1/orders", TestPlatform.order("AP-2", product, 2, "100.00"), "ap-2"),
                201)).path("id").asText();
        platform.drain();
        String smallInvest = investOf(small);
        String largeInvest = investOf(large);
        assertThat(state(smallInvest)).isEqualTo("AWAITING_FUNDS");
        assertThat(state(largeInvest)).isEqualTo("AWAITING_FUNDS");

        hjb.fundPlatform(Money.parseCny("300.00"));
        expect(platform.adminOnce("POST", "/admin/v1/platform/funding",
                "{\"rail\":\"HUIJINBAO\",\"amount\":\"300.00\",\"reference\":\"approval-topup\"}"), 201);

        JsonNode bulk = json(expect(platform.adminOnce("POST", "/admin/v1/wealth/instructions/retry-awaiting-funds", null), 200));
        assertThat(bulk.path("retried").asInt()).isEqualTo(1);
        assertThat(bulk.path("needApproval")).hasSize(1);
        assertThat(bulk.path("needApproval").get(0).asText()).isEqualTo(largeInvest);
        platform.drain();
        assertThat(state(smallInvest)).isEqualTo("DONE");

        JsonNode refused = problem(platform.adminOnce("POST", "/admin/v1/wealth/instructions/" + largeInvest + "/retry", null),
                403, "approval-required");
        assertThat(refused.path("detail").asText()).contains("200.00", "150.00", "/console/instructions/" + largeInvest);
        platform.drain();
        assertThat(state(largeInvest)).isEqualTo("AWAITING_FUNDS");
        assertThat(json(expect(platform.admin("GET", "/admin/v1/wealth/plans/APPROVAL-PLAN", null), 200)).path("invested").asText())
                .isEqualTo("100.00");
        assertThat(hjb.position(PlanId.of("APPROVAL-PLAN")).principal()).isEqualTo(Money.parseCny("100.00"));
    }

    private static String investOf(String orderId) {
        JsonNode items = json(expect(platform.admin("GET", "/admin/v1/wealth/instructions?orderId=" + orderId, null), 200)).path("items");
        assertThat(items).hasSize(1);
        return items.get(0).path("id").asText();
    }

    private static String state(String instructionId) {
        return json(expect(platform.admin("GET", "/admin/v1/wealth/instructions/" + instructionId, null), 200)).path("state").asText();
    }
}
