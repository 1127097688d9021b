package org.ticketledger.ticketing.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.reconcile.ReferenceReport;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * A measurement, not a test (it asserts nothing): EXPLAIN (ANALYZE, BUFFERS) of every reference
 * query and the time of a whole check at {@code m.rows} (default 300,000) tickets, ticket spots,
 * scan records and payouts, and a tenth as many orders, copied by SQL from one redeemed ticket of a
 * world written through the API. Run with {@code -Dit.test=ReferenceCheckMeasureIT
 * -Dreferences.measure=true}; lines start "MEASURE".
 */
@EnabledIfSystemProperty(named = "references.measure", matches = "true")
class ReferenceCheckMeasureIT {
    static final int ROWS = Integer.getInteger("m.rows", 300_000);

    @Test
    void measure() {
        try (Harness w = Harness.start()) {
            Jdbi jdbi = Jdbi.create(w.dataSource);
            w.onboardPlatform();
            ScenicSpot spot = w.spot("M Lake");
            Distributor d = w.distributor("M Travel", Money.parseCny("5000.00"));
            Product product = w.publish(spot, "100.00", "90.00");
            Devices devices = w.ticketing.devices();
            new GateDevice().provision(devices, devices.createProvisioningToken(spot.id(), Optional.of("Gate"), "admin")
                    .orElseThrow().qrText());
            IssueResult r = w.ticketing.orders().issue(IssueRequest.of(d.id(), "M-1", product.id(), w.today(), 1,
                    product.distributorPrice()));
            String orderId = r instanceof IssueResult.Issued done ? done.order().id() : ((IssueResult.InProgress) r).order().id();
            Harness.await(Duration.ofSeconds(60), () -> {
                w.drain(1);
                return w.ticketing.tickets().byOrder(orderId).size() == 1;
            }, "order issued");
            Ticket t = w.ticketing.tickets().byOrder(orderId).get(0);
            RedeemResult redeemed = w.ticketing.tickets().redeem(new RedeemRequest(t.id(), spot.id(), "gate"));
            String payout = ((RedeemResult.Redeemed) redeemed).payout().id();
            String device = jdbi.withHandle(h -> h.createQuery("SELECT device_id FROM ticketing.devices").mapTo(String.class).one());
            long start = System.nanoTime();
            jdbi.useHandle(h -> {
                h.execute(copy("orders", "order_id", orderId, ROWS / 10,
                        "jsonb_build_object('order_id', 'o' || g, 'distributor_order_id', 'm' || g)"));
                h.execute(copy("tickets", "ticket_id", t.id(), ROWS,
                        "jsonb_build_object('ticket_id', 't' || g, 'ticket_no', (900000000000 + g)::text, 'unit_index', g)"));
                h.execute(copy("ticket_spots", "ticket_id", t.id(), ROWS,
                        "jsonb_build_object('ticket_id', 't' || g, 'redeemed_record_id', 'r' || g)"));
                h.execute("INSERT INTO ticketing.scan_records (record_id, device_id, spot_id, code_ticket_id, ticket_id, code,"
                        + " scanned_at, clock_offset_ms, sequence, nonce, signature, digest, via, status, flags, redeemed_at,"
                        + " received_at) SELECT 'r' || g, '" + device + "', '" + spot.id() + "', 900000000000 + g, 't' || g, 'c',"
                        + " now(), 0, g, 'n' || g, '\\x00'::bytea, 'd', 'ONLINE', 'REDEEMED', '', now(), now()"
                        + " FROM generate_series(1, " + ROWS + ") g");
                h.execute(copy("payouts", "payout_id", payout, ROWS,
                        "jsonb_build_object('payout_id', 'po' || g, 'ticket_id', 't' || g)"));
                h.execute("ANALYZE");
            });
            System.out.printf("MEASURE filled %d rows per table in %d ms%n", ROWS, (System.nanoTime() - start) / 1_000_000);
            for (ReferenceChecker.Ref ref : ReferenceChecker.REFERENCES) {
                List<String> plan = jdbi.withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, BUFFERS) " + ref.countSql())
                        .mapTo(String.class).list());
                System.out.printf("MEASURE %s%n  %s%n", ref.line(0, List.of()).name(), String.join("\n  ", plan));
            }
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                ReferenceReport report = w.ticketing.references().check();
                System.out.printf("MEASURE whole check %d ms, intact %s%n", (System.nanoTime() - t0) / 1_000_000, report.intact());
            }
        }
    }

    private static String copy(String table, String key, String from, int n, String overrides) {
        // The record is built once per row in LATERAL: "(f(...)).*" would call f once per column.
        return "INSERT INTO ticketing." + table + " SELECT r.* FROM ticketing." + table + " x, generate_series(1, " + n + ") g,"
                + " LATERAL jsonb_populate_record(NULL::ticketing." + table + ", to_jsonb(x) || " + overrides + ") r"
                + " WHERE x." + key + " = '" + from + "'";
    }
}
