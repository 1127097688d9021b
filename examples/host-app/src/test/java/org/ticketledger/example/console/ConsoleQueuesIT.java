package org.ticketledger.example.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.alipay.sandbox.SandboxAccount;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.testing.ConsoleClient;
import org.ticketledger.example.testing.ShiftClock;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;

/**
 * The console's view of items people must look at, over HTTP: a payout and an invest that ended
 * in MANUAL_REVIEW are marked resolved without moving money, the balances page highlights a rail
 * that disagrees with the ledger, and admin API writes appear on the audit page with their actor.
 */
class ConsoleQueuesIT {

    private static final String TRANSFER = "alipay.fund.trans.uni.transfer";
    private static final String FUNDING = "api POST /admin/v1/platform/funding";
    private static final Pattern RAIL_ROW = Pattern.compile("<tr class=\"([^\"]*)\" data-rail=\"([A-Z_]+)\">");
    private static final Pattern AUDIT_ROW = Pattern.compile(
            "<tr data-action=\"([^\"]*)\">\\s*<td>[^<]*</td><td>([^<]*)</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>");

    static final ShiftClock CLOCK = new ShiftClock();
    static TestPlatform platform;
    static HuijinbaoSandbox hjb;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(b -> b.clock(CLOCK));
        platform.consoleAdmin("carol", "carol-password-1", Principal.AdminRole.OPERATOR);
        platform.onboardPlatformOnBothRails("1000.00");
        hjb = platform.platform().rails().huijinbaoSandbox().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static ConsoleClient carol() {
        return new ConsoleClient(platform.base()).loggedIn("carol", "carol-password-1");
    }

    // ------------------------------------------------------------------ manual review

    @Test
    void aPayoutInManualReviewIsMarkedResolvedWithAReasonAndNoMoneyMoves() throws Exception {
        String spot = platform.onboardSpot("Review Spot");
        String product = platform.publish(spot, "100.00", "90.00");
        var distributor = platform.onboardDistributor("Review Travel", "500.00");
        JsonNode order = TestPlatform.json(TestPlatform.expect(distributor.client().post("/distributor/v1/orders",
                TestPlatform.order("MR-1", product, 1, "100.00"), "mr-1"), 201));
        String payoutId;
        platform.sandbox().injectFault(TRANSFER, AlipayFault.UNKNOWN_OUTCOME, 1_000);
        try {
            RedeemResult r = platform.platform().ticketing().tickets().redeem(
                    new RedeemRequest(order.path("tickets").get(0).path("number").asText(), spot, "gate"));
            payoutId = ((RedeemResult.Redeemed) r).payout().id();
            // The transfer never gets a final answer; once the retry window has passed it waits for a person.
            for (int i = 0; i < 20 && payout(payoutId).state() != PayoutState.MANUAL_REVIEW; i++) {
                platform.drain();
                CLOCK.advance(Duration.ofSeconds(1));
            }
        } finally {
            platform.sandbox().clearFaults();
        }
        assertThat(payout(payoutId).state()).isEqualTo(PayoutState.MANUAL_REVIEW);
        assertThat(payout(payoutId).reason()).hasValueSatisfying(x -> assertThat(x).contains("retry window"));

        ConsoleClient carol = carol();
        assertThat(carol.get("/console/queues/payouts?state=MANUAL_REVIEW").body()).contains("data-id=\"" + payoutId + "\"", "Review Spot");
        assertThat(carol.get("/console/payouts/" + payoutId).body()).contains("MANUAL_REVIEW", "id=\"resolve-form\"");

        Books books = books();
        String reason = "paid by bank transfer BT-7781 after checking with Alipay";
        HttpResponse<String> resolved = carol.submit("/console/payouts/" + payoutId + "/resolve", "reason", reason);
        assertThat(resolved.statusCode()).isEqualTo(303);
        assertThat(resolved.headers().firstValue("Location").orElseThrow()).contains("ok=flash.resolved");

        assertThat(carol.get("/console/queues/payouts?state=MANUAL_REVIEW").body()).doesNotContain("data-id=\"" + payoutId + "\"");
        assertThat(carol.get("/console/queues/payouts?state=MANUAL_REVIEW&resolved=1").body()).contains("data-id=\"" + payoutId + "\"");
        String page = carol.get("/console/payouts/" + payoutId).body();
        assertThat(page).contains("id=\"resolution\"", "console:carol", "BT-7781").doesNotContain("id=\"resolve-form\"", "id=\"retry\"");
        // The first resolution stands.
        assertThat(carol.submit("/console/payouts/" + payoutId + "/resolve", "reason", "again").headers().firstValue("Location")
                .orElseThrow()).contains("err=flash.alreadyResolved");

        assertThat(platform.app().auditLog().bySubject(payoutId)).filteredOn(x -> x.action().equals("payout.resolved"))
                .singleElement().satisfies(x -> {
                    assertThat(x.actor()).isEqualTo("console:carol");
                    assertThat(x.detail()).contains(reason);
                });
        assertThat(carol.get("/console/audit?q=" + payoutId).body()).contains("payout.resolved", "BT-7781");

        // Marking resolved is a note for people: ticketing's state, the ledger and the rail are untouched.
        assertThat(payout(payoutId).state()).isEqualTo(PayoutState.MANUAL_REVIEW);
        assertThat(books()).isEqualTo(books);
    }

