package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRefundPolicy;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.testing.Harness;

/**
 * Refunds under {@link FeeRefundPolicy#KEEP_FEE}: the distributor gets back only the distributor
 * price, the platform keeps the issuance fee, and rail and ledger still agree to the fen.
 * (HappyPathIT covers the default, {@link FeeRefundPolicy#REFUND_FEE}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepFeeRefundIT {

    private Harness w;
    private Product product;

    @BeforeAll
    void world() {
        w = Harness.start(b -> b.feeRefundPolicy(FeeRefundPolicy.KEEP_FEE));
        w.onboardPlatform();
        // Issuance fee 1 % (min 1.00): on D = 100.00 the fee is 1.00.
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.proportional(100, 100, 10_000), "admin").orElseThrow();
        ScenicSpot spot = w.spot("Yellow Mountain");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void refundPaysBackOnlyTheDistributorPriceAndThePlatformKeepsTheIssuanceFee() {
        Distributor d = w.distributor("Keep Fee Tours", Money.parseCny("300.00"));
        String payer = d.paymentAccount().account().identity();
        IssueResult.Issued issued = (IssueResult.Issued) w.ticketing.orders().issue(w.order(d, product, "KF-1", 1));
        Ticket ticket = issued.tickets().get(0);
        assertThat(ticket.feeShare()).isEqualTo(Money.parseCny("1.00"));
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("199.00"));
        assertThat(w.ledgerBalance("revenue:issuance-fee")).isEqualTo(Money.parseCny("1.00"));
        assertThat(w.ledgerBalance("tickets:unredeemed")).isEqualTo(Money.parseCny("100.00"));

        RefundResult refunded = w.ticketing.tickets().refund(new RefundRequest(d.id(), ticket.id(), "visitor cancelled"));
        assertThat(refunded).isInstanceOf(RefundResult.Refunded.class);
        Payout payout = ((RefundResult.Refunded) refunded).payout();
        assertThat(payout.kind()).isEqualTo(PayoutKind.REFUND);
        assertThat(payout.gross()).isEqualTo(Money.parseCny("100.00"));
        assertThat(payout.fee()).isEqualTo(Money.parseCny("0.00"));
        assertThat(payout.net()).isEqualTo(Money.parseCny("100.00"));
        w.drain(5);
        assertThat(w.ticketing.payouts().payout(payout.id()).orElseThrow().state()).isEqualTo(PayoutState.DONE);
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.REFUNDED);

        // The distributor is out exactly the fee it paid; the fee revenue is untouched by the refund.
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("299.00"));
        assertThat(w.ledgerBalance("revenue:issuance-fee")).isEqualTo(Money.parseCny("1.00"));
        assertThat(w.ledgerBalance("tickets:unredeemed")).isEqualTo(Money.parseCny("0.00"));
        assertThat(w.ledgerBalance("distributor:" + d.id() + ":refund-payable")).isEqualTo(Money.parseCny("0.00"));
        Entry reversal = w.journal.entryByKey(w.ledger(), "ticket:" + ticket.id() + ":refunded").orElseThrow();
        assertThat(reversal.postings()).containsExactlyInAnyOrder(
                Posting.debit(AccountCode.of("tickets:unredeemed"), Money.parseCny("100.00")),
                Posting.credit(AccountCode.of("distributor:" + d.id() + ":refund-payable"), Money.parseCny("100.00")));

        // 1000.00 opening + 101.00 collected − 100.00 refunded, on the rail and in the ledger.
        assertThat(w.sandbox.platformBalance()).isEqualTo(Money.parseCny("1001.00"));
        assertThat(w.ledgerBalance("platform:alipay:settlement")).isEqualTo(Money.parseCny("1001.00"));
        w.assertReconciled();
        assertThat(w.journal.trialBalance(w.ledger(), AsOf.latest()).balanced()).isTrue();
        assertThat(w.journal.verify(w.ledger()).ok()).isTrue();
    }
}
