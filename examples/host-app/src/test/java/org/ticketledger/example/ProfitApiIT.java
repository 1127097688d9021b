package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.testing.TestPlatform.expect;
import static org.ticketledger.example.testing.TestPlatform.json;
import static org.ticketledger.example.testing.TestPlatform.problem;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ticket.RedeemRequest;

/**
 * Profit distribution over the admin API: rules, then runs with maker-checker approval by two
 * different admin tokens; an offline run exported and confirmed, an online run paid through the
 * rails, a rejected run; the ledger and the rail still agree. Bad input is a 4xx problem that
 * writes nothing.
 */
class ProfitApiIT {

    static TestPlatform platform;
    static String spot;
    static TestPlatform.Onboarded dist;
    static String product;
    static Instant start;

    @BeforeAll
    static void start() throws Exception {
        start = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);
        platform = TestPlatform.start();
        spot = platform.onboardSpot("Profit Spot");
        dist = platform.onboardDistributor("Profit Travel", "1000.00");
        product = platform.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static JsonNode get(String path) {
        return json(expect(platform.admin("GET", path, null), 200));
    }

    static int runs() {
        return platform.count("SELECT count(*) FROM ticketing.profit_runs");
    }

    /** An order of {@code quantity} tickets, each redeemed when {@code redeem}; payouts drained. */
    static void sell(String ref, int quantity, boolean redeem) throws Exception {
        JsonNode o = json(expect(dist.client().post("/distributor/v1/orders", TestPlatform.order(ref, product, quantity, "100.00"), ref), 201));
        if (redeem) {
            for (JsonNode t : o.path("tickets")) {
                platform.platform().ticketing().tickets().redeem(new RedeemRequest(t.path("number").asText(), spot, "gate"));
            }
        }
        platform.drain();
    }

