package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.ledger.HoldStatus;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RequestId;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.wealth.InstructionKind;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.PlanState;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * Faults around the wealth plan: the platform's Huijinbao account short (the cross-rail float),
 * lost and failed replies on subscribe, redeem and redeem-all, a plan temporarily closed, a restart
 * in the middle, an invest still waiting for funds when the combo expires. Each ends consistent:
 * every rail order once, the books equal to the rail, the trial balance balanced. Each test closes
 * its own plan before the next one starts (one fault aims at "the next redeem-all").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WealthFaultsIT {

    private ComboWorld w;
    private ScenicSpot lake;
    private ScenicSpot temple;
    private int refs;

    @BeforeAll
    void world() {
        w = ComboWorld.start();
        w.onboardPlatform(Money.parseCny("500.00"), Money.parseCny("0.00"));
        lake = w.alipaySpot("Fault Lake");
        temple = w.hjbSpot("Fault Temple");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void investWaitsForFundsWhileThePlatformsHuijinbaoAccountIsShortAndCompletesOnceAfterTheTopUp() {
        // Expires long after the other tests' plans, so no other redeem-all ever meets their faults.
        ComboProduct combo = combo(w.newPlan(), 200);
        Distributor d = w.alipayDistributor("Float Travel", Money.parseCny("100000.00"));
        Money available = w.journal.balance(w.ledger(), org.ticketledger.ledger.AccountCode.of("platform:huijinbao:settlement"))
                .orElseThrow().available();
        int quantity = (int) (available.minor() / 10_000) + 2;

        // Paid on Alipay, invested from the platform's Huijinbao account, which is short in the books.
        Ticket t = w.issue(d, combo, ref(), quantity).get(0);
        w.drain(10);
        PlanInstruction invest = invest(t.orderId());
        assertThat(invest.state()).isEqualTo(InstructionState.AWAITING_FUNDS);
        assertThat(invest.reason().orElseThrow()).contains("platform:huijinbao:settlement");
        assertThat(w.sms.sentTo(Harness.ADMIN_PHONE)).anyMatch(n -> n.template().equals("PLATFORM_FUNDS_REQUIRED")
                && n.body().contains(invest.id()));
        assertThat(ordersAt(InstructionType.SUBSCRIBE, invest.requestId())).isZero();

        // The admin tops up enough in the books, but the rail still says no: the hold is released, SMS again.
        w.fundHuijinbao(Money.parseCny("100.00").times(quantity), ref());
        // Above the caller's approval limit it is only listed: nothing is sent, it keeps waiting.
        org.ticketledger.ticketing.wealth.BulkRetry held = w.ticketing.wealth()
                .retryAwaitingFunds("admin", java.util.Optional.of(invest.amount().minus(Money.parseCny("0.01"))));
        assertThat(held.needApproval()).contains(invest.id());
        assertThat(invest(t.orderId()).state()).isEqualTo(InstructionState.AWAITING_FUNDS);
        assertThat(invest(t.orderId()).round()).isEqualTo(invest.round());
        assertThat(ordersAt(InstructionType.SUBSCRIBE, invest.requestId())).isZero();
        w.hjb.injectFault(Fault.insufficientFunds(), SandboxOperation.SUBSCRIBE);
        assertThat(w.ticketing.wealth().retryAwaitingFunds("admin")).isGreaterThanOrEqualTo(1);
        PlanInstruction declined = invest(t.orderId());
        assertThat(declined.state()).isEqualTo(InstructionState.AWAITING_FUNDS);
        assertThat(declined.round()).isEqualTo(2);
        assertThat(w.journal.holdStatus(w.ledger(), declined.holdSequence().orElseThrow())).contains(HoldStatus.VOIDED);

        // Retried again: round 3 goes through, once.
        assertThat(w.ticketing.wealth().retry(declined.id(), "admin").orElseThrow().state()).isEqualTo(InstructionState.DONE);
        PlanInstruction done = invest(t.orderId());
        assertThat(done.round()).isEqualTo(3);
        // Every round sent the first round's request id (V32): a late copy of round 2's refused
        // subscribe and round 3 are one subscribe at the rail.
        assertThat(done.requestId()).isEqualTo(invest.requestId());
        assertThat(ordersAt(InstructionType.SUBSCRIBE, invest.requestId())).isEqualTo(1);
        assertThat(w.hjb.orders().stream().filter(o -> o.type() == InstructionType.SUBSCRIBE
                && o.requestId().value().startsWith("inv-" + done.id()))).hasSize(1);
        assertThat(w.journal.holdStatus(w.ledger(), done.holdSequence().orElseThrow())).contains(HoldStatus.POSTED);

        // A redemption now withdraws the spot's price.
        redeem(t, temple);
        w.settle(Duration.ofSeconds(10), () -> withdraws(t.orderId()).stream().allMatch(i -> i.state() == InstructionState.DONE),
                "withdraw done");
        assertConsistent();
    }

    @Test
    void lostAndFailedRepliesOnSubscribeRedeemAndRedeemAllMoveMoneyOnce() {
        w.fundHuijinbao(Money.parseCny("1000.00"), ref());
        PlanId plan = w.newPlan();
        ComboProduct combo = combo(plan, 10);
        Distributor d = w.hjbDistributor("Lossy Travel", Money.parseCny("1000.00"));

        w.hjb.injectFault(Fault.lostReply(), SandboxOperation.SUBSCRIBE);
        List<Ticket> tickets = w.issue(d, combo, ref(), 3);
        w.drain(5);
        PlanInstruction invest = invest(tickets.get(0).orderId());
        w.settle(Duration.ofSeconds(10), () -> invest(invest.orderId()).state() == InstructionState.DONE, "invest done");
        assertThat(ordersAt(InstructionType.SUBSCRIBE, invest.requestId())).isEqualTo(1);
        assertThat(history(invest.orderId())).anyMatch(e -> e.event().equals("invest.unknown"))
                .anyMatch(e -> e.event().equals("invest.queried"));

        // A redeem processed but answered with a 500, another processed after the client gave up.
        w.hjb.injectFault(Fault.serverErrorAfterProcessing(), SandboxOperation.REDEEM);
        w.hjb.injectFault(Fault.delay(Duration.ofMillis(1500)), SandboxOperation.REDEEM);
        w.advance(Duration.ofDays(2));
        redeem(tickets.get(0), lake);
        redeem(tickets.get(1), temple);
        w.settle(Duration.ofSeconds(15), () -> withdraws(invest.orderId()).size() == 2 && withdraws(invest.orderId()).stream()
                .allMatch(i -> i.state() == InstructionState.DONE), "withdraws done");
        for (PlanInstruction wd : withdraws(invest.orderId())) {
            assertThat(ordersAt(InstructionType.REDEEM, wd.requestId())).as(wd.id()).isEqualTo(1);
        }

        // The redeem-all at expiry is answered by a gateway timeout: queried, booked once.
        w.hjb.injectFault(Fault.gatewayTimeout(), SandboxOperation.REDEEM_ALL);
        Money principal = w.hjb.position(plan).principal();
        Money accrued = w.advancePastExpiry(plan);
        w.settle(Duration.ofSeconds(15), () -> plan(plan).state() == PlanState.CLOSED, "plan closed");
        WealthPlan closed = plan(plan);
        assertThat(ordersAt(InstructionType.REDEEM_ALL, closed.closeRequestId())).isEqualTo(1);
        assertThat(closed.principal()).contains(principal);
        assertThat(closed.yield()).contains(accrued);
        assertThat(w.hjb.orders().stream().filter(o -> o.requestId().equals(closed.closeRequestId())).findFirst().orElseThrow()
                .amount()).isEqualTo(principal.plus(accrued));
        assertThat(accrued.isPositive()).isTrue();
        assertThat(w.ticketing.wealth().yields(plan.value()).stream().mapToLong(y -> y.yield().minor()).sum())
                .isEqualTo(accrued.minor());
        assertThat(w.hjb.position(plan).principal()).isEqualTo(Money.cny(0));
        assertThat(history(plan.value())).anyMatch(e -> e.event().equals("plan.queried"));
        assertConsistent();
    }

    @Test
    void aRestartBetweenRetriesAndAPlanClosedForAWhileEndWithEachOrderOnce() {
        w.fundHuijinbao(Money.parseCny("1000.00"), ref());
        PlanId plan = w.newPlan();
        ComboProduct combo = combo(plan, 10);
        Distributor d = w.hjbDistributor("Restart Travel", Money.parseCny("1000.00"));

        // The subscribe's reply comes after the client's timeout (processed at once): unknown, then a restart.
        w.hjb.injectFault(Fault.slowReply(Duration.ofMillis(1500)), SandboxOperation.SUBSCRIBE);
        List<Ticket> tickets = w.issue(d, combo, ref(), 2);
        w.ticketing.runDueWork();
        PlanInstruction invest = invest(tickets.get(0).orderId());
        assertThat(invest.state()).isEqualTo(InstructionState.RETRYING);
        w.restart("after-restart");
        w.settle(Duration.ofSeconds(10), () -> invest(invest.orderId()).state() == InstructionState.DONE, "invest done");
        assertThat(ordersAt(InstructionType.SUBSCRIBE, invest.requestId())).isEqualTo(1);

        // The plan is closed at the rail for a while: the withdraw waits and goes through later.
        w.hjb.closePlan(plan);
        redeem(tickets.get(0), temple);
        w.drain(5);
        PlanInstruction wd = withdraws(invest.orderId()).get(0);
        assertThat(wd.state()).isEqualTo(InstructionState.RETRYING);
        assertThat(history(invest.orderId())).anyMatch(e -> e.event().equals("withdraw.unknown")
                && e.detail().contains("PLAN_CLOSED"));
        w.hjb.reopenPlan(plan);
        w.settle(Duration.ofSeconds(10), () -> withdraws(invest.orderId()).get(0).state() == InstructionState.DONE, "withdraw done");
        assertThat(ordersAt(InstructionType.REDEEM, wd.requestId())).isEqualTo(1);

        // At expiry the rail refuses the redeem-all once (plan closed): the same request id goes again.
        w.hjb.injectFault(Fault.planClosed(), SandboxOperation.REDEEM_ALL);
        Money accrued = w.advancePastExpiry(plan);
        w.settle(Duration.ofSeconds(15), () -> plan(plan).state() == PlanState.CLOSED, "plan closed");
        assertThat(ordersAt(InstructionType.REDEEM_ALL, plan(plan).closeRequestId())).isEqualTo(1);
        assertThat(plan(plan).yield()).contains(accrued);
        assertThat(w.ticketing.tickets().ticket(tickets.get(1).id()).orElseThrow().state()).isEqualTo(TicketState.EXPIRED);
        assertConsistent();
    }

    @Test
    void anInvestStillWaitingForFundsAtExpiryIsCancelledAndItsTicketsValueBecomesBreakage() {
        PlanId plan = w.newPlan();
        ComboProduct combo = combo(plan, 10);
        Distributor d = w.alipayDistributor("Late Float Travel", Money.parseCny("100000.00"));
        Money available = w.journal.balance(w.ledger(), org.ticketledger.ledger.AccountCode.of("platform:huijinbao:settlement"))
                .orElseThrow().available();
        int quantity = (int) (available.minor() / 10_000) + 1;
        List<Ticket> tickets = w.issue(d, combo, ref(), quantity);
        w.drain(5);
        PlanInstruction invest = invest(tickets.get(0).orderId());
        assertThat(invest.state()).isEqualTo(InstructionState.AWAITING_FUNDS);
        // Redeemed meanwhile: the spot is paid from Alipay; the withdraw waits for the invest.
        redeem(tickets.get(0), lake);
        w.drain(5);
        assertThat(withdraws(invest.orderId()).get(0).state()).isEqualTo(InstructionState.PENDING);

        w.advancePastExpiry(plan);
        w.settle(Duration.ofSeconds(15), () -> plan(plan).state() == PlanState.CLOSED, "plan closed");
        assertThat(invest(invest.orderId()).state()).isEqualTo(InstructionState.CANCELLED);
        assertThat(withdraws(invest.orderId()).get(0).state()).isEqualTo(InstructionState.CANCELLED);
        assertThat(ordersAt(InstructionType.SUBSCRIBE, invest.requestId())).isZero();
        assertThat(plan(plan).principal()).contains(Money.cny(0));
        // Everything not redeemed: the other tickets whole, the first one less the lake's price.
        long breakage = tickets.stream().mapToLong(t -> w.journal.entryByKey(w.ledger(), "ticket:" + t.id() + ":expired")
                .orElseThrow().total().minor()).sum();
        assertThat(Money.cny(breakage)).isEqualTo(Money.parseCny("100.00").times(quantity).minus(Money.parseCny("30.00")));
        assertThat(w.ticketing.payouts().byTicket(tickets.get(0).id())).allMatch(p -> p.state() == PayoutState.DONE);
        assertConsistent();
    }

    @Test
    void aPlanWhoseRedeemAllDisagreesWithTheBooksWaitsForAPersonAndClosesAfterTheFix() {
        w.fundHuijinbao(Money.parseCny("500.00"), ref());
        PlanId plan = w.newPlan();
        ComboProduct combo = combo(plan, 10);
        Distributor d = w.hjbDistributor("Tampered Travel", Money.parseCny("1000.00"));
        w.issue(d, combo, ref(), 2);
        w.settle(Duration.ofSeconds(10), () -> w.ticketing.wealth().plan(plan.value()).orElseThrow().invested()
                .equals(Money.parseCny("200.00")), "invested");

        // Someone takes 10.00 out of the plan behind the platform's back: reconciliation sees it, unexplained.
        assertThat(w.hjbRail.redeem(new org.ticketledger.payment.WealthInstruction(RequestId.of("manual-out"), plan,
                Money.parseCny("10.00")))).isInstanceOf(org.ticketledger.payment.RailOutcome.Succeeded.class);
        var rec = w.ticketing.reconciliation().check();
        assertThat(rec.wealth()).anySatisfy(l -> {
            assertThat(l.plan()).contains(plan);
            assertThat(l.difference()).contains(Money.parseCny("-10.00"));
            assertThat(l.note()).contains("nothing in flight explains it");
        });

        // At expiry the redeem-all returns 190.00 of principal, the books say 200.00: nothing is booked.
        w.advancePastExpiry(plan);
        w.settle(Duration.ofSeconds(10), () -> plan(plan).state() == PlanState.MANUAL_REVIEW, "plan in review");
        assertThat(plan(plan).reason().orElseThrow()).contains("190.00").contains("200.00");
        assertThat(w.journal.entryByKey(w.ledger(), "plan:" + plan.value() + ":redeemed-all")).isEmpty();
        assertThat(w.sms.sentTo(Harness.ADMIN_PHONE)).anyMatch(n -> n.template().equals("PLAN_REVIEW")
                && n.body().contains(plan.value()));

        // Retrying only asks about the same redeem-all again: still in review, nothing re-sent.
        assertThat(w.ticketing.wealth().retryClose(plan.value(), "admin").orElseThrow().state()).isEqualTo(PlanState.MANUAL_REVIEW);
        assertThat(ordersAt(InstructionType.REDEEM_ALL, plan(plan).closeRequestId())).isEqualTo(1);

        // The admin finds the manual redemption and accepts the rail's principal: booked, audited, closed.
        WealthPlan closed = w.ticketing.wealth().acceptRailPrincipal(plan.value(), "admin",
                "10.00 redeemed by hand at the Huijinbao counter").orElseThrow();
        assertThat(closed.state()).isEqualTo(PlanState.CLOSED);
        assertThat(closed.principal()).contains(Money.parseCny("190.00"));
        assertThat(w.journal.entryByKey(w.ledger(), "plan:" + plan.value() + ":adjusted").orElseThrow().total())
                .isEqualTo(Money.parseCny("10.00"));
        assertThat(w.ticketing.parties().audit(plan.value())).anyMatch(a -> a.action().equals("plan.principal-accepted"));
        assertThat(ordersAt(InstructionType.REDEEM_ALL, closed.closeRequestId())).isEqualTo(1);
        assertConsistent();
    }

    // ---------------------------------------------------------------- helpers

    private ComboProduct combo(PlanId plan, int expiresInDays) {
        return w.publish(w.draft(plan, "100.00", expiresInDays - 2, expiresInDays, ComboWorld.price(lake, "30.00"),
                ComboWorld.price(temple, "40.00")));
    }

    private void redeem(Ticket t, ScenicSpot at) {
        assertThat(w.ticketing.tickets().redeem(new RedeemRequest(t.number(), at.id(), "gate")))
                .isInstanceOf(RedeemResult.Redeemed.class);
    }

    private PlanInstruction invest(String orderId) {
        return w.ticketing.wealth().byOrder(orderId).stream().filter(i -> i.kind() == InstructionKind.INVEST).findFirst()
                .orElseThrow();
    }

    private List<PlanInstruction> withdraws(String orderId) {
        return w.ticketing.wealth().byOrder(orderId).stream().filter(i -> i.kind() == InstructionKind.WITHDRAW).toList();
    }

    private WealthPlan plan(PlanId plan) {
        return w.ticketing.wealth().plan(plan.value()).orElseThrow();
    }

    private long ordersAt(InstructionType type, RequestId id) {
        return w.hjb.orders().stream().filter(o -> o.type() == type && o.requestId().equals(id)).count();
    }

    private List<HistoryEvent> history(String correlationId) {
        return w.ticketing.orders().history(correlationId);
    }

    /** Everything settled: the books balance and agree with both rails and every plan. */
    private void assertConsistent() {
        w.settle(Duration.ofSeconds(15), () -> w.ticketing.payouts().byState(PayoutState.PENDING, 1).isEmpty()
                && w.ticketing.payouts().byState(PayoutState.SENT, 1).isEmpty()
                && w.ticketing.payouts().byState(PayoutState.RETRYING, 1).isEmpty(), "payouts settled");
        assertThat(w.trialBalanced()).isTrue();
        w.assertReconciled();
    }

    private String ref() {
        return "WF-" + (++refs);
    }
}
