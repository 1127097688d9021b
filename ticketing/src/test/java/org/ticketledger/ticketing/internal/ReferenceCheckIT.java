package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.reconcile.ReferenceCheck;
import org.ticketledger.ticketing.reconcile.ReferenceLine;
import org.ticketledger.ticketing.reconcile.ReferenceReport;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * The reference check on PostgreSQL: a world written through the API (orders, tickets, a redemption
 * through the device function with its scan record, a redemption through tickets().redeem, their
 * payouts) is intact; then, for every reference the check knows, an orphan made by hand (a row
 * copied with one reference changed, or a parent row deleted, all by SQL that bypasses the API) is
 * reported under that reference with its id and nothing else, and the world is intact again once
 * the orphan is gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceCheckIT {

    private Harness w;
    private Jdbi jdbi;
    private ScenicSpot spot;
    private ScenicSpot otherSpot;
    private GateDevice gate;
    private Product product;
    private String orderId;
    private Ticket scanned;
    private String recordId;
    private String payoutId;

    @BeforeAll
    void world() {
        w = Harness.start();
        jdbi = Jdbi.create(w.dataSource);
        w.onboardPlatform();
        spot = w.spot("Ref Lake");
        otherSpot = w.spot("Ref Hill");
        Distributor distributor = w.distributor("Ref Travel", Money.parseCny("5000.00"));
        product = w.publish(spot, "100.00", "90.00");
        Devices devices = w.ticketing.devices();
        gate = new GateDevice().provision(devices,
                devices.createProvisioningToken(spot.id(), Optional.of("Gate"), "admin").orElseThrow().qrText());
        IssueResult r = w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "REF-1", product.id(), w.today(), 3,
                product.distributorPrice()));
        orderId = r instanceof IssueResult.Issued done ? done.order().id() : ((IssueResult.InProgress) r).order().id();
        Harness.await(Duration.ofSeconds(60), () -> {
            w.drain(1);
            return w.ticketing.tickets().byOrder(orderId).size() == 3;
        }, "order issued");
        List<Ticket> tickets = w.ticketing.tickets().byOrder(orderId);
        scanned = tickets.get(0);
        recordId = "rec-ref-1";
        assertThat(redeemAtGate(scanned, recordId)).isEqualTo("REDEEMED");
        payoutId = jdbi.withHandle(h -> h.createQuery("SELECT payout_id FROM ticketing.payouts WHERE ticket_id = :t")
                .bind("t", scanned.id()).mapTo(String.class).one());
        RedeemResult other = w.ticketing.tickets().redeem(new RedeemRequest(tickets.get(1).id(), spot.id(), "gate"));
        assertThat(other).isInstanceOf(RedeemResult.Redeemed.class);
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void aWorldWrittenThroughTheApiIsIntactAndEveryReferenceIsListed() {
        ReferenceReport report = w.ticketing.references().check();
        assertThat(report.intact()).as("%s", report.broken()).isTrue();
        assertThat(report.broken()).isEmpty();
        assertThat(report.lines()).hasSize(ReferenceChecker.REFERENCES.size());
        // The world has a row on the child side of the references that matter most, so "intact" is
        // not the answer of empty tables.
        assertThat(count("SELECT count(*) FROM ticketing.scan_records WHERE ticket_id IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ticketing.ticket_spots WHERE redeemed_record_id IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ticketing.payouts")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM ticketing.orders")).isEqualTo(1);
    }

    @Test
    void everyReferenceReportsAHandMadeOrphanWithItsIdAndNothingElse() {
        String orders = "orders (distributor_id) -> parties (party_id)";
        String ordersProduct = "orders (product_id) -> products (product_id)";
        String ordersVersion = "orders (product_id, product_version) -> product_versions (product_id, version)";
        String ordersAccount = "orders (distributor_id, payer_account_version) -> party_accounts (party_id, version)";
        String ticketsDistributor = "tickets (distributor_id) -> parties (party_id)";
        String ticketsVersion = "tickets (product_id, product_version) -> product_versions (product_id, version)";
        String spotsSpot = "ticket_spots (spot_id) -> parties (party_id)";
        String spotsRecord = "ticket_spots (redeemed_record_id) -> scan_records (record_id)";
        String scanDevice = "scan_records (device_id) -> devices (device_id)";
        String scanSpot = "scan_records (spot_id) -> parties (party_id)";
        String scanTicket = "scan_records (ticket_id) -> tickets (ticket_id)";
        String payoutParty = "payouts (party_id) -> parties (party_id)";
        String payoutAccount = "payouts (party_id, account_version) -> party_accounts (party_id, version)";
        String payoutTicket = "payouts (ticket_id) -> tickets (ticket_id)";
        String payoutRun = "payouts (ticket_id) -> profit_runs (run_id)";
        String payoutOrder = "payouts (order_id) -> orders (order_id)";
        String publisher = "products (publisher_id) -> parties (party_id)";
        Set<String> covered = new HashSet<>();

        // Rows copied with one reference changed (a hand-written INSERT).
        covered.addAll(orphanCopy("orders", "order_id", orderId,
                "{\"order_id\":\"o-orphan-1\",\"distributor_order_id\":\"x1\",\"distributor_id\":\"d-ghost\"}",
                "o-orphan-1", orders, ordersAccount));
        covered.addAll(orphanCopy("orders", "order_id", orderId,
                "{\"order_id\":\"o-orphan-2\",\"distributor_order_id\":\"x2\",\"product_id\":\"p-ghost\"}",
                "o-orphan-2", ordersProduct, ordersVersion));
        covered.addAll(orphanCopy("orders", "order_id", orderId,
                "{\"order_id\":\"o-orphan-3\",\"distributor_order_id\":\"x3\",\"product_version\":99}", "o-orphan-3", ordersVersion));
        covered.addAll(orphanCopy("orders", "order_id", orderId,
                "{\"order_id\":\"o-orphan-4\",\"distributor_order_id\":\"x4\",\"payer_account_version\":99}", "o-orphan-4",
                ordersAccount));
        covered.addAll(orphanCopy("tickets", "ticket_id", scanned.id(),
                "{\"ticket_id\":\"t-orphan-1\",\"ticket_no\":\"990000000001\",\"unit_index\":101,\"distributor_id\":\"d-ghost\"}",
                "t-orphan-1", ticketsDistributor));
        covered.addAll(orphanCopy("tickets", "ticket_id", scanned.id(),
                "{\"ticket_id\":\"t-orphan-2\",\"ticket_no\":\"990000000002\",\"unit_index\":102,\"product_version\":99}",
                "t-orphan-2", ticketsVersion));
        covered.addAll(orphanCopy("ticket_spots", "ticket_id", scanned.id(),
                "{\"spot_id\":\"sp-ghost\"}", scanned.id() + "/sp-ghost", spotsSpot));
        covered.addAll(orphanCopy("ticket_spots", "ticket_id", scanned.id(),
                "{\"spot_id\":\"" + otherSpot.id() + "\",\"redeemed_record_id\":\"rec-ghost\"}", scanned.id() + "/" + otherSpot.id(),
                spotsRecord));
        covered.addAll(orphanCopy("scan_records", "record_id", recordId,
                "{\"record_id\":\"rec-orphan-1\",\"device_id\":\"dev-ghost\"}", "rec-orphan-1", scanDevice));
        covered.addAll(orphanCopy("scan_records", "record_id", recordId,
                "{\"record_id\":\"rec-orphan-2\",\"spot_id\":\"sp-ghost\"}", "rec-orphan-2", scanSpot));
        covered.addAll(orphanCopy("scan_records", "record_id", recordId,
                "{\"record_id\":\"rec-orphan-3\",\"ticket_id\":\"t-ghost\"}", "rec-orphan-3", scanTicket));
        covered.addAll(orphanCopy("payouts", "payout_id", payoutId,
                "{\"payout_id\":\"po-orphan-1\",\"party_id\":\"sp-ghost\"}", "po-orphan-1", payoutParty, payoutAccount));
        covered.addAll(orphanCopy("payouts", "payout_id", payoutId,
                "{\"payout_id\":\"po-orphan-2\",\"kind\":\"REFUND\",\"account_version\":99}", "po-orphan-2", payoutAccount));
        covered.addAll(orphanCopy("payouts", "payout_id", payoutId,
                "{\"payout_id\":\"po-orphan-3\",\"ticket_id\":\"t-ghost\"}", "po-orphan-3", payoutTicket));
        covered.addAll(orphanCopy("payouts", "payout_id", payoutId,
                "{\"payout_id\":\"po-orphan-4\",\"kind\":\"PROFIT_SHARE\",\"ticket_id\":\"run-ghost\",\"order_id\":\"run-ghost\"}",
                "po-orphan-4", payoutRun));
        covered.addAll(orphanCopy("payouts", "payout_id", payoutId,
                "{\"payout_id\":\"po-orphan-5\",\"kind\":\"REFUND\",\"order_id\":\"o-ghost\"}", "po-orphan-5", payoutOrder));
        covered.addAll(orphanCopy("products", "product_id", product.id(),
                "{\"product_id\":\"p-orphan-1\",\"code_no\":4000000001,\"publisher_id\":\"sp-ghost\"}", "p-orphan-1", publisher));

        // Rows whose reference may name nothing by design: no line.
        orphanCopy("scan_records", "record_id", recordId,
                "{\"record_id\":\"rec-unknown-ticket\",\"ticket_id\":null}", "rec-unknown-ticket");
        orphanCopy("products", "product_id", product.id(),
                "{\"product_id\":\"p-combo\",\"code_no\":4000000002,\"publisher_id\":\"" + CombosImpl.PLATFORM + "\"}", "p-combo");
        // A profit share paid for a run that exists is no orphan, though no ticket or order has its id.
        jdbi.useHandle(h -> h.execute("INSERT INTO ticketing.profit_runs (run_id, period_from, period_to, mode, state, currency,"
                + " total_minor, from_sequence, to_sequence, proposed_by, proposed_at) VALUES ('run-real', now() - interval '1 day',"
                + " now(), 'ONLINE', 'APPROVED', 'CNY', 0, 0, 0, 'test', now())"));
        orphanCopy("payouts", "payout_id", payoutId,
                "{\"payout_id\":\"po-run-real\",\"kind\":\"PROFIT_SHARE\",\"ticket_id\":\"run-real\",\"order_id\":\"run-real\"}",
                "po-run-real");

        // Parents deleted by hand: the children that named them are reported, by their own ids.
        covered.addAll(orphanByDelete("devices", "device_id", gate.deviceId, recordId, scanDevice));
        covered.addAll(orphanByDelete("scan_records", "record_id", recordId, scanned.id() + "/" + spot.id(), spotsRecord));

        Set<String> all = new HashSet<>();
        ReferenceChecker.REFERENCES.forEach(r -> all.add(r.line(0, List.of()).name()));
        assertThat(covered).as("references without an orphan case").containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void theCountIsCompleteAndTheExamplesAreTheFirstIdsUpToTheLimit() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String id = "rec-many-" + i;
            ids.add(id);
            copy("scan_records", "record_id", recordId, "{\"record_id\":\"" + id + "\",\"device_id\":\"dev-ghost\"}");
        }
        try {
            ReferenceLine line = line(w.ticketing.references().check(2), "scan_records (device_id) -> devices (device_id)");
            assertThat(line.missing()).isEqualTo(3);
            assertThat(line.examples()).containsExactly("rec-many-1", "rec-many-2");
            assertThat(line.enforced()).contains("V30");
        } finally {
            ids.forEach(id -> delete("scan_records", "record_id", id));
        }
        assertThat(w.ticketing.references().check().intact()).isTrue();
        assertThatThrownBy(() -> w.ticketing.references().check(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.ticketing.references().check(ReferenceCheck.MAX_EXAMPLES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** No reference is checked by a subplan run per row: each is an anti-join over the parent's key. */
    @Test
    void everyQueryIsAnAntiJoin() {
        for (ReferenceChecker.Ref r : ReferenceChecker.REFERENCES) {
            for (String sql : List.of(r.countSql(), r.examplesSql())) {
                List<String> lines = jdbi.withHandle(h -> {
                    var q = h.createQuery("EXPLAIN " + sql);
                    return (sql.contains(":n") ? q.bind("n", 10) : q).mapTo(String.class).list();
                });
                String plan = String.join("\n", lines);
                assertThat(plan).as("%s%n%s", sql, plan).contains("Anti Join").doesNotContain("SubPlan");
            }
        }
    }

    /**
     * Copies the row of {@code table} whose {@code key} is {@code from} with {@code overrides},
     * checks that exactly {@code expected} report it (each with {@code id} as its only example), then
     * removes it and checks the world is intact again. Returns the references that reported it.
     */
    private Set<String> orphanCopy(String table, String key, String from, String overrides, String id, String... expected) {
        int before = count("SELECT count(*) FROM ticketing." + table);
        copy(table, key, from, overrides);
        assertThat(count("SELECT count(*) FROM ticketing." + table)).isEqualTo(before + 1);
        try {
            return assertReported(id, expected);
        } finally {
            delete(table, table.equals("ticket_spots") ? "ticket_id || '/' || spot_id" : key, id);
            assertThat(count("SELECT count(*) FROM ticketing." + table)).isEqualTo(before);
            assertThat(w.ticketing.references().check().intact()).as("intact after removing %s", id).isTrue();
        }
    }

    /** Deletes a parent row by hand, checks {@code expected} report {@code id} alone, then puts the row back. */
    private Set<String> orphanByDelete(String table, String key, String value, String id, String... expected) {
        String row = jdbi.withHandle(h -> h.createQuery("SELECT to_jsonb(x)::text FROM ticketing." + table + " x WHERE x." + key
                + " = :v").bind("v", value).mapTo(String.class).one());
        delete(table, key, value);
        try {
            return assertReported(id, expected);
        } finally {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO ticketing." + table + " SELECT (jsonb_populate_record(NULL::ticketing."
                    + table + ", CAST(:r AS jsonb))).*").bind("r", row).execute());
            assertThat(w.ticketing.references().check().intact()).as("intact after restoring %s", value).isTrue();
        }
    }

    private Set<String> assertReported(String id, String... expected) {
        ReferenceReport report = w.ticketing.references().check();
        Map<String, List<String>> broken = new LinkedHashMap<>();
        report.broken().forEach(l -> broken.put(l.name(), l.examples()));
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        for (String e : expected) {
            wanted.put(e, List.of(id));
        }
        assertThat(broken).as("orphan %s", id).containsExactlyInAnyOrderEntriesOf(wanted);
        report.broken().forEach(l -> assertThat(l.missing()).as(l.name()).isEqualTo(1));
        return wanted.keySet();
    }

    private void copy(String table, String key, String from, String overrides) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO ticketing." + table + " SELECT (jsonb_populate_record(NULL::ticketing."
                        + table + ", to_jsonb(x) || CAST(:o AS jsonb))).* FROM ticketing." + table + " x WHERE x." + key + " = :v"
                        + (table.equals("ticket_spots") ? " AND x.spot_id = '" + spot.id() + "'" : ""))
                .bind("o", overrides).bind("v", from).execute());
    }

    private void delete(String table, String key, String value) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM ticketing." + table + " WHERE " + key + " = :v").bind("v", value).execute());
    }

    private static ReferenceLine line(ReferenceReport report, String name) {
        return report.lines().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    /** The device function as DeviceRedemptions calls it for a device it authenticated itself. */
    private String redeemAtGate(Ticket ticket, String record) {
        OffsetDateTime now = w.clock.instant().atOffset(ZoneOffset.UTC);
        long spotNo = count("SELECT code_no FROM ticketing.parties WHERE party_id = '" + spot.id() + "'");
        return jdbi.withHandle(h -> h.createQuery("SELECT outcome FROM ticketing.device_redeem_online(:dev, :rec, :digest, :nonce,"
                        + " :no, :spot, :code, :at, 0, 1, '\\x00'::bytea, :at, '{\"outcome\":\"REDEEMED\"}', :po, 'ref test', 'CNY', 2,"
                        + " NULL, NULL, :spotNo)")
                .bind("dev", gate.deviceId).bind("rec", record).bind("digest", "digest-" + record).bind("nonce", "nonce-" + record)
                .bind("no", Long.parseLong(ticket.number())).bind("spot", spot.id()).bind("code", ticket.code()).bind("at", now)
                .bind("po", "po-" + record).bind("spotNo", spotNo).mapTo(String.class).one());
    }
}
