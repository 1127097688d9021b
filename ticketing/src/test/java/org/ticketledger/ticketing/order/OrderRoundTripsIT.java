package org.ticketledger.ticketing.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.CountingDataSource;
import org.ticketledger.ticketing.testing.Harness;

/**
 * How many statements and transactions ticketing sends to its database for one order that is
 * charged and issued at once (the ledger's group commit runs on the journal's own connections and
 * is not counted here): an order is bound by its round trips and durable commits, so a change that
 * adds one should be a decision, not an accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderRoundTripsIT {

    /**
     * At most this many per order: the insert of the CHARGING order with its events (reading the
     * date's capacity rows and taking the ticket numbers), and the issuing transaction: one
     * statement marks the order ISSUED and writes its tickets with every event of the issuing.
     */
    private static final int MAX_STATEMENTS = 2;
    private static final int MAX_TRANSACTIONS = 2;

    private Harness w;
    private Ticketing t;
    private CountingDataSource counted;

    @BeforeAll
    void world() {
        w = Harness.start();
        t = Ticketing.builder().dataSource(counted = new CountingDataSource(w.dataSource)).journal(w.journal).rails(w.rails)
                .notifier(w.sms).clock(w.clock).jobSettings(w.settings).instanceId("order-round-trips").build();
        w.onboardPlatform();
    }

    @AfterAll
    void close() {
        t.close();
        w.close();
    }

    @Test
    void anIssuedOrderTakesFewRoundTrips() {
        ScenicSpot spot = w.spot("West Lake");
        Distributor distributor = w.distributor("Round Travel", Money.parseCny("5000.00"));
        Product product = w.publish(spot, "100.00", "90.00");
        // The first order fills what the process keeps (platform, keys, caches).
        assertThat(t.orders().issue(w.order(distributor, product, "RT-0", 1))).isInstanceOf(IssueResult.Issued.class);
        int n = 5;
        counted.reset();
        for (int i = 1; i <= n; i++) {
            assertThat(t.orders().issue(w.order(distributor, product, "RT-" + i, 2))).isInstanceOf(IssueResult.Issued.class);
        }
        List<String> sql = counted.sql();
        double perOrder = counted.statements() / (double) n;
        double txPerOrder = counted.transactions() / (double) n;
        System.out.printf("issued order: %.1f statements in %.1f transactions each%n", perOrder, txPerOrder);
        sql.subList(0, sql.size() / n).forEach(s -> System.out.println("  " + s.replaceAll("\\s+", " ")));
        assertThat(perOrder).isLessThanOrEqualTo(MAX_STATEMENTS);
        assertThat(txPerOrder).isLessThanOrEqualTo(MAX_TRANSACTIONS);
        String last = "RT-" + n;
        Order placed = t.orders().order(distributor.id(), last).orElseThrow();
        assertThat(t.orders().history(placed.id())).extracting(HistoryEvent::event)
                .containsExactly("order.received", "charge.sending", "charge.succeeded", "ticket.issued", "ticket.issued", "order.issued");
        assertThat(t.orders().history(placed.id()).get(1).detail()).isEqualTo("collect 200.00 on " + placed.rail() + " as "
                + placed.collectRequestId());
    }

    /**
     * The caching instance ({@code t}) judges orders on what another instance ({@code w.ticketing})
     * changed since it cached: a new product version, an unpublished product, a new fee override, a
     * new payment account. And a stored order answers its replay even when a new one would be refused.
     */
    @Test
    void whatAnOrderIsJudgedOnIsCurrentThoughCached() {
        ScenicSpot spot = w.spot("Lingyin");
        Distributor distributor = w.distributor("Cache Travel", Money.parseCny("5000.00"));
        Product product = w.publish(spot, "100.00", "90.00");
        Order first = issued(t.orders().issue(w.order(distributor, product, "C-1", 1)));
        assertThat(first.fee()).isEqualTo(Money.parseCny("0.00"));

        Product v2 = w.ticketing.pool().update(product.id(), w.draft(spot, "120.00", "90.00"), "admin").orElseThrow();
        assertThat(t.orders().issue(w.order(distributor, product, "C-2", 1))).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.PRICE_CHANGED));
        assertThat(issued(t.orders().issue(w.order(distributor, v2, "C-3", 1))).productVersion()).isEqualTo(v2.version());

        FeeRule fee = new FeeRule(100, 0, 0, OptionalLong.empty());
        w.ticketing.fees().setOverride(distributor.id(), FeeKind.ISSUANCE, fee, "admin").orElseThrow();
        assertThat(issued(t.orders().issue(w.order(distributor, v2, "C-4", 1))).fee()).isEqualTo(Money.parseCny("1.00"));

        PartyAccount other = w.sandbox.openParty("cache.other@dist.example", "Cache Travel", Money.parseCny("500.00"));
        int account = w.ticketing.parties().changeAccount(distributor.id(), Harness.setting(other), "admin", "new account")
                .orElseThrow().version();
        assertThat(issued(t.orders().issue(w.order(distributor, v2, "C-5", 1))).payerAccountVersion()).isEqualTo(account);
        assertThat(w.sandbox.balance(other.identity())).isEqualTo(Money.parseCny("379.00"));

        w.ticketing.pool().unpublish(product.id(), "admin").orElseThrow();
        assertThat(t.orders().issue(w.order(distributor, v2, "C-6", 1))).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.PRODUCT_UNPUBLISHED));
        // The replay of an order placed before gets that order, not the refusal a new one gets now.
        assertThat(t.orders().issue(w.order(distributor, v2, "C-5", 1))).isInstanceOfSatisfying(IssueResult.Issued.class,
                r -> assertThat(r.order().distributorOrderId()).isEqualTo("C-5"));
        assertThat(t.orders().issue(w.order(distributor, v2, "C-5", 2))).isInstanceOfSatisfying(IssueResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT));
        w.assertReconciled();
    }

    /**
     * What runs with the issuing commits with it or not at all: when it fails, the order stays
     * CHARGING (collected, not yet issued, nothing recorded of the answer), and the order job
     * finishes it after the lease, asking the rail first, so it is charged once.
     */
    @Test
    void whenWorkThatCommitsWithTheIssuingFailsTheJobsIssueTheOrder() {
        ScenicSpot spot = w.spot("Leifeng");
        Distributor distributor = w.distributor("Rollback Travel", Money.parseCny("500.00"));
        Product product = w.publish(spot, "100.00", "90.00");
        java.util.concurrent.atomic.AtomicReference<IssueResult.Issued> seen = new java.util.concurrent.atomic.AtomicReference<>();
        assertThat(t.orders().issue(w.order(distributor, product, "RB-1", 2), (connection, issued) -> {
            assertThat(connection.getAutoCommit()).isFalse();
            seen.set(issued);
        })).isEqualTo(seen.get());
        assertThat(seen.get().tickets()).hasSize(2);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.orders().issue(w.order(distributor, product, "RB-2", 1),
                        (connection, issued) -> {
                            throw new java.sql.SQLException("the caller's record could not be written");
                        }))
                .hasMessageContaining("the caller's record could not be written");
        Order charging = t.orders().order(distributor.id(), "RB-2").orElseThrow();
        assertThat(charging.state()).isEqualTo(OrderState.CHARGING);
        assertThat(w.ticketing.tickets().byOrder(charging.id())).isEmpty();

        w.clock.advance(w.settings.lease().plusSeconds(1));
        w.drain(3);
        assertThat(t.orders().order(charging.id()).orElseThrow().state()).isEqualTo(OrderState.ISSUED);
        assertThat(w.ticketing.tickets().byOrder(charging.id())).hasSize(1);
        assertThat(w.sandbox.balance(distributor.paymentAccount().account().identity())).isEqualTo(Money.parseCny("200.00"));
        w.assertReconciled();
    }

    private static Order issued(IssueResult r) {
        assertThat(r).isInstanceOf(IssueResult.Issued.class);
        return ((IssueResult.Issued) r).order();
    }
}
