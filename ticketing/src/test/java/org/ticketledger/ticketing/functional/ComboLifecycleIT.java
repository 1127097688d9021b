package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.huijinbao.sandbox.SandboxPosition;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;
import org.ticketledger.ticketing.reconcile.WealthLine;
import org.ticketledger.ticketing.report.AccountActivity;
import org.ticketledger.ticketing.report.FinancialReport;
import org.ticketledger.ticketing.report.ReportFormat;
import org.ticketledger.ticketing.report.SpotFigures;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.wealth.InstructionKind;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.PlanState;
import org.ticketledger.ticketing.wealth.TicketYield;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * The combo flow end to end, over Postgres and both sandboxes (real HTTP): a 3-spot combo, 50
 * tickets sold by an Alipay and a Huijinbao distributor, invested in a wealth plan; 30 redeemed at
 * every spot, 15 at some, 5 never; the clock goes past expiry. Every payout is made once, the plan
 * ends empty, the yield booked is the sandbox's to the fen and adds up over the tickets, breakage
 * is the unredeemed value, the trial balance is balanced, reconciliation agrees and the report's
 * totals are the ledger's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComboLifecycleIT {

    private static final Money D = Money.parseCny("100.00");

    private ComboWorld w;
    private Instant start;
    private ScenicSpot lake;
    private ScenicSpot temple;
    private ScenicSpot garden;
    private Distributor onAlipay;
    private Distributor onHjb;
    private PlanId plan;
    private ComboProduct combo;

    @BeforeAll
    void world() {
        w = ComboWorld.start();
        start = w.clock.instant().minusSeconds(1);
        w.onboardPlatform(Money.parseCny("1000.00"), Money.parseCny("3000.00"));
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.proportional(100, 100, 10_000), "admin").orElseThrow();
        w.ticketing.fees().setDefault(FeeKind.PAYOUT, FeeRule.proportional(100, 0, 10_000), "admin").orElseThrow();
        lake = w.alipaySpot("West Lake");
        temple = w.hjbSpot("Lingyin Temple");
        garden = w.alipaySpot("Humble Garden");
        onAlipay = w.alipayDistributor("Alipay Travel", Money.parseCny("3000.00"));
        onHjb = w.hjbDistributor("Huijinbao Tours", Money.parseCny("3000.00"));
        plan = w.newPlan();
        combo = w.publish(w.draft(plan, "100.00", 30, 40, ComboWorld.price(lake, "30.00"),
                ComboWorld.price(temple, "25.50"), ComboWorld.price(garden, "20.00")));
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void fiftyTicketsFromIssuanceToExpiryEndWithEverythingReconciledToTheFen() throws Exception {
        // ---- issue 50 tickets in 10 orders on both rails
        List<Ticket> tickets = new ArrayList<>();
        int[] alipayQty = {4, 6, 3, 7, 5};
        int[] hjbQty = {5, 5, 8, 2, 5};
        for (int i = 0; i < 5; i++) {
            tickets.addAll(w.issue(onAlipay, combo, "A-" + i, alipayQty[i]));
            tickets.addAll(w.issue(onHjb, combo, "H-" + i, hjbQty[i]));
        }
        assertThat(tickets).hasSize(50);
        w.settle(Duration.ofSeconds(20), () -> instructions(InstructionKind.INVEST).stream()
                .allMatch(i -> i.state() == InstructionState.DONE), "all invests done");
        assertThat(instructions(InstructionKind.INVEST)).hasSize(10);
        assertThat(w.balance("platform:huijinbao:wealth")).isEqualTo(Money.parseCny("5000.00"));
        assertThat(w.hjb.position(plan).principal()).isEqualTo(Money.parseCny("5000.00"));
        w.assertReconciled();

        // ---- redeem over two weeks: 30 at every spot (in every order), 15 at one or two spots, 5 never
        List<ScenicSpot> spots = List.of(lake, temple, garden);
        List<List<ScenicSpot>> orders = List.of(List.of(lake, temple, garden), List.of(lake, garden, temple),
                List.of(temple, lake, garden), List.of(temple, garden, lake), List.of(garden, lake, temple),
                List.of(garden, temple, lake));
        Map<String, List<ScenicSpot>> redeemed = new HashMap<>();
        int[] visitsByDay = {3, 5, 6};
        for (int round = 0; round < 3; round++) {
            w.advance(Duration.ofDays(visitsByDay[round]));
            for (int i = 0; i < 45; i++) {
                boolean full = i < 30;
                int visits = full ? 3 : 1 + i % 2;
                if (round >= visits) {
                    continue;
                }
                ScenicSpot at = orders.get(i % 6).get(round);
                RedeemResult r = w.ticketing.tickets().redeem(new RedeemRequest(tickets.get(i).number(), at.id(), "gate"));
                assertThat(r).as("redeem %d at %s", i, at.name()).isInstanceOf(RedeemResult.Redeemed.class);
                redeemed.computeIfAbsent(tickets.get(i).id(), k -> new ArrayList<>()).add(at);
            }
            w.drain(20);
        }
        int redemptions = redeemed.values().stream().mapToInt(List::size).sum();
        assertThat(redemptions).isEqualTo(30 * 3 + 8 * 1 + 7 * 2);
        w.settle(Duration.ofSeconds(30), () -> payouts(tickets).stream().allMatch(p -> p.state() == PayoutState.DONE)
                && instructions(InstructionKind.WITHDRAW).stream().allMatch(i -> i.state() == InstructionState.DONE),
                "all payouts and withdraws done");
        assertThat(instructions(InstructionKind.WITHDRAW)).hasSize(redemptions);
        w.assertReconciled();

        // The value still standing for the 20 tickets not fully used is what expiry must turn into breakage.
        long expectedBreakage = 0;
        for (int i = 30; i < 50; i++) {
            long used = redeemed.getOrDefault(tickets.get(i).id(), List.of()).stream()
                    .mapToLong(s -> s == lake ? 3000 : s == temple ? 2550 : 2000).sum();
            expectedBreakage += D.minor() - used;
        }
        assertThat(w.balance("tickets:unredeemed")).isEqualTo(Money.cny(expectedBreakage));
        Money principalLeft = Money.cny(5000_00 - redeemed.values().stream().flatMap(List::stream)
                .mapToLong(s -> s == lake ? 3000 : s == temple ? 2550 : 2000).sum());
        assertThat(w.hjb.position(plan).principal()).isEqualTo(principalLeft);

        // ---- past expiry (day 40 at 00:00 Beijing)
        w.advance(Duration.ofDays(27));
        SandboxPosition before = w.hjb.position(plan);
        Money yieldBefore = w.hjb.yieldPaid();
        w.settle(Duration.ofSeconds(30), () -> w.ticketing.wealth().plan(plan.value()).orElseThrow().state() == PlanState.CLOSED,
                "plan closed");
        WealthPlan closed = w.ticketing.wealth().plan(plan.value()).orElseThrow();
        Money railYield = w.hjb.yieldPaid().minus(yieldBefore);

        // The plan is empty at the rail and in the books; one redeem-all.
        assertThat(w.hjb.position(plan).principal()).isEqualTo(Money.cny(0));
        assertThat(w.hjb.position(plan).accruedYield()).isEqualTo(Money.cny(0));
        assertThat(w.balance("platform:huijinbao:wealth")).isEqualTo(Money.cny(0));
        assertThat(w.hjb.orders().stream().filter(o -> o.type() == InstructionType.REDEEM_ALL)).hasSize(1);
        assertThat(closed.principal()).contains(principalLeft);

        // The yield booked is the sandbox's to the fen, and the tickets' shares add up to it.
        assertThat(railYield.isPositive()).isTrue();
        assertThat(railYield).isEqualTo(before.accruedYield());
        assertThat(closed.yield()).contains(railYield);
        assertThat(w.balance("revenue:investment-yield")).isEqualTo(railYield);
        List<TicketYield> yields = w.ticketing.wealth().yields(plan.value());
        assertThat(yields).hasSize(50);
        assertThat(yields.stream().mapToLong(y -> y.yield().minor()).sum()).isEqualTo(railYield.minor());
        // With one rate and Beijing days, the weights (fen × days) are the rail's own basis exactly...
        BigInteger weights = yields.stream().map(TicketYield::weight).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(weights.multiply(BigInteger.valueOf(ComboWorld.RATE_BP))).isEqualTo(before.yieldBasis());
        // ...so each ticket's share is within a fen of what its own money earned.
        for (TicketYield y : yields) {
            BigInteger exact100 = y.weight().multiply(BigInteger.valueOf(ComboWorld.RATE_BP * 100L))
                    .divide(BigInteger.valueOf(3_650_000));
            assertThat(Math.abs(y.yield().minor() * 100 - exact100.longValue())).as("ticket %s", y.ticketId()).isLessThan(100);
        }
        Map<String, Long> byTicket = new HashMap<>();
        yields.forEach(y -> byTicket.put(y.ticketId(), y.yield().minor()));
        assertThat(byTicket.get(tickets.get(49).id())).as("never redeemed: its money stayed longest")
                .isGreaterThan(byTicket.get(tickets.get(0).id()));

        // Breakage is the unredeemed value; tickets are EXPIRED or REDEEMED; nothing stands in "unredeemed".
        assertThat(w.balance("revenue:breakage")).isEqualTo(Money.cny(expectedBreakage));
        assertThat(w.balance("tickets:unredeemed")).isEqualTo(Money.cny(0));
        for (int i = 0; i < 50; i++) {
            Ticket t = w.ticketing.tickets().ticket(tickets.get(i).id()).orElseThrow();
            assertThat(t.state()).as("ticket %d", i).isEqualTo(i < 30 ? TicketState.REDEEMED : TicketState.EXPIRED);
        }
        assertThat(w.balance("revenue:margin")).isEqualTo(Money.parseCny("24.50").times(30));

        // Every payout once: each spot received exactly its redemptions × (S − 1 % fee).
        Map<ScenicSpot, Integer> visits = new HashMap<>();
        redeemed.values().forEach(l -> l.forEach(s -> visits.merge(s, 1, Integer::sum)));
        assertThat(w.alipay.balance(lake.receivingAccount().account().identity()))
                .isEqualTo(Money.parseCny("29.70").times(visits.get(lake)));
        assertThat(w.hjb.balance(temple.receivingAccount().account().identity()))
                .isEqualTo(Money.parseCny("25.24").times(visits.get(temple)));
        assertThat(w.alipay.balance(garden.receivingAccount().account().identity()))
                .isEqualTo(Money.parseCny("19.80").times(visits.get(garden)));
        assertThat(payouts(tickets)).hasSize(redemptions).allMatch(p -> p.state() == PayoutState.DONE);
        assertThat(w.hjb.orders().stream().filter(o -> o.type() == InstructionType.PAYOUT)).hasSize(visits.get(temple));
        assertThat(w.hjb.orders().stream().filter(o -> o.type() == InstructionType.SUBSCRIBE)).hasSize(10);
        assertThat(w.hjb.orders().stream().filter(o -> o.type() == InstructionType.REDEEM)).hasSize(redemptions);
        for (ScenicSpot s : spots) {
            assertThat(w.balance("scenic:" + s.id() + ":payable")).isEqualTo(Money.cny(0));
        }

        // The books balance and agree with both rails and the (empty) wealth position.
        assertThat(w.trialBalanced()).isTrue();
        assertThat(w.journal.verify(w.ledger()).ok()).isTrue();
        ReconciliationReport rec = w.ticketing.reconciliation().check();
        assertThat(rec.balanced()).as("reconciliation %s", rec).isTrue();
        assertThat(rec.lines()).hasSize(2).allMatch(l -> l.difference().orElseThrow().isZero());
        assertThat(rec.wealth()).hasSize(2).allMatch(WealthLine::agrees);

        // A visitor arriving after expiry is refused, clearly.
        RedeemResult late = w.ticketing.tickets().redeem(new RedeemRequest(tickets.get(49).number(), lake.id(), "gate"));
        assertThat(late).isInstanceOfSatisfying(RedeemResult.Refused.class, r -> {
            assertThat(r.problem().code()).isEqualTo(ErrorCode.TICKET_EXPIRED);
            assertThat(r.problem().message()).contains(tickets.get(49).number()).contains("expired");
        });

        // ---- the report over the whole life equals the ledger
        Instant end = w.clock.instant();
        FinancialReport report = w.ticketing.reports().financial(start, end).orElseThrow();
        TrialBalance tb = w.journal.trialBalance(w.ledger(), AsOf.instant(end));
        assertThat(report.trialDebits()).isEqualTo(tb.totalDebits());
        assertThat(report.trialCredits()).isEqualTo(tb.totalCredits());
        assertThat(report.balanced()).isTrue();
        for (Balance b : tb.lines()) {
            AccountActivity a = report.accounts().stream().filter(x -> x.account().equals(b.account())).findFirst().orElseThrow();
            assertThat(a.closing()).as("%s", b.account()).isEqualTo(b.posted());
            assertThat(a.debits().minor()).isEqualTo(b.debitsPosted());
            assertThat(a.credits().minor()).isEqualTo(b.creditsPosted());
        }
        assertThat(report.issuanceVolume()).isEqualTo(D.times(50));
        assertThat(report.margin()).isEqualTo(w.balance("revenue:margin"));
        assertThat(report.investmentYield()).isEqualTo(railYield);
        assertThat(report.breakage()).isEqualTo(Money.cny(expectedBreakage));
        assertThat(report.issuanceFees()).isEqualTo(w.balance("revenue:issuance-fee"));
        assertThat(report.payoutFees()).isEqualTo(w.balance("revenue:payout-fee"));
        assertThat(report.wealthPosition()).isEqualTo(Money.cny(0));
        assertThat(report.unredeemedTickets()).isEqualTo(Money.cny(0));
        assertThat(report.netIncome()).isEqualTo(report.issuanceFees().plus(report.payoutFees()).plus(report.margin())
                .plus(report.investmentYield()).plus(report.breakage()));
        SpotFigures templeFigures = report.spots().stream().filter(s -> s.spotId().equals(temple.id())).findFirst().orElseThrow();
        assertThat(templeFigures.redeemed()).isEqualTo(Money.parseCny("25.50").times(visits.get(temple)));
        assertThat(templeFigures.settled()).isEqualTo(templeFigures.redeemed());
        assertThat(report.settlementCash()).isEqualTo(w.balance("platform:alipay:settlement")
                .plus(w.balance("platform:huijinbao:settlement")));

        String csv = ReportFormat.csv(report);
        assertThat(csv).contains("summary,breakage,,,,," + Money.cny(expectedBreakage).toDecimalString())
                .contains("summary,investment_yield,,,,," + railYield.toDecimalString())
                .contains("trial_balance,closing,,,");
        JsonNode json = new ObjectMapper().readTree(ReportFormat.json(report));
        assertThat(json.at("/summary/issuance_volume").asText()).isEqualTo("5000.00");
        assertThat(json.at("/summary/breakage").asText()).isEqualTo(Money.cny(expectedBreakage).toDecimalString());
        assertThat(json.at("/trial_balance/balanced").asBoolean()).isTrue();
        assertThat(json.at("/accounts").size()).isEqualTo(tb.lines().size());
    }

    private List<PlanInstruction> instructions(InstructionKind kind) {
        return w.ticketing.wealth().byPlan(plan.value()).stream().filter(i -> i.kind() == kind).toList();
    }

    private List<Payout> payouts(List<Ticket> tickets) {
        List<Payout> out = new ArrayList<>();
        tickets.forEach(t -> out.addAll(w.ticketing.payouts().byTicket(t.id())));
        return out;
    }
}
