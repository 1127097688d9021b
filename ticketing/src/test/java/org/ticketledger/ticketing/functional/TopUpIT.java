package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.notify.NotificationState;
import org.ticketledger.ticketing.notify.StoredNotification;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.spi.Notification;
import org.ticketledger.ticketing.testing.Harness;

/** Insufficient balance: AWAITING_TOPUP, exactly one SMS, top-up in the sandbox, reapply, issued and charged once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopUpIT {

    private Harness w;
    private Product product;

    @BeforeAll
    void world() {
        w = Harness.start();
        w.onboardPlatform();
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.fixed(100), "admin").orElseThrow();
        ScenicSpot spot = w.spot("Great Wall");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void waitsForTopUpWithOneSmsThenIssuesOnReapplyChargingOnce() {
        Distributor d = w.distributor("Short Travel", Money.parseCny("50.00"));
        String payer = d.paymentAccount().account().identity();

        IssueResult first = w.ticketing.orders().issue(w.order(d, product, "ST-1", 1));
        assertThat(first).isInstanceOf(IssueResult.AwaitingTopUp.class);
        Order order = first.orderIfAny().orElseThrow();
        assertThat(order.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("insufficient balance"));
        assertThat(w.sms.sentTo(d.contactPhone())).hasSize(1);
        Notification sms = w.sms.sentTo(d.contactPhone()).get(0);
        assertThat(sms.template()).isEqualTo("TOPUP_REQUIRED");
        assertThat(sms.body()).contains("ST-1").contains("101.00");

        // Repeats and background rounds neither charge nor text again.
        assertThat(w.ticketing.orders().issue(w.order(d, product, "ST-1", 1))).isInstanceOf(IssueResult.AwaitingTopUp.class);
        w.drain(3);
        assertThat(w.sms.sentTo(d.contactPhone())).hasSize(1);
        assertThat(w.ticketing.notifications().bySubject(order.id())).extracting(StoredNotification::state)
                .containsExactly(NotificationState.SENT);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("50.00"));

        // The distributor tops up at Alipay and re-applies by hand.
        w.sandbox.fund(payer, Money.parseCny("100.00"));
        IssueResult second = w.ticketing.orders().reapply(d.id(), order.id());
        assertThat(second).isInstanceOf(IssueResult.Issued.class);
        Order issued = second.orderIfAny().orElseThrow();
        assertThat(issued.chargeRound()).isEqualTo(2);
        assertThat(((IssueResult.Issued) second).tickets()).hasSize(1);

        // Re-applying again is harmless.
        assertThat(w.ticketing.orders().reapply(d.id(), order.id())).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("49.00"));
        assertThat(w.sandbox.transactions().stream().filter(t -> t.payer().equals(payer))).hasSize(1);
        assertThat(w.sms.sentTo(d.contactPhone())).hasSize(1);
        assertThat(w.ticketing.orders().order(order.id()).orElseThrow().state()).isEqualTo(OrderState.ISSUED);
        w.assertReconciled();
    }
}
