package org.ticketledger.example.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.testing.ConsoleClient;
import org.ticketledger.example.testing.ShiftClock;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.profit.ProfitRunState;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;

/**
 * Work done in the console over HTTP, on a platform with a clock the test moves: orders waiting
 * for a distributor's top-up (SMS, collect again, mark resolved), an invest short of funds at
 * the wealth rail, profit distribution through two admins, and statements down to the entries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleWorkflowIT {

    static final ShiftClock CLOCK = new ShiftClock();
    static TestPlatform platform;
    static HuijinbaoSandbox hjb;
    static String spot;
    static String spot2;
    static TestPlatform.Onboarded distributor;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start(b -> b.clock(CLOCK));
        platform.consoleAdmin("alice", "alice-password-1", Principal.AdminRole.OPERATOR);
        platform.consoleAdmin("bob", "bob-password-123", Principal.AdminRole.OPERATOR);
        platform.onboardPlatformOnBothRails("2000.00");
        hjb = platform.platform().rails().huijinbaoSandbox().orElseThrow();
        spot = platform.onboardSpot("Workflow Spot");
        spot2 = platform.onboardSpot("Second Spot");
        distributor = platform.onboardDistributor("Workflow Travel", "5000.00");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static ConsoleClient as(String user, String password) {
        return new ConsoleClient(platform.base()).loggedIn(user, password);
    }

    private static String extract(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertThat(m.find()).as("%s in page", regex).isTrue();
        return m.group(1);
    }

    @Test
    void anOrderAwaitingTopUpShowsItsSmsIsCollectedAgainAndAnotherIsMarkedResolved() throws Exception {
        String product = platform.publish(spot, "100.00", "90.00");
        var poor = platform.onboardDistributor("Poor Travel", "50.00");
        JsonNode first = TestPlatform.json(poor.client().post("/distributor/v1/orders", TestPlatform.order("P-1", product, 1, "100.00"), "p-1"));
        JsonNode second = TestPlatform.json(poor.client().post("/distributor/v1/orders", TestPlatform.order("P-2", product, 1, "100.00"), "p-2"));
        String firstId = first.path("id").asText();
        String secondId = second.path("id").asText();
        platform.drain();
        assertThat(platform.platform().ticketing().orders().order(firstId).orElseThrow().state()).isEqualTo(OrderState.AWAITING_TOPUP);

        ConsoleClient alice = as("alice", "alice-password-1");
        String queue = alice.get("/console/queues/orders").body();
        assertThat(queue).contains("data-id=\"" + firstId + "\"", "data-id=\"" + secondId + "\"", "Poor Travel");
        String page = alice.get("/console/orders/" + firstId).body();
        assertThat(page).contains("id=\"sms\"", "AWAITING_TOPUP", "id=\"reapply\"");

        // The distributor tops up; the operator collects again on its behalf.
        platform.sandbox().setBalance(poor.payer().identity(), Money.parseCny("1000.00"));
        HttpResponse<String> reapply = alice.submit("/console/orders/" + firstId + "/reapply");
        assertThat(reapply.statusCode()).isEqualTo(303);
        assertThat(reapply.headers().firstValue("Location").orElseThrow()).contains("ok=flash.reapply.issued");
        assertThat(platform.platform().ticketing().orders().order(firstId).orElseThrow().state()).isEqualTo(OrderState.ISSUED);

        // The other one was settled by phone: marked resolved, it leaves the queue but keeps its state.
        alice.get("/console/orders/" + secondId);
        assertThat(alice.submit("/console/orders/" + secondId + "/resolve", "reason", "").headers().firstValue("Location").orElseThrow())
                .contains("err=flash.reasonRequired");
        alice.get("/console/orders/" + secondId);
        alice.submit("/console/orders/" + secondId + "/resolve", "reason", "distributor cancelled by phone");
        assertThat(alice.get("/console/queues/orders").body()).doesNotContain("data-id=\"" + secondId + "\"");
        assertThat(alice.get("/console/queues/orders?state=AWAITING_TOPUP&resolved=1").body()).contains("distributor cancelled by phone");
        assertThat(alice.get("/console/orders/" + secondId).body()).contains("id=\"resolution\"", "console:alice");
        assertThat(platform.platform().ticketing().orders().order(secondId).orElseThrow().state()).isEqualTo(OrderState.AWAITING_TOPUP);
        assertThat(platform.app().auditLog().bySubject(secondId)).extracting(r -> r.action()).contains("order.resolved");
    }

    @Test
    void anInvestShortOfFundsAtTheWealthRailIsRetriedFromTheQueue() throws Exception {
        PlanId plan = PlanId.of("PLAN-WF");
        hjb.openPlan(plan, 300);
        LocalDate today = TestPlatform.today();
        Outcome<ComboProduct> combo = platform.platform().ticketing().combos().publish(new ComboDraft("Workflow combo", "",
                Money.parseCny("200.00"), List.of(new SpotPrice(spot, Money.parseCny("80.00")), new SpotPrice(spot2, Money.parseCny("80.00"))),
                today, today.plusDays(30), 1, today.plusDays(60), plan.value(), ""), "test");
        String comboId = ((Outcome.Ok<ComboProduct>) combo).value().product().id();
        Money before = hjb.platformBalance();
        hjb.setBalance(hjb.platformAccount(), Money.cny(0));
        JsonNode order = TestPlatform.json(TestPlatform.expect(distributor.client().post("/distributor/v1/orders",
                TestPlatform.order("C-1", comboId, 1, "200.00"), "c-1"), 201));
        platform.drain();
        List<PlanInstruction> invests = platform.platform().ticketing().wealth().byOrder(order.path("id").asText());
        assertThat(invests).hasSize(1);
        PlanInstruction invest = invests.get(0);
        assertThat(invest.state()).isEqualTo(InstructionState.AWAITING_FUNDS);

        ConsoleClient alice = as("alice", "alice-password-1");
        assertThat(alice.get("/console/queues/instructions").body()).contains("data-id=\"" + invest.id() + "\"", "PLAN-WF", "200.00");
        String page = alice.get("/console/instructions/" + invest.id()).body();
        assertThat(page).contains("AWAITING_FUNDS", "id=\"retry\"", "id=\"sms\"");

        hjb.setBalance(hjb.platformAccount(), before);
        HttpResponse<String> retried = alice.submit("/console/instructions/" + invest.id() + "/retry");
        assertThat(retried.headers().firstValue("Location").orElseThrow()).contains("ok=flash.retried");
        platform.drain();
        assertThat(platform.platform().ticketing().wealth().instruction(invest.id()).orElseThrow().state()).isEqualTo(InstructionState.DONE);
        assertThat(alice.get("/console/balances").body()).contains("platform:huijinbao:wealth", "PLAN-WF");
    }

    /** Last: it moves the platform's clock a day on, past the period it shares. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aProfitRunIsApprovedOnlyByADifferentAdmin() throws Exception {
        String product = platform.publish(spot, "100.00", "90.00");
        TestPlatform.expect(distributor.client().post("/distributor/v1/orders", TestPlatform.order("PR-1", product, 5, "100.00"), "pr-1"), 201);
        LocalDate day = TestPlatform.today();
        CLOCK.advance(Duration.ofDays(1));

        ConsoleClient alice = as("alice", "alice-password-1");
        alice.get("/console/profits");
        alice.submit("/console/profits/rules", "beneficiaryId", spot, "stream", "ISSUANCE_FEE", "basisPoints", "1000");
        alice.get("/console/profits");
        HttpResponse<String> proposed = alice.submit("/console/profits", "from", day.toString(), "to", day.toString(), "mode", "OFFLINE");
        String location = proposed.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("ok=flash.profitProposed");
        String runId = extract(location, "/console/profits/([^?]+)\\?");
        String own = alice.get("/console/profits/" + runId).body();
        assertThat(own).contains("id=\"own-run\"").doesNotContain("id=\"approve-run\"");
        // Forcing it is refused by ticketing's own check, and changes nothing.
        HttpResponse<String> forced = alice.submit("/console/profits/" + runId + "/approve");
        assertThat(forced.headers().firstValue("Location").orElseThrow()).contains("code=APPROVER_IS_PROPOSER");
        assertThat(platform.platform().ticketing().profits().run(runId).orElseThrow().state()).isEqualTo(ProfitRunState.PROPOSED);

        ConsoleClient bob = as("bob", "bob-password-123");
        assertThat(bob.get("/console").body()).contains("id=\"tile-approvals\"");
        assertThat(bob.get("/console/profits/" + runId).body()).contains("id=\"approve-run\"");
        bob.submit("/console/profits/" + runId + "/approve");
        assertThat(platform.platform().ticketing().profits().run(runId).orElseThrow().state()).isEqualTo(ProfitRunState.APPROVED);
        HttpResponse<String> csv = bob.get("/console/profits/" + runId + "/export.csv");
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.body()).contains(spot);
        bob.get("/console/profits/" + runId);
        bob.submit("/console/profits/" + runId + "/confirm", "reference", "BANK-2026-001", "paidFrom", "OUTSIDE");
        assertThat(platform.platform().ticketing().profits().run(runId).orElseThrow().state()).isEqualTo(ProfitRunState.SETTLED);

        String audit = bob.get("/console/audit?q=" + runId).body();
        assertThat(audit).contains("profit.proposed", "profit.approved", "profit.settled", "console:alice", "console:bob");
    }

    @Test
    void aStatementDrillsDownToTheEntries() throws Exception {
        String product = platform.publish(spot, "100.00", "90.00");
        TestPlatform.expect(distributor.client().post("/distributor/v1/orders", TestPlatform.order("S-1", product, 1, "100.00"), "s-1"), 201);
        ConsoleClient alice = as("alice", "alice-password-1");
        String balances = alice.get("/console/balances").body();
        assertThat(balances).contains("id=\"reconciliation-status\"", "/console/statement?account=platform%3Aalipay%3Asettlement");
        String statement = alice.get("/console/statement?account=platform%3Aalipay%3Asettlement").body();
        String seq = extract(statement, "data-sequence=\"([0-9]+)\"");
        String entry = alice.get("/console/entries/" + seq).body();
        assertThat(entry).contains("id=\"postings\"", "platform:alipay:settlement");
        assertThat(alice.get("/console/statement?account=NOT%20A%20CODE").statusCode()).isEqualTo(404);
        assertThat(alice.get("/console/entries/999999").statusCode()).isEqualTo(404);
    }
}
