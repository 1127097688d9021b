package org.ticketledger.ticketing.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.testing.PostgresFixture;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.ScanRecord;

/**
 * Ticketing runs its transactions READ COMMITTED whatever the pool's default level ({@code Db.tx}):
 * the redemption locks, then reads what the lock holder committed. A host whose pool starts its
 * connections at REPEATABLE READ must get the same answers as one at PostgreSQL's default: two
 * gates scanning one ticket at once admit one visitor and tell the other it was already redeemed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedeemIsolationIT {

    private static final String PASSWORD = "correct horse";

    private Harness w;
    private HikariDataSource repeatableRead;
    private Ticketing t;
    private Devices devices;
    private ScenicSpot spot;
    private Distributor distributor;
    private Product product;

    @BeforeAll
    void world() {
        w = Harness.start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(w.jdbcUrl);
        config.setUsername(PostgresFixture.server().user());
        config.setMaximumPoolSize(8);
        config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        repeatableRead = new HikariDataSource(config);
        t = Ticketing.builder().dataSource(repeatableRead).journal(w.journal).rails(w.rails).notifier(w.sms).clock(w.clock)
                .jobSettings(w.settings).instanceId("repeatable-read")
                .devicePolicy(DevicePolicy.defaults().withPasswordIterations(1_000)).build();
        devices = t.devices();
        w.onboardPlatform();
        spot = w.spot("West Lake");
        distributor = w.distributor("Gate Travel", Money.parseCny("5000.00"));
        product = w.publish(spot, "100.00", "90.00");
        devices.createOperator(new OperatorRegistration("li.wei", "Li Wei", Optional.of(PASSWORD), Optional.empty(),
                List.of(spot.id())), "admin").orElseThrow();
    }

    @AfterAll
    void close() {
        t.close();
        repeatableRead.close();
        w.close();
    }

    private GateDevice device(String gate) {
        String token = devices.createProvisioningToken(spot.id(), Optional.of(gate), "admin").orElseThrow().qrText();
        GateDevice d = new GateDevice().provision(devices, token);
        d.login(devices, "li.wei", PASSWORD);
        return d;
    }

    @Test
    void twoGatesScanningOneTicketAtOnceAdmitOneAndAnswerTheOther() throws Exception {
        Ticket ticket = ((IssueResult.Issued) w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "RR-1", product.id(),
                w.today(), 1, product.distributorPrice()))).tickets().get(0);
        List<GateDevice> gates = List.of(device("North"), device("South"));
        // Sessions first, so that both scans go straight to the redemption.
        List<DeviceSession> sessions = List.of(gates.get(0).session(devices), gates.get(1).session(devices));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Jdbi admin = Jdbi.create(w.dataSource);
        try (Handle h = admin.open()) {
            // Both redemptions start, then wait for the ticket's lock, which this transaction holds.
            h.begin();
            h.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "ticket:" + ticket.number());
            List<Future<OnlineRedeemResult>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                GateDevice g = gates.get(i);
                DeviceSession s = sessions.get(i);
                ScanRecord r = g.scan(ticket.code(), w.clock.instant());
                results.add(pool.submit(() -> devices.redeem(s, r.recordId(), r)));
            }
            Harness.await(java.time.Duration.ofSeconds(30), () -> admin.withHandle(x -> x.createQuery(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                            + " AND (classid::bigint << 32 | objid::bigint) = hashtextextended(:k, 0)")
                    .bind("k", "ticket:" + ticket.number()).mapTo(Integer.class).one()) == 2,
                    "both redemptions waiting for the ticket");
            h.commit();
            List<RedeemOutcome> outcomes = new ArrayList<>();
            for (Future<OnlineRedeemResult> f : results) {
                OnlineRedeemResult result = f.get();
                assertThat(result).isInstanceOf(OnlineRedeemResult.Answered.class);
                outcomes.add(((OnlineRedeemResult.Answered) result).answer().outcome());
            }
            assertThat(outcomes).containsExactlyInAnyOrder(RedeemOutcome.REDEEMED, RedeemOutcome.ALREADY_REDEEMED);
        } finally {
            pool.shutdown();
        }
        assertThat(w.ticketing.payouts().byTicket(ticket.id()).stream().filter(p -> p.kind() == PayoutKind.SCENIC_SETTLEMENT))
                .hasSize(1);
    }
}
