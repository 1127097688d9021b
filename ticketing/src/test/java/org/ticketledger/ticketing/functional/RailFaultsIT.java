package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.alipay.sandbox.SandboxTransaction;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.testing.Harness;

/**
 * Lost replies, 5xx and timeouts on collect and payout: the outcome is queried before any retry
 * and the same request id is reused, so each order is charged once and each payout paid once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RailFaultsIT {

    private static final String TRADE_PAY = "alipay.trade.pay";
    private static final String TRANSFER = "alipay.fund.trans.uni.transfer";

    private Harness w;
    private ScenicSpot spot;
    private Product product;
    private int refs;

    @BeforeAll
    void world() {
        w = Harness.start();
        w.onboardPlatform();
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.fixed(100), "admin").orElseThrow();
        w.ticketing.fees().setDefault(FeeKind.PAYOUT, FeeRule.fixed(90), "admin").orElseThrow();
        spot = w.spot("Li River");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @ParameterizedTest
    @EnumSource(value = AlipayFault.class, names = {"REPLY_LOST", "SERVER_ERROR_AFTER_APPLY", "DELAY_PAST_TIMEOUT",
            "UNKNOWN_OUTCOME_AFTER_APPLY", "SERVER_ERROR", "UNKNOWN_OUTCOME"})
    void chargesOnceWhenTheCollectionReplyIsLostOrFails(AlipayFault fault) {
        Distributor d = w.distributor("Fault Travel " + fault, Money.parseCny("500.00"));
        String payer = d.paymentAccount().account().identity();
        w.sandbox.injectFault(TRADE_PAY, fault, 1);

        IssueResult first = w.ticketing.orders().issue(w.order(d, product, "F-" + (++refs), 1));
        assertThat(first).isInstanceOf(IssueResult.InProgress.class);
        Order order = first.orderIfAny().orElseThrow();
        assertThat(order.state()).isEqualTo(OrderState.CHARGE_UNKNOWN);

        Harness.await(Duration.ofSeconds(10), () -> {
            w.ticketing.runDueWork();
            return w.ticketing.orders().order(order.id()).orElseThrow().state() == OrderState.ISSUED;
        }, "order issued after " + fault);
        assertThat(trades(order.collectRequestId().value())).hasSize(1);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("399.00"));
        assertThat(w.ticketing.tickets().byOrder(order.id())).hasSize(1);
        assertThat(w.ticketing.orders().history(order.id())).anyMatch(e -> e.event().equals("charge.queried"));
        w.assertReconciled();
    }

    @ParameterizedTest
    @EnumSource(value = AlipayFault.class, names = {"REPLY_LOST", "SERVER_ERROR_AFTER_APPLY", "DELAY_PAST_TIMEOUT",
            "UNKNOWN_OUTCOME_AFTER_APPLY", "SERVER_ERROR", "UNKNOWN_OUTCOME"})
    void paysOnceWhenThePayoutReplyIsLostOrFails(AlipayFault fault) {
        Ticket ticket = issueOne("Payout Travel " + fault);
        w.sandbox.injectFault(TRANSFER, fault, 1);
        Money spotBefore = w.sandbox.balance(spotAccount());
        Payout payout = redeem(ticket);

        Harness.await(Duration.ofSeconds(10), () -> {
            w.ticketing.runDueWork();
            return w.ticketing.payouts().payout(payout.id()).orElseThrow().state() == PayoutState.DONE;
        }, "payout done after " + fault);
        Payout done = w.ticketing.payouts().payout(payout.id()).orElseThrow();
        assertThat(trades(done.requestId().value())).hasSize(1);
        assertThat(w.sandbox.balance(spotAccount())).isEqualTo(spotBefore.plus(Money.parseCny("89.10")));
        w.assertReconciled();
    }

    @Test
    void waitsForFundsWithOneAdminSmsAndPaysAfterTheAdminRetries() {
        Ticket ticket = issueOne("Funds Travel");
        Money platformBalance = w.sandbox.platformBalance();
        w.sandbox.setPlatformBalance(Money.parseCny("10.00"));
        int adminSmsBefore = w.sms.sentTo(Harness.ADMIN_PHONE).size();

        Payout payout = redeem(ticket);
        w.drain(5);
        Payout waiting = w.ticketing.payouts().payout(payout.id()).orElseThrow();
        assertThat(waiting.state()).isEqualTo(PayoutState.AWAITING_FUNDS);
        assertThat(waiting.reason()).hasValueSatisfying(r -> assertThat(r).contains("too low"));
        w.drain(3);
        assertThat(w.sms.sentTo(Harness.ADMIN_PHONE)).hasSize(adminSmsBefore + 1);
        assertThat(w.sms.sentTo(Harness.ADMIN_PHONE).get(adminSmsBefore).template()).isEqualTo("PLATFORM_FUNDS_REQUIRED");
        assertThat(w.ticketing.payouts().byState(PayoutState.AWAITING_FUNDS, 10)).extracting(Payout::id).contains(payout.id());

        // The admin tops the platform account up and retries by hand.
        w.sandbox.setPlatformBalance(platformBalance);
        Outcome<Payout> retried = w.ticketing.payouts().retryPayout(payout.id(), "admin");
        assertThat(retried.orElseThrow().state()).isEqualTo(PayoutState.DONE);
        assertThat(retried.orElseThrow().round()).isEqualTo(2);
        assertThat(w.sandbox.transactions().stream().filter(t -> t.outNo().startsWith("pay-" + payout.id()))).hasSize(1);
        assertThat(w.ticketing.parties().audit(payout.id())).hasSize(1);
        w.assertReconciled();
    }

    @Test
    void putsAPayoutWithoutFinalAnswerInsideTheWindowUpForManualReviewThenResolvesIt() {
        Ticket ticket = issueOne("Review Travel");
        w.sandbox.injectFault(TRANSFER, AlipayFault.UNKNOWN_OUTCOME, 1_000);
        Payout payout = redeem(ticket);

        Harness.await(Duration.ofSeconds(15), () -> {
            w.ticketing.runDueWork();
            return w.ticketing.payouts().payout(payout.id()).orElseThrow().state() == PayoutState.MANUAL_REVIEW;
        }, "manual review after the retry window");
        Payout review = w.ticketing.payouts().payout(payout.id()).orElseThrow();
        assertThat(review.reason()).hasValueSatisfying(r -> assertThat(r).contains("within the retry window"));
        assertThat(review.attempts()).isGreaterThan(1);
        assertThat(w.sms.sentTo(Harness.ADMIN_PHONE)).anyMatch(n -> n.template().equals("PAYOUT_REVIEW")
                && n.body().contains(payout.id()));
        assertThat(trades(review.requestId().value())).isEmpty();

        w.sandbox.clearFaults();
        Payout resolved = w.ticketing.payouts().retryPayout(payout.id(), "admin").orElseThrow();
        assertThat(resolved.state()).isEqualTo(PayoutState.DONE);
        assertThat(resolved.round()).isEqualTo(1);
        assertThat(trades(resolved.requestId().value())).hasSize(1);
        w.assertReconciled();
    }

    private Ticket issueOne(String name) {
        Distributor d = w.distributor(name, Money.parseCny("500.00"));
        IssueResult r = w.ticketing.orders().issue(w.order(d, product, "P-" + (++refs), 1));
        assertThat(r).isInstanceOf(IssueResult.Issued.class);
        return ((IssueResult.Issued) r).tickets().get(0);
    }

    private Payout redeem(Ticket ticket) {
        RedeemResult r = w.ticketing.tickets().redeem(new RedeemRequest(ticket.id(), spot.id(), "gate"));
        assertThat(r).isInstanceOf(RedeemResult.Redeemed.class);
        return ((RedeemResult.Redeemed) r).payout();
    }

    private String spotAccount() {
        return spot.receivingAccount().account().identity();
    }

    private List<SandboxTransaction> trades(String outNo) {
        return w.sandbox.transactions().stream().filter(t -> t.outNo().equals(outNo)).toList();
    }
}