    @Test
    void anInvestInManualReviewIsMarkedResolvedAndNoMoneyMoves() throws Exception {
        // A plan the wealth rail does not know: the invest is declined for good, not for lack of funds.
        PlanId plan = PlanId.of("PLAN-GONE");
        String spotA = platform.onboardSpot("Combo Spot A");
        String spotB = platform.onboardSpot("Combo Spot B");
        var distributor = platform.onboardDistributor("Combo Travel", "1000.00");
        LocalDate today = TestPlatform.today();
        Outcome<ComboProduct> combo = platform.platform().ticketing().combos().publish(new ComboDraft("Review combo", "",
                Money.parseCny("200.00"), List.of(new SpotPrice(spotA, Money.parseCny("80.00")), new SpotPrice(spotB, Money.parseCny("80.00"))),
                today, today.plusDays(30), 1, today.plusDays(60), plan.value(), ""), "test");
        assertThat(combo).isInstanceOf(Outcome.Ok.class);
        String comboId = ((Outcome.Ok<ComboProduct>) combo).value().product().id();
        JsonNode order = TestPlatform.json(TestPlatform.expect(distributor.client().post("/distributor/v1/orders",
                TestPlatform.order("MRI-1", comboId, 1, "200.00"), "mri-1"), 201));
        platform.drain();
        List<PlanInstruction> invests = platform.platform().ticketing().wealth().byOrder(order.path("id").asText());
        assertThat(invests).hasSize(1);
        String id = invests.get(0).id();
        assertThat(instruction(id).state()).isEqualTo(InstructionState.MANUAL_REVIEW);
        // The plan now exists (empty) at the rail, so the position reconciles as the other tests expect.
        hjb.openPlan(plan, 300);

        ConsoleClient carol = carol();
        assertThat(carol.get("/console/queues/instructions?state=MANUAL_REVIEW").body()).contains("data-id=\"" + id + "\"", "PLAN-GONE");
        assertThat(carol.get("/console/instructions/" + id).body()).contains("MANUAL_REVIEW", "id=\"resolve-form\"");

        Books books = books();
        HttpResponse<String> resolved = carol.submit("/console/instructions/" + id + "/resolve", "reason", "plan withdrawn by the bank; invested by hand");
        assertThat(resolved.headers().firstValue("Location").orElseThrow()).contains("ok=flash.resolved");
        assertThat(carol.get("/console/queues/instructions?state=MANUAL_REVIEW").body()).doesNotContain("data-id=\"" + id + "\"");
        assertThat(carol.get("/console/queues/instructions?state=MANUAL_REVIEW&resolved=1").body()).contains("data-id=\"" + id + "\"");
        assertThat(carol.get("/console/instructions/" + id).body()).contains("id=\"resolution\"", "plan withdrawn by the bank");
        assertThat(platform.app().auditLog().bySubject(id)).filteredOn(x -> x.action().equals("instruction.resolved"))
                .singleElement().satisfies(x -> assertThat(x.detail()).contains("plan withdrawn by the bank"));

        assertThat(instruction(id).state()).isEqualTo(InstructionState.MANUAL_REVIEW);
        assertThat(books()).isEqualTo(books);
    }

    // ------------------------------------------------------------------ reconciliation

