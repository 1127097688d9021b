package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.DistributorRegistration;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.party.ScenicSpotRegistration;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.testing.Harness;

/**
 * Every kind of bad request is refused with its own stable code and a message, and writes
 * nothing: no ticketing row, no ledger entry, no rail call, no SMS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private Harness w;
    private ScenicSpot spot;
    private ScenicSpot otherSpot;
    private Distributor buyer;
    private Distributor stranger;
    private Product product;
    private Product unpublished;
    private Product repriced;
    private Product luxury;
    private Product limited;
    private Ticket fresh;
    private Ticket redeemed;
    private String topUpOrder;
    private Map<String, Long> before;

    @BeforeAll
    void world() {
        w = Harness.start();
        w.onboardPlatform();
        spot = w.spot("Yellow Mountain");
        otherSpot = w.spot("Stone Forest");
        buyer = w.distributor("Buyer Travel", Money.parseCny("1000.00"));
        stranger = w.distributor("Stranger Travel", Money.parseCny("10.00"));
        product = w.publish(spot, "100.00", "90.00");
        unpublished = w.publish(spot, "50.00", "40.00");
        w.ticketing.pool().unpublish(unpublished.id(), spot.id()).orElseThrow();
        repriced = w.publish(spot, "80.00", "70.00");
        w.ticketing.pool().update(repriced.id(), w.draft(spot, "85.00", "70.00"), spot.id()).orElseThrow();
        luxury = w.publish(spot, "50000000000000000.00", "1.00");
        limited = w.publish(spot, "20.00", "10.00");
        w.ticketing.inventory().setCapacity(limited.id(), w.today(), "", 1, "admin").orElseThrow();
        assertThat(w.ticketing.orders().issue(w.order(buyer, limited, "LIM-1", 1))).isInstanceOf(IssueResult.Issued.class);
        List<Ticket> two = ((IssueResult.Issued) w.ticketing.orders().issue(w.order(buyer, product, "B-1", 2))).tickets();
        fresh = two.get(0);
        redeemed = two.get(1);
        assertThat(w.ticketing.tickets().redeem(new RedeemRequest(redeemed.id(), spot.id(), "gate"))).isInstanceOf(RedeemResult.Redeemed.class);
        topUpOrder = w.ticketing.orders().issue(w.order(stranger, product, "S-1", 1)).orderIfAny().orElseThrow().id();
        w.drain(5);
    }

    @AfterAll
    void close() {
        w.close();
    }

    @BeforeEach
    void snapshot() {
        before = snapshotNow();
    }

    // ---------------------------------------------------------------- issuance

    @Test
    void refusesUnknownProduct() {
        assertIssueRefused(ErrorCode.UNKNOWN_PRODUCT, req(buyer, "p-nope", product.distributorPrice(), 1));
    }

    @Test
    void refusesUnpublishedProduct() {
        assertIssueRefused(ErrorCode.PRODUCT_UNPUBLISHED, req(buyer, unpublished.id(), unpublished.distributorPrice(), 1));
    }

    @Test
    void refusesPriceChangedSinceSync() {
        Problem p = assertIssueRefused(ErrorCode.PRICE_CHANGED, req(buyer, repriced.id(), Money.parseCny("80.00"), 1));
        assertThat(p.message()).contains("85.00");
    }

    @Test
    void refusesUnknownDistributor() {
        assertIssueRefused(ErrorCode.UNKNOWN_DISTRIBUTOR, req("d-nobody", product.id(), product.distributorPrice(), 1));
    }

    @Test
    void refusesReapplyByAnotherDistributor() {
        IssueResult r = w.ticketing.orders().reapply(buyer.id(), topUpOrder);
        assertRefused(r instanceof IssueResult.Refused f ? f.problem() : null, ErrorCode.WRONG_DISTRIBUTOR);
    }

    @Test
    void refusesNegativeAndZeroAmounts() {
        assertIssueRefused(ErrorCode.INVALID_AMOUNT, req(buyer, product.id(), Money.parseCny("-100.00"), 1));
        assertIssueRefused(ErrorCode.INVALID_AMOUNT, req(buyer, product.id(), Money.cny(0), 1));
    }

    @Test
    void refusesAmountsInAnotherCurrency() {
        assertIssueRefused(ErrorCode.CURRENCY_MISMATCH,
                req(buyer, product.id(), Money.of(10_000, Currency.getInstance("USD")), 1));
    }

    @Test
    void refusesOverflowingTotal() {
        Problem p = assertIssueRefused(ErrorCode.AMOUNT_OUT_OF_RANGE, req(buyer, luxury.id(), luxury.distributorPrice(), 2));
        assertThat(p.message()).contains("out of the representable range");
    }

    @Test
    void refusesInvalidFieldsWithFieldErrors() {
        Problem p = assertIssueRefused(ErrorCode.VALIDATION_FAILED, new IssueRequest(buyer.id(), "has spaces", product.id(),
                w.today(), Optional.empty(), 0, product.distributorPrice()));
        assertThat(p.fields()).extracting(Problem.FieldError::path).containsExactly("distributorOrderId", "quantity");
    }

    @Test
    void refusesSoldOutDate() {
        Problem p = assertIssueRefused(ErrorCode.SOLD_OUT, req(buyer, limited.id(), limited.distributorPrice(), 1));
        assertThat(p.message()).contains(w.today().toString());
    }

    @Test
    void refusesVisitDateInThePast() {
        assertIssueRefused(ErrorCode.VISIT_DATE_OUT_OF_RANGE, IssueRequest.of(buyer.id(), "past-1", product.id(),
                w.today().minusDays(1), 1, product.distributorPrice()));
    }

    @Test
    void refusesReusedDistributorOrderIdWithDifferentContent() {
        assertIssueRefused(ErrorCode.IDEMPOTENCY_CONFLICT, IssueRequest.of(buyer.id(), "B-1", product.id(), w.today(), 3,
                product.distributorPrice()));
    }

    // ---------------------------------------------------------------- redemption and refund

    @Test
    void refusesRedemptionAtTheWrongSpot() {
        RedeemResult r = w.ticketing.tickets().redeem(new RedeemRequest(fresh.number(), otherSpot.id(), "gate"));
        assertRefused(r instanceof RedeemResult.Refused f ? f.problem() : null, ErrorCode.WRONG_SCENIC_SPOT);
    }

    @Test
    void refusesRedeemingTwice() {
        RedeemResult r = w.ticketing.tickets().redeem(new RedeemRequest(redeemed.id(), spot.id(), "gate-2"));
        Problem p = assertRefused(r instanceof RedeemResult.Refused f ? f.problem() : null, ErrorCode.ALREADY_REDEEMED);
        assertThat(p.message()).contains("gate").contains(spot.id());
    }

    @Test
    void refusesUnknownTicket() {
        RedeemResult r = w.ticketing.tickets().redeem(new RedeemRequest("t-nope", spot.id(), "gate"));
        assertRefused(r instanceof RedeemResult.Refused f ? f.problem() : null, ErrorCode.UNKNOWN_TICKET);
    }

    @Test
    void refusesRefundAfterRedemption() {
        RefundResult r = w.ticketing.tickets().refund(new RefundRequest(buyer.id(), redeemed.id(), "changed mind"));
        assertRefused(r instanceof RefundResult.Refused f ? f.problem() : null, ErrorCode.NOT_REFUNDABLE);
    }

    @Test
    void refusesRefundByAnotherDistributor() {
        RefundResult r = w.ticketing.tickets().refund(new RefundRequest(stranger.id(), fresh.id(), "not mine"));
        assertRefused(r instanceof RefundResult.Refused f ? f.problem() : null, ErrorCode.WRONG_DISTRIBUTOR);
    }

    // ---------------------------------------------------------------- onboarding and publishing

    @Test
    void refusesInvalidOnboarding() {
        Outcome<ScenicSpot> badPhone = w.ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration("X", "12ab",
                AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, "2088")), "admin");
        assertRefused(problem(badPhone), ErrorCode.VALIDATION_FAILED);
        Outcome<ScenicSpot> badRail = w.ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration("X", Harness.phone(),
                AccountSetting.of(RailId.of("PAYPAL"), IdentityType.USER_ID, "x")), "admin");
        assertRefused(problem(badRail), ErrorCode.UNSUPPORTED_RAIL);
        Outcome<Distributor> noAgreement = w.ticketing.parties().onboardDistributor(new DistributorRegistration("Y",
                Harness.phone(), AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, "2088"), Optional.empty()), "admin");
        Problem p = assertRefused(problem(noAgreement), ErrorCode.VALIDATION_FAILED);
        assertThat(p.fields()).extracting(Problem.FieldError::path).containsExactly("paymentAccount.agreementNo");
    }

    @Test
    void refusesScenicPriceAboveDistributorPrice() {
        SingleTicketDraft d = w.draft(spot, "10.00", "12.00");
        assertRefused(problem(w.ticketing.pool().publish(d, spot.id())), ErrorCode.INVALID_AMOUNT);
        SingleTicketDraft backwards = new SingleTicketDraft(spot.id(), "n", "", Money.parseCny("1.00"), Money.parseCny("1.00"),
                LocalDate.of(2030, 1, 2), LocalDate.of(2030, 1, 1), 1, "");
        assertRefused(problem(w.ticketing.pool().publish(backwards, spot.id())), ErrorCode.VALIDATION_FAILED);
    }

    // ---------------------------------------------------------------- helpers

    private IssueRequest req(Distributor d, String productId, Money price, int q) {
        return req(d.id(), productId, price, q);
    }

    private IssueRequest req(String distributorId, String productId, Money price, int q) {
        return IssueRequest.of(distributorId, "bad-" + System.nanoTime(), productId, w.today(), q, price);
    }

    private Problem assertIssueRefused(ErrorCode code, IssueRequest request) {
        IssueResult r = w.ticketing.orders().issue(request);
        return assertRefused(r instanceof IssueResult.Refused f ? f.problem() : null, code);
    }

    private Problem assertRefused(Problem p, ErrorCode code) {
        assertThat(p).as("a refusal with %s", code).isNotNull();
        assertThat(p.code()).isEqualTo(code);
        assertThat(p.message()).isNotBlank();
        assertThat(snapshotNow()).as("nothing written").isEqualTo(before);
        return p;
    }

    private static Problem problem(Outcome<?> o) {
        return o instanceof Outcome.Refused<?> r ? r.problem() : null;
    }

    private Map<String, Long> snapshotNow() {
        Map<String, Long> counts = new LinkedHashMap<>();
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(w.dataSource);
        jdbi.useHandle(h -> {
            for (String table : h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'ticketing'"
                    + " ORDER BY table_name").mapTo(String.class).list()) {
                counts.put(table, h.createQuery("SELECT count(*) FROM ticketing." + table).mapTo(Long.class).one());
            }
            counts.put("inventory.sold", h.createQuery("SELECT COALESCE(sum(sold), 0) FROM ticketing.inventory").mapTo(Long.class).one());
        });
        counts.put("ledger.head", w.journal.head(w.ledger()).lastSequence());
        counts.put("rail.transactions", (long) w.sandbox.transactions().size());
        counts.put("sms", (long) w.sms.sent().size());
        return counts;
    }
}
