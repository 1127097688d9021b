package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.alipay.sandbox.SandboxTransaction;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.OverlayDraft;
import org.ticketledger.ticketing.pool.PoolItem;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SyncPage;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.testing.Harness;

/**
 * The single-ticket flow end to end over Postgres and the Alipay sandbox (real HTTP): onboard,
 * publish, sync, issue, redeem, pay out, refund; rail and ledger agree to the fen afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HappyPathIT {

    private Harness w;
    private ScenicSpot spot;
    private Distributor distributor;
    private Product product;

    @BeforeAll
    void world() {
        w = Harness.start();
        w.onboardPlatform();
        // Issuance fee 1 % (min 1.00); payout fee 1 %: on D = 100.00 and S = 90.00 that is ARCHITECTURE.md's example.
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.proportional(100, 100, 10_000), "admin").orElseThrow();
        w.ticketing.fees().setDefault(FeeKind.PAYOUT, FeeRule.proportional(100, 0, 10_000), "admin").orElseThrow();
        spot = w.spot("West Lake");
        distributor = w.distributor("Happy Travel", Money.parseCny("500.00"));
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void issuesRedeemsAndPaysOutWithRailAndLedgerAgreeingToTheFen() {
        // Sync: the distributor sees the product and keeps its own sale overlay.
        SyncPage page = w.ticketing.pool().sync(distributor.id(), 0, 100).orElseThrow();
        PoolItem item = page.items().stream().filter(i -> i.product().id().equals(product.id())).findFirst().orElseThrow();
        assertThat(item.product().distributorPrice()).isEqualTo(Money.parseCny("100.00"));
        w.ticketing.pool().setOverlay(distributor.id(), product.id(),
                new OverlayDraft("West Lake day pass", "Our best seller", Money.parseCny("129.00"))).orElseThrow();
        assertThat(w.ticketing.pool().sync(distributor.id(), page.nextCursor(), 100).orElseThrow().items()).isEmpty();

        // Issue two tickets: 2 × 100.00 + 1 % = 202.00 collected from the distributor.
        IssueResult result = w.ticketing.orders().issue(w.order(distributor, product, "HT-1001", 2));
        assertThat(result).isInstanceOf(IssueResult.Issued.class);
        IssueResult.Issued issued = (IssueResult.Issued) result;
        assertThat(issued.order().state()).isEqualTo(OrderState.ISSUED);
        assertThat(issued.order().total()).isEqualTo(Money.parseCny("202.00"));
        assertThat(issued.tickets()).hasSize(2);
        assertThat(issued.tickets()).extracting(Ticket::number).doesNotHaveDuplicates();
        assertThat(issued.tickets()).extracting(Ticket::code).doesNotHaveDuplicates().allMatch(c -> c.startsWith("TL:"));
        assertThat(issued.tickets()).extracting(Ticket::feeShare).containsExactly(Money.parseCny("1.00"), Money.parseCny("1.00"));
        String payer = distributor.paymentAccount().account().identity();
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("298.00"));
        assertThat(w.ledgerBalance("platform:alipay:settlement")).isEqualTo(Money.parseCny("1202.00"));
        assertThat(w.ledgerBalance("tickets:unredeemed")).isEqualTo(Money.parseCny("200.00"));
        assertThat(w.ledgerBalance("revenue:issuance-fee")).isEqualTo(Money.parseCny("2.00"));
        w.assertReconciled();

        // Asking again answers with the same order and charges nothing more.
        IssueResult again = w.ticketing.orders().issue(w.order(distributor, product, "HT-1001", 2));
        assertThat(again).isInstanceOf(IssueResult.Issued.class);
        assertThat(((IssueResult.Issued) again).order().id()).isEqualTo(issued.order().id());
        // The first answer's tickets are built from what was written, not read back: they must equal a later read.
        assertThat(((IssueResult.Issued) again).tickets()).isEqualTo(issued.tickets());
        assertThat(w.ticketing.tickets().byOrder(issued.order().id())).isEqualTo(issued.tickets());
        assertThat(w.ticketing.orders().history(issued.order().id())).extracting(HistoryEvent::event)
                .containsExactly("order.received", "charge.sending", "charge.succeeded", "ticket.issued", "ticket.issued",
                        "order.issued");
        assertThat(trades(issued.order().collectRequestId().value())).hasSize(1);

        // Redeem one ticket at the spot: unredeemed → payable 90.00 + margin 10.00, payout created.
        Ticket ticket = issued.tickets().get(0);
        RedeemResult redeemed = w.ticketing.tickets().redeem(new RedeemRequest(ticket.number(), spot.id(), "gate-1"));
        assertThat(redeemed).isInstanceOf(RedeemResult.Redeemed.class);
        Payout payout = ((RedeemResult.Redeemed) redeemed).payout();
        assertThat(payout.kind()).isEqualTo(PayoutKind.SCENIC_SETTLEMENT);
        assertThat(payout.net()).isEqualTo(Money.parseCny("89.10"));
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);
        assertThat(w.ledgerBalance("tickets:unredeemed")).isEqualTo(Money.parseCny("100.00"));
        assertThat(w.ledgerBalance("scenic:" + spot.id() + ":payable")).isEqualTo(Money.parseCny("90.00"));
        assertThat(w.ledgerBalance("revenue:margin")).isEqualTo(Money.parseCny("10.00"));

        // The payout job pays S − fee to the spot's Alipay account.
        w.drain(5);
        assertThat(w.ticketing.payouts().payout(payout.id()).orElseThrow().state()).isEqualTo(PayoutState.DONE);
        String spotAccount = spot.receivingAccount().account().identity();
        assertThat(w.sandbox.balance(spotAccount)).isEqualTo(Money.parseCny("89.10"));
        assertThat(w.ledgerBalance("scenic:" + spot.id() + ":payable")).isEqualTo(Money.parseCny("0.00"));
        assertThat(w.ledgerBalance("revenue:payout-fee")).isEqualTo(Money.parseCny("0.90"));
        assertThat(w.ledgerBalance("platform:alipay:settlement")).isEqualTo(Money.parseCny("1112.90"));
        assertThat(w.sandbox.platformBalance()).isEqualTo(Money.parseCny("1112.90"));
        w.assertReconciled();
        assertThat(w.journal.trialBalance(w.ledger(), AsOf.latest()).balanced()).isTrue();
        assertThat(w.journal.verify(w.ledger()).ok()).isTrue();

        // Queries: tickets by order, payouts by state, the order's history.
        assertThat(w.ticketing.tickets().byOrder(issued.order().id())).hasSize(2);
        assertThat(w.ticketing.payouts().byState(PayoutState.DONE, 10)).extracting(Payout::id).contains(payout.id());
        List<HistoryEvent> history = w.ticketing.orders().history(issued.order().id());
        assertThat(history).extracting(HistoryEvent::event).containsSubsequence("order.received", "charge.sending",
                "charge.succeeded", "order.issued", "ticket.redeemed", "payout.created", "payout.sending", "payout.done");
    }

    @Test
    void refundsAnUnredeemedTicketInTheLedgerAndOnTheRail() {
        Distributor d = w.distributor("Refund Tours", Money.parseCny("300.00"));
        IssueResult.Issued issued = (IssueResult.Issued) w.ticketing.orders().issue(w.order(d, product, "RT-1", 1));
        Ticket ticket = issued.tickets().get(0);
        String payer = d.paymentAccount().account().identity();
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("199.00"));

        RefundResult refunded = w.ticketing.tickets().refund(new RefundRequest(d.id(), ticket.id(), "visitor cancelled"));
        assertThat(refunded).isInstanceOf(RefundResult.Refunded.class);
        Payout payout = ((RefundResult.Refunded) refunded).payout();
        assertThat(payout.kind()).isEqualTo(PayoutKind.REFUND);
        assertThat(payout.net()).isEqualTo(Money.parseCny("101.00"));
        w.drain(5);
        assertThat(w.ticketing.payouts().payout(payout.id()).orElseThrow().state()).isEqualTo(PayoutState.DONE);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("300.00"));
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.REFUNDED);
        assertThat(w.ledgerBalance("distributor:" + d.id() + ":refund-payable")).isEqualTo(Money.parseCny("0.00"));
        w.assertReconciled();
    }

    private List<SandboxTransaction> trades(String outNo) {
        return w.sandbox.transactions().stream().filter(t -> t.outNo().equals(outNo)).toList();
    }
}