    @Test
    void theBalancesPageMarksARailThatDisagreesWithTheLedger() throws Exception {
        ConsoleClient carol = carol();
        Map<String, String> agreeing = railRows(carol.get("/console/balances").body());
        assertThat(agreeing).containsOnlyKeys("ALIPAY", "HUIJINBAO").allSatisfy((rail, css) -> assertThat(css).as(rail).isEmpty());

        Money before = platform.sandbox().platformBalance();
        platform.sandbox().setPlatformBalance(before.plus(Money.parseCny("12.34")));
        try {
            String page = carol.get("/console/balances").body();
            Map<String, String> rows = railRows(page);
            assertThat(rows).containsEntry("ALIPAY", "differs").containsEntry("HUIJINBAO", "");
            assertThat(page).contains("<p class=\"card bad\" id=\"reconciliation-status\">");
            String alipayRow = page.substring(page.indexOf("data-rail=\"ALIPAY\""));
            alipayRow = alipayRow.substring(0, alipayRow.indexOf("</tr>"));
            assertThat(alipayRow).contains("<td class=\"num diff\">12.34</td>");
        } finally {
            platform.sandbox().setPlatformBalance(before);
        }
        assertThat(railRows(carol.get("/console/balances").body())).containsEntry("ALIPAY", "");
    }

    // ------------------------------------------------------------------ audit

    @Test
    void anAdminApiWriteAppearsOnTheAuditPageWithItsActor() throws Exception {
        ConsoleClient carol = carol();
        List<String[]> before = auditRows(carol.get("/console/audit?q=platform%2Ffunding").body(), FUNDING);

        // Money really put into the platform's Alipay account, booked through the admin API.
        platform.sandbox().setPlatformBalance(platform.sandbox().platformBalance().plus(Money.parseCny("50.00")));
        TestPlatform.expect(platform.send("POST", "/admin/v1/platform/funding",
                "{\"rail\":\"ALIPAY\",\"amount\":\"50.00\",\"reference\":\"audit-funding-1\"}",
                "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN, "Content-Type", "application/json",
                "Idempotency-Key", "audit-funding-1"), 201);
        // A refused write is recorded too, by whoever tried it.
        int refused = platform.send("POST", "/admin/v1/platform/funding",
                "{\"rail\":\"NO-SUCH-RAIL\",\"amount\":\"1.00\",\"reference\":\"audit-funding-2\"}",
                "Authorization", "Bearer " + TestPlatform.CHECKER_TOKEN, "Content-Type", "application/json",
                "Idempotency-Key", "audit-funding-2").statusCode();
        assertThat(refused).isBetween(400, 499);

        List<String[]> after = auditRows(carol.get("/console/audit?q=platform%2Ffunding").body(), FUNDING);
        assertThat(after).hasSize(before.size() + 2);
        // Newest first.
        assertThat(after.get(0)).containsExactly(FUNDING, "admin:checker", "/admin/v1/platform/funding", "answered " + refused);
        assertThat(after.get(1)).containsExactly(FUNDING, "admin:ops", "/admin/v1/platform/funding", "answered 201");
        // A search by actor finds it as well.
        assertThat(auditRows(carol.get("/console/audit?q=admin%3Achecker").body(), FUNDING)).hasSize(1);
        assertThat(railRows(carol.get("/console/balances").body())).containsEntry("ALIPAY", "");
    }

    // ------------------------------------------------------------------ helpers

    private static Payout payout(String id) {
        return platform.platform().ticketing().payouts().payout(id).orElseThrow();
    }

    private static PlanInstruction instruction(String id) {
        return platform.platform().ticketing().wealth().instruction(id).orElseThrow();
    }

    /** Everything money: the ledger (to its last sequence) and every sandbox account on both rails. */
    private record Books(TrialBalance ledger, Map<String, Money> alipay, int alipayTransactions, Money hjbPlatform,
                         Money hjbTotal, int hjbOrders) {
    }

    private static Books books() {
        LedgerId ledger = platform.platform().ticketing().parties().platform().orElseThrow().ledger();
        Map<String, Money> alipay = new TreeMap<>();
        for (SandboxAccount a : platform.sandbox().accounts()) {
            alipay.put(a.userId(), platform.sandbox().balance(a.userId()));
        }
        return new Books(platform.platform().journal().trialBalance(ledger, AsOf.latest()), alipay,
                platform.sandbox().transactions().size(), hjb.platformBalance(), hjb.totalFunds(), hjb.orders().size());
    }

    /** Rail → CSS class of its row in the reconciliation table. */
    private static Map<String, String> railRows(String html) {
        Map<String, String> rows = new TreeMap<>();
        Matcher m = RAIL_ROW.matcher(html);
        while (m.find()) {
            rows.put(m.group(2), m.group(1));
        }
        return rows;
    }

    /** The audit table's rows of {@code action}: action, actor, subject, detail. */
    private static List<String[]> auditRows(String html, String action) {
        List<String[]> rows = new ArrayList<>();
        Matcher m = AUDIT_ROW.matcher(html);
        while (m.find()) {
            if (m.group(1).equals(action)) {
                rows.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
            }
        }
        return rows;
    }
}