    /** A period end that has passed, after everything booked so far. */
    static Instant now() throws InterruptedException {
        Thread.sleep(5);
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void runsAreProposedByOneAdminApprovedByAnotherAndSettledOfflineAndOnline() throws Exception {
        // ---- rules, with refusals that change nothing
        int ruleRows = platform.count("SELECT count(*) FROM ticketing.profit_rules");
        problem(platform.admin("PUT", "/admin/v1/profit-rules",
                "{\"rules\":[{\"beneficiaryId\":\"s-nope\",\"stream\":\"MARGIN\",\"basisPoints\":100}]}"), 404, "unknown-party");
        JsonNode bad = problem(platform.admin("PUT", "/admin/v1/profit-rules",
                "{\"rules\":[{\"beneficiaryId\":\"" + spot + "\",\"stream\":\"BOGUS\",\"basisPoints\":0}]}"), 422, "validation-failed");
        assertThat(bad.path("errors").findValuesAsText("pointer")).contains("/rules/0/stream", "/rules/0/basisPoints");
        problem(platform.admin("PUT", "/admin/v1/profit-rules", "{\"rules\":[{\"beneficiaryId\":\"" + spot
                + "\",\"stream\":\"MARGIN\",\"basisPoints\":6000},{\"beneficiaryId\":\"" + dist.distributorId()
                + "\",\"stream\":\"MARGIN\",\"basisPoints\":6000}]}"), 422, "validation-failed");
        problem(platform.admin("PUT", "/admin/v1/profit-rules", "{\"rules\":{}}"), 422, "validation-failed");
        problem(platform.admin("PUT", "/admin/v1/profit-rules", "{\"rules\":["), 400, "malformed-json");
        problem(platform.send("PUT", "/admin/v1/profit-rules", "{\"rules\":[]}", "Content-Type", "application/json",
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN), 403, "forbidden");
        assertThat(platform.count("SELECT count(*) FROM ticketing.profit_rules")).isEqualTo(ruleRows);
        JsonNode rules = json(expect(platform.admin("PUT", "/admin/v1/profit-rules", "{\"rules\":["
                + "{\"beneficiaryId\":\"" + spot + "\",\"stream\":\"ISSUANCE_FEE\",\"basisPoints\":5000},"
                + "{\"beneficiaryId\":\"" + dist.distributorId() + "\",\"stream\":\"PAYOUT_FEE\",\"basisPoints\":1000}]}"), 200));
        assertThat(rules.path("items")).hasSize(2);
        assertThat(get("/admin/v1/profit-rules").path("items").findValuesAsText("stream")).containsExactlyInAnyOrder("ISSUANCE_FEE", "PAYOUT_FEE");

        // ---- period 1: fees 2.00 on issuance, 1.80 on payouts → shares 1.00 (spot) and 0.18 (distributor)
        sell("P-1", 2, true);
        Instant end1 = now();
        String period1 = "\"from\":\"" + start + "\",\"to\":\"" + end1 + "\"";
        int before = runs();
        problem(platform.admin("POST", "/admin/v1/profit-runs", "{\"from\":\"yesterday\",\"to\":\"" + end1 + "\",\"mode\":\"OFFLINE\"}"),
                422, "validation-failed");
        JsonNode mixed = problem(platform.admin("POST", "/admin/v1/profit-runs",
                "{\"from\":\"2026-01-01\",\"to\":\"" + end1 + "\",\"mode\":\"OFFLINE\"}"), 422, "validation-failed");
        assertThat(mixed.path("errors").findValuesAsText("pointer")).contains("/to");
        problem(platform.admin("POST", "/admin/v1/profit-runs", "{" + period1 + ",\"mode\":\"SOMETIMES\"}"), 422, "validation-failed");
        problem(platform.admin("POST", "/admin/v1/profit-runs", "{\"from\":\"" + start + "\",\"to\":\"2999-01-01T00:00:00Z\","
                + "\"mode\":\"OFFLINE\"}"), 422, "validation-failed"); // the period has not ended
        problem(platform.admin("POST", "/admin/v1/profit-runs", "{\"from\":1,\"to\":[],\"mode\":null}"), 422, "validation-failed");
        assertThat(runs()).isEqualTo(before);

        JsonNode offline = json(expect(platform.admin("POST", "/admin/v1/profit-runs", "{" + period1 + ",\"mode\":\"OFFLINE\"}"), 201));
        String run1 = offline.path("id").asText();
        assertThat(offline.path("state").asText()).isEqualTo("PROPOSED");
        assertThat(offline.path("proposedBy").asText()).isEqualTo("admin:ops");
        assertThat(offline.path("total").asText()).isEqualTo("1.18");
        assertThat(offline.path("byBeneficiary").path(spot).asText()).isEqualTo("1.00");
        assertThat(offline.path("byBeneficiary").path(dist.distributorId()).asText()).isEqualTo("0.18");
        problem(platform.admin("POST", "/admin/v1/profit-runs", "{" + period1 + ",\"mode\":\"ONLINE\"}"), 409, "period-overlaps");
        problem(platform.adminOnce("GET", "/admin/v1/profit-runs/" + run1 + "/export", null), 409, "invalid-state");

        // Maker-checker: the proposer's token cannot approve; an auditor cannot; another operator can.
        problem(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run1 + "/approve", null), 403, "approver-is-proposer");
        problem(platform.send("POST", "/admin/v1/profit-runs/" + run1 + "/approve", null,
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN, "Idempotency-Key", "a-1"), 403, "forbidden");
        problem(platform.send("POST", "/admin/v1/profit-runs/" + run1 + "/approve", null,
                "Authorization", "Bearer " + TestPlatform.CHECKER_TOKEN), 400, "idempotency-key-required");
        assertThat(get("/admin/v1/profit-runs/" + run1).path("state").asText()).isEqualTo("PROPOSED");
        JsonNode approved = json(expect(platform.checker("POST", "/admin/v1/profit-runs/" + run1 + "/approve", null), 200));
        assertThat(approved.path("state").asText()).isEqualTo("APPROVED");
        assertThat(approved.path("decidedBy").asText()).isEqualTo("admin:checker");

        HttpResponse<String> csv = platform.send("GET", "/admin/v1/profit-runs/" + run1 + "/export", null,
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("run_id,beneficiary_id,name,rail,account,amount,currency\r\n")
                .contains(spot + ",Profit Spot,ALIPAY,").contains(",1.00,CNY").contains(",0.18,CNY");

        // Paid by hand from the platform's Alipay account: the admin confirms it with the reference.
        problem(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run1 + "/confirm", "{\"reference\":\"BANK-1\",\"paidFrom\":\"PAY PAL\"}"),
                422, "validation-failed");
        problem(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run1 + "/confirm", "{\"reference\":\"no spaces allowed\"}"),
                422, "validation-failed");
        problem(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run1 + "/confirm", "{\"reference\":\"BANK-1\",\"paidFrom\":\"HUIJINBAO\"}"),
                422, "unsupported-rail");
        assertThat(get("/admin/v1/profit-runs/" + run1).path("state").asText()).isEqualTo("APPROVED");
        platform.sandbox().setPlatformBalance(platform.sandbox().platformBalance().minus(Money.parseCny("1.18")));
        JsonNode settled = json(expect(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run1 + "/confirm",
                "{\"reference\":\"BANK-1\",\"paidFrom\":\"ALIPAY\"}"), 200));
        assertThat(settled.path("state").asText()).isEqualTo("SETTLED");
        assertThat(settled.path("settledReference").asText()).isEqualTo("BANK-1");
        assertReconciled();

        // ---- period 2, online: proposed by the checker, approved by ops, paid by the payout job
        sell("P-2", 1, false);
        Instant end2 = now();
        JsonNode online = json(expect(platform.checker("POST", "/admin/v1/profit-runs",
                "{\"from\":\"" + end1 + "\",\"to\":\"" + end2 + "\",\"mode\":\"ONLINE\"}"), 201));
        String run2 = online.path("id").asText();
        assertThat(online.path("total").asText()).isEqualTo("0.50");
        problem(platform.checker("POST", "/admin/v1/profit-runs/" + run2 + "/approve", null), 403, "approver-is-proposer");
        JsonNode paying = json(expect(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run2 + "/approve", null), 200));
        assertThat(paying.path("payoutIds")).hasSize(1);
        platform.drain();
        assertThat(get("/admin/v1/profit-runs/" + run2).path("state").asText()).isEqualTo("SETTLED");
        JsonNode payout = get("/admin/v1/payouts/" + paying.path("payoutIds").get(0).asText());
        assertThat(payout.path("kind").asText()).isEqualTo("PROFIT_SHARE");
        assertThat(payout.path("state").asText()).isEqualTo("DONE");
        assertThat(payout.path("partyId").asText()).isEqualTo(spot);
        problem(platform.adminOnce("POST", "/admin/v1/profit-runs/" + run2 + "/confirm", "{\"reference\":\"X-1\"}"), 409, "invalid-state");
        assertReconciled();

        // ---- period 3: turned down by the checker; a decided run cannot be turned down again
        Instant end3 = now();
        String run3 = json(expect(platform.admin("POST", "/admin/v1/profit-runs",
                "{\"from\":\"" + end2 + "\",\"to\":\"" + end3 + "\",\"mode\":\"OFFLINE\"}"), 201)).path("id").asText();
        problem(platform.checker("POST", "/admin/v1/profit-runs/" + run3 + "/reject", "{}"), 422, "validation-failed");
        JsonNode rejected = json(expect(platform.checker("POST", "/admin/v1/profit-runs/" + run3 + "/reject",
                "{\"reason\":\"the period is too short\"}"), 200));
        assertThat(rejected.path("state").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("decisionNote").asText()).isEqualTo("the period is too short");
        problem(platform.checker("POST", "/admin/v1/profit-runs/" + run3 + "/reject", "{\"reason\":\"again\"}"), 409, "invalid-state");
        problem(platform.checker("POST", "/admin/v1/profit-runs/" + run3 + "/approve", null), 409, "invalid-state");

        JsonNode list = json(expect(platform.send("GET", "/admin/v1/profit-runs", null,
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN), 200));
        assertThat(list.path("items").findValuesAsText("id")).containsExactly(run3, run2, run1);
        problem(platform.admin("GET", "/admin/v1/profit-runs/pr-nope", null), 404, "unknown-profit-run");
        problem(platform.adminOnce("POST", "/admin/v1/profit-runs/pr-nope/approve", null), 404, "unknown-profit-run");

        // ---- the report over both periods shows the shares as an expense, and the ledger's totals
        JsonNode report = get("/admin/v1/reports/financial?from=" + start + "&to=" + end3);
        assertThat(report.path("summary").path("profit_shares").asText()).isEqualTo("1.68");
        assertThat(report.path("summary").path("profit_payables").asText()).isEqualTo("0.00");
        assertThat(report.path("trial_balance").path("balanced").asBoolean()).isTrue();
        assertThat(report.path("trial_balance").path("debits").asText())
                .isEqualTo(get("/admin/v1/trial-balance").path("totalDebits").asText());
    }

    private static void assertReconciled() {
        JsonNode rec = get("/admin/v1/reconciliation");
        assertThat(rec.path("balanced").asBoolean()).as(rec.toString()).isTrue();
    }
}
