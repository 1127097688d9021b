package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.alipay.sandbox.SandboxAccount;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.inventory.Capacity;
import org.ticketledger.ticketing.notify.NotificationState;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.AccountVersion;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.PoolItem;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.ProductStatus;
import org.ticketledger.ticketing.pool.SyncPage;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.testing.Harness;

/**
 * Account versions, the pool's versions and sync cursor, overlays, inventory, fee overrides,
 * ticket validity and the SMS outbox's retries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartiesPoolAndTicketsIT {

    private Harness w;
    private ScenicSpot spot;
    private Product product;

    @BeforeAll
    void world() {
        w = Harness.start();
        w.onboardPlatform();
        w.ticketing.fees().setDefault(FeeKind.ISSUANCE, FeeRule.fixed(100), "admin").orElseThrow();
        spot = w.spot("Mount Tai");
        product = w.publish(spot, "100.00", "90.00");
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void paysAPayoutToTheAccountVersionItStartedWithAfterAnAccountChange() {
        ScenicSpot moving = w.spot("Moving Spot");
        Product p = w.publish(moving, "50.00", "40.00");
        Distributor d = w.distributor("Version Travel", Money.parseCny("500.00"));
        Ticket first = ((IssueResult.Issued) w.ticketing.orders().issue(w.order(d, p, "V-1", 2))).tickets().get(0);
        String oldAccount = moving.receivingAccount().account().identity();
        assertThat(w.ticketing.tickets().redeem(new RedeemRequest(first.id(), moving.id(), "gate"))).isInstanceOf(RedeemResult.Redeemed.class);

        SandboxAccount next = w.sandbox.openAccount("moved@spot.example", "Moving Spot", Money.cny(0));
        AccountVersion v2 = w.ticketing.parties().changeAccount(moving.id(),
                AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, next.userId()), "admin", "bank changed").orElseThrow();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(w.ticketing.parties().accountHistory(moving.id())).extracting(AccountVersion::version).containsExactly(1, 2);
        assertThat(w.ticketing.parties().audit(moving.id())).extracting(r -> r.action())
                .containsExactly("scenic-spot.onboarded", "account.changed");

        w.drain(5);
        assertThat(w.sandbox.balance(oldAccount)).isEqualTo(Money.parseCny("40.00"));
        assertThat(w.sandbox.balance(next.userId())).isEqualTo(Money.parseCny("0.00"));

        Ticket second = w.ticketing.tickets().byOrder(first.orderId()).get(1);
        w.ticketing.tickets().redeem(new RedeemRequest(second.number(), moving.id(), "gate"));
        w.drain(5);
        assertThat(w.sandbox.balance(next.userId())).isEqualTo(Money.parseCny("40.00"));
        w.assertReconciled();
    }

    @Test
    void collectsAReappliedOrderFromTheAccountItWasPlacedWith() {
        Distributor d = w.distributor("Switching Travel", Money.parseCny("10.00"));
        String oldPayer = d.paymentAccount().account().identity();
        Order waiting = w.ticketing.orders().issue(w.order(d, product, "SW-1", 1)).orderIfAny().orElseThrow();
        PartyAccount other = w.sandbox.openParty("other@dist.example", "Switching Travel", Money.parseCny("500.00"));
        w.ticketing.parties().changeAccount(d.id(), Harness.setting(other), "admin", "new account").orElseThrow();

        w.sandbox.fund(oldPayer, Money.parseCny("200.00"));
        assertThat(w.ticketing.orders().reapply(d.id(), waiting.id())).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.sandbox.balance(oldPayer)).isEqualTo(Money.parseCny("109.00"));
        assertThat(w.sandbox.balance(other.identity())).isEqualTo(Money.parseCny("500.00"));
        // New orders use the new account.
        assertThat(w.ticketing.orders().issue(w.order(d, product, "SW-2", 1))).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.sandbox.balance(other.identity())).isEqualTo(Money.parseCny("399.00"));
    }

    @Test
    void syncsVersionsAndUnpublishingThroughTheCursorWhileOrdersKeepTheirVersion() {
        Distributor d = w.distributor("Sync Travel", Money.parseCny("1000.00"));
        SyncPage all = w.ticketing.pool().sync(d.id(), 0, 500).orElseThrow();
        long cursor = all.nextCursor();
        ScenicSpot s = w.spot("Sync Spot");
        Product v1 = w.publish(s, "30.00", "20.00");
        SyncPage page = w.ticketing.pool().sync(d.id(), cursor, 500).orElseThrow();
        assertThat(page.items()).extracting(i -> i.product().id()).containsExactly(v1.id());

        Order onV1 = w.ticketing.orders().issue(w.order(d, v1, "SY-1", 1)).orderIfAny().orElseThrow();
        Product v2 = w.ticketing.pool().update(v1.id(), w.draft(s, "35.00", "25.00"), s.id()).orElseThrow();
        assertThat(v2.version()).isEqualTo(2);
        SyncPage changed = w.ticketing.pool().sync(d.id(), page.nextCursor(), 500).orElseThrow();
        assertThat(changed.items()).singleElement().satisfies(i -> {
            assertThat(i.product().version()).isEqualTo(2);
            assertThat(i.product().distributorPrice()).isEqualTo(Money.parseCny("35.00"));
        });
        w.ticketing.pool().unpublish(v1.id(), s.id()).orElseThrow();
        SyncPage gone = w.ticketing.pool().sync(d.id(), changed.nextCursor(), 500).orElseThrow();
        assertThat(gone.items()).singleElement().satisfies(i -> assertThat(i.product().status()).isEqualTo(ProductStatus.UNPUBLISHED));
        assertThat(w.ticketing.pool().sync(d.id(), gone.nextCursor(), 500).orElseThrow().items()).isEmpty();

        // The order placed on version 1 redeems and settles on version 1's scenic price.
        assertThat(onV1.productVersion()).isEqualTo(1);
        Ticket t = w.ticketing.tickets().byOrder(onV1.id()).get(0);
        RedeemResult r = w.ticketing.tickets().redeem(new RedeemRequest(t.id(), s.id(), "gate"));
        assertThat(((RedeemResult.Redeemed) r).payout().gross()).isEqualTo(Money.parseCny("20.00"));
        assertThat(w.ticketing.pool().product(v1.id(), 1).orElseThrow().distributorPrice()).isEqualTo(Money.parseCny("30.00"));
    }

    @Test
    void pagesThroughThePoolInChangeOrder() {
        Distributor d = w.distributor("Paging Travel", Money.parseCny("10.00"));
        long cursor = 0;
        int seen = 0;
        boolean more = true;
        while (more) {
            SyncPage page = w.ticketing.pool().sync(d.id(), cursor, 1).orElseThrow();
            assertThat(page.items().size()).isLessThanOrEqualTo(1);
            for (PoolItem i : page.items()) {
                assertThat(i.product().changeSeq()).isGreaterThan(cursor);
            }
            seen += page.items().size();
            cursor = page.nextCursor();
            more = page.hasMore();
        }
        assertThat(seen).isGreaterThanOrEqualTo(1);
    }

    @Test
    void keepsSettlementAtTheDistributorPriceWhateverTheOverlaySays() {
        Distributor d = w.distributor("Overlay Travel", Money.parseCny("200.00"));
        w.ticketing.pool().setOverlay(d.id(), product.id(), new org.ticketledger.ticketing.pool.OverlayDraft("Sunrise at Tai",
                "with guide", Money.parseCny("168.00"))).orElseThrow();
        SyncPage page = w.ticketing.pool().sync(d.id(), 0, 500).orElseThrow();
        PoolItem item = page.items().stream().filter(i -> i.product().id().equals(product.id())).findFirst().orElseThrow();
        assertThat(item.overlay()).hasValueSatisfying(o -> assertThat(o.retailPrice()).isEqualTo(Money.parseCny("168.00")));
        Order o = w.ticketing.orders().issue(w.order(d, product, "OV-1", 1)).orderIfAny().orElseThrow();
        assertThat(o.total()).isEqualTo(Money.parseCny("101.00"));
    }

    @Test
    void issuesOneTicketPerUnitWithinCapacityAndGivesCapacityBackOnRefund() {
        ScenicSpot s = w.spot("Capacity Spot");
        Product p = w.publish(s, "10.00", "8.00");
        w.ticketing.inventory().setCapacity(p.id(), w.today(), "", 3, "admin").orElseThrow();
        Distributor d = w.distributor("Capacity Travel", Money.parseCny("500.00"));

        IssueResult.Issued two = (IssueResult.Issued) w.ticketing.orders().issue(w.order(d, p, "C-1", 2));
        assertThat(two.tickets()).hasSize(2).extracting(Ticket::code).doesNotHaveDuplicates();
        IssueResult full = w.ticketing.orders().issue(w.order(d, p, "C-2", 2));
        assertThat(full).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.SOLD_OUT));

        RefundResult refunded = w.ticketing.tickets().refund(new RefundRequest(d.id(), two.tickets().get(0).id(), "rain"));
        assertThat(refunded).isInstanceOf(RefundResult.Refunded.class);
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "")).map(Capacity::sold).hasValue(1);
        assertThat(w.ticketing.orders().issue(w.order(d, p, "C-3", 2))).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "")).map(Capacity::remaining).hasValue(0);
        w.drain(5);
        w.assertReconciled();
    }

    @Test
    void eachTimeSlotSellsUpToItsOwnCapacity() {
        ScenicSpot s = w.spot("Slot Spot");
        Product p = w.publish(s, "10.00", "8.00");
        w.ticketing.inventory().setCapacity(p.id(), w.today(), "09:00", 2, "admin").orElseThrow();
        w.ticketing.inventory().setCapacity(p.id(), w.today(), "14:00", 1, "admin").orElseThrow();
        Distributor d = w.distributor("Slot Travel", Money.parseCny("500.00"));
        String payer = d.paymentAccount().account().identity();

        IssueResult.Issued morning = (IssueResult.Issued) w.ticketing.orders().issue(slotOrder(d, p, "SL-1", "09:00", 2));
        assertThat(morning.order().slot()).isEqualTo("09:00");
        assertThat(morning.tickets()).hasSize(2);
        assertThat(w.ticketing.orders().issue(slotOrder(d, p, "SL-2", "09:00", 1))).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> {
                    assertThat(r.problem().code()).isEqualTo(ErrorCode.SOLD_OUT);
                    assertThat(r.problem().message()).contains("slot 09:00");
                });
        // A sold-out morning leaves the afternoon its own capacity, and the afternoon sells out on its own.
        assertThat(w.ticketing.orders().issue(slotOrder(d, p, "SL-3", "14:00", 1))).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.ticketing.orders().issue(slotOrder(d, p, "SL-4", "14:00", 1))).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.SOLD_OUT));
        // With capacity set per slot, an order naming no slot (or another slot) would escape the limits.
        assertThat(w.ticketing.orders().issue(w.order(d, p, "SL-6", 1))).isInstanceOfSatisfying(IssueResult.Refused.class, r -> {
            assertThat(r.problem().code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(r.problem().message()).contains("slots [09:00, 14:00]", "name one of them");
            assertThat(r.problem().fields()).extracting(Problem.FieldError::path).containsExactly("slot");
        });
        assertThat(w.ticketing.orders().issue(slotOrder(d, p, "SL-7", "18:00", 1))).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> assertThat(r.problem().message()).contains("not for slot 18:00"));
        assertThat(w.ticketing.orders().order(d.id(), "SL-2")).isEmpty();
        assertThat(w.ticketing.orders().order(d.id(), "SL-4")).isEmpty();
        assertThat(w.ticketing.orders().order(d.id(), "SL-6")).isEmpty();
        assertThat(w.ticketing.orders().order(d.id(), "SL-7")).isEmpty();
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "09:00")).map(Capacity::sold).hasValue(2);
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "14:00")).map(Capacity::sold).hasValue(1);

        // A refund gives its unit back to its own slot only.
        assertThat(w.ticketing.tickets().refund(new RefundRequest(d.id(), morning.tickets().get(0).id(), "rain")))
                .isInstanceOf(RefundResult.Refunded.class);
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "09:00")).map(Capacity::sold).hasValue(1);
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "14:00")).map(Capacity::sold).hasValue(1);
        assertThat(w.ticketing.orders().issue(slotOrder(d, p, "SL-5", "09:00", 1))).isInstanceOf(IssueResult.Issued.class);
        assertThat(w.ticketing.inventory().capacity(p.id(), w.today(), "09:00")).map(Capacity::remaining).hasValue(0);

        // Charged for the three issued orders only (21.00 + 11.00 + 11.00), refunded 10.00 + the 0.50 fee share.
        w.drain(5);
        assertThat(w.sandbox.balance(payer)).isEqualTo(Money.parseCny("467.50"));
        w.assertReconciled();
    }

    private IssueRequest slotOrder(Distributor d, Product p, String ref, String slot, int quantity) {
        return new IssueRequest(d.id(), ref, p.id(), w.today(), Optional.of(slot), quantity,
                p.distributorPrice());
    }

    @Test
    void appliesAPerDistributorFeeOverride() {
        Distributor vip = w.distributor("VIP Travel", Money.parseCny("500.00"));
        w.ticketing.fees().setOverride(vip.id(), FeeKind.ISSUANCE, FeeRule.NONE, "admin").orElseThrow();
        Order o = w.ticketing.orders().issue(w.order(vip, product, "VIP-1", 1)).orderIfAny().orElseThrow();
        assertThat(o.fee()).isEqualTo(Money.cny(0));
        assertThat(o.total()).isEqualTo(Money.parseCny("100.00"));
        w.ticketing.fees().removeOverride(vip.id(), FeeKind.ISSUANCE, "admin").orElseThrow();
        assertThat(w.ticketing.fees().quote(FeeKind.ISSUANCE, vip.id(), Money.parseCny("100.00"))).isEqualTo(Money.parseCny("1.00"));
    }

    @Test
    void refusesRedemptionBeforeAndAfterTheValidityWindow() {
        Distributor d = w.distributor("Calendar Travel", Money.parseCny("500.00"));
        IssueRequest tomorrow = IssueRequest.of(d.id(), "CAL-1", product.id(), w.today().plusDays(1), 1, product.distributorPrice());
        Ticket t = ((IssueResult.Issued) w.ticketing.orders().issue(tomorrow)).tickets().get(0);
        assertThat(w.ticketing.tickets().redeem(new RedeemRequest(t.id(), spot.id(), "gate")))
                .isInstanceOfSatisfying(RedeemResult.Refused.class,
                        r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.TICKET_NOT_YET_VALID));

        w.clock.advance(Duration.ofDays(3));
        assertThat(w.ticketing.tickets().redeem(new RedeemRequest(t.id(), spot.id(), "gate")))
                .isInstanceOfSatisfying(RedeemResult.Refused.class,
                        r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.TICKET_EXPIRED));
        assertThat(w.ticketing.tickets().refund(new RefundRequest(d.id(), t.id(), "late")))
                .isInstanceOfSatisfying(RefundResult.Refused.class,
                        r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.TICKET_EXPIRED));
    }

    @Test
    void retriesATopUpSmsTheProviderRefusedAndSendsItOnce() {
        Distributor d = w.distributor("Outage Travel", Money.parseCny("1.00"));
        w.sms.failNext(2);
        Order o = w.ticketing.orders().issue(w.order(d, product, "OUT-1", 1)).orderIfAny().orElseThrow();
        assertThat(w.sms.sentTo(d.contactPhone())).isEmpty();
        Harness.await(Duration.ofSeconds(10), () -> {
            w.ticketing.runDueWork();
            return !w.sms.sentTo(d.contactPhone()).isEmpty();
        }, "the SMS to be sent after the outage");
        w.drain(3);
        assertThat(w.sms.sentTo(d.contactPhone())).hasSize(1);
        assertThat(w.ticketing.notifications().bySubject(o.id())).singleElement().satisfies(n -> {
            assertThat(n.state()).isEqualTo(NotificationState.SENT);
            assertThat(n.attempts()).isEqualTo(3);
        });
    }
}
