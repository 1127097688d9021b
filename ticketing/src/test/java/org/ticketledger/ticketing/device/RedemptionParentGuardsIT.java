package org.ticketledger.ticketing.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;

/**
 * V30 dropped the foreign keys of scan_records (device, spot, ticket) and of payouts (party): the
 * redemption's writes no longer lock a parent row. What those keys refused, {@code
 * device_redeem_online} refuses itself, before it writes anything: a device that does not exist or is
 * not at the spot, a spot that is not the device's, a ticket that does not exist. Called here the way
 * the Java path calls it after authenticating the device itself (no session to check), which is the
 * case the keys alone guarded before V30.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedemptionParentGuardsIT {

    private Harness w;
    private ScenicSpot spot;
    private ScenicSpot otherSpot;
    private GateDevice gate;
    private GateDevice otherGate;
    private long spotNo;
    private List<Ticket> tickets;

    @BeforeAll
    void world() throws SQLException {
        w = Harness.start();
        w.onboardPlatform();
        spot = w.spot("Guard Lake");
        otherSpot = w.spot("Guard Hill");
        Distributor distributor = w.distributor("Guard Travel", Money.parseCny("5000.00"));
        Product product = w.publish(spot, "100.00", "90.00");
        Devices devices = w.ticketing.devices();
        gate = provision(devices, spot);
        otherGate = provision(devices, otherSpot);
        IssueResult r = w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "GUARD-1", product.id(), w.today(), 6,
                product.distributorPrice()));
        tickets = r instanceof IssueResult.Issued done ? done.tickets() : awaitTickets(((IssueResult.InProgress) r).order().id());
        spotNo = codeNo(spot.id());
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void theForeignKeysAreGoneAndTheirReplacementGuardsAreThere() throws SQLException {
        try (Connection c = w.dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT conname FROM pg_constraint WHERE contype = 'f'"
                     + " AND conrelid IN ('ticketing.scan_records'::regclass, 'ticketing.payouts'::regclass)");
             ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).as("foreign keys left on scan_records or payouts").isFalse();
        }
        // The positive control: the same call with the device at its spot redeems, and what it wrote names
        // rows that exist.
        Ticket ticket = tickets.get(0);
        assertThat(call(gate.deviceId, "rec-guard-ok", ticket, spot.id(), spotNo)).isEqualTo("REDEEMED");
        assertThat(count("SELECT count(*) FROM ticketing.scan_records r JOIN ticketing.devices d ON d.device_id = r.device_id"
                + " JOIN ticketing.parties p ON p.party_id = r.spot_id JOIN ticketing.tickets t ON t.ticket_id = r.ticket_id"
                + " WHERE r.record_id = 'rec-guard-ok' AND d.spot_id = p.party_id")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ticketing.payouts o JOIN ticketing.parties p ON p.party_id = o.party_id"
                + " WHERE o.ticket_id = '" + ticket.id() + "' AND p.kind = 'SCENIC_SPOT'")).isEqualTo(1);
    }

    @Test
    void aDeviceThatDoesNotExistWritesNothing() throws SQLException {
        Ticket ticket = tickets.get(1);
        assertThat(call("dev-nowhere", "rec-guard-nodev", ticket, spot.id(), spotNo)).isEqualTo("SESSION");
        assertNothingWritten("rec-guard-nodev", ticket);
    }

    @Test
    void aDeviceOfAnotherSpotWritesNothing() throws SQLException {
        Ticket ticket = tickets.get(2);
        assertThat(call(otherGate.deviceId, "rec-guard-otherdev", ticket, spot.id(), spotNo)).isEqualTo("SESSION");
        assertNothingWritten("rec-guard-otherdev", ticket);
    }

    @Test
    void aSpotThatIsNotTheDevicesWritesNothing() throws SQLException {
        Ticket ticket = tickets.get(3);
        assertThat(call(gate.deviceId, "rec-guard-nospot", ticket, "sp-nowhere", spotNo)).isEqualTo("SESSION");
        assertNothingWritten("rec-guard-nospot", ticket);
        // The spot's id with another spot's number: not the party the device is at either.
        assertThat(call(gate.deviceId, "rec-guard-spotno", ticket, spot.id(), codeNo(otherSpot.id()))).isEqualTo("SESSION");
        assertNothingWritten("rec-guard-spotno", ticket);
    }

    @Test
    void aTicketThatDoesNotExistWritesNothing() throws SQLException {
        Ticket real = tickets.get(4);
        long missing = Long.parseLong(real.number()) + 1_000_000;
        try (Connection c = w.dataSource.getConnection()) {
            assertThat(call(c, gate.deviceId, "rec-guard-noticket", missing, real.code(), spot.id(), spotNo)).isEqualTo("FALLBACK");
        }
        assertThat(count("SELECT count(*) FROM ticketing.scan_records WHERE record_id = 'rec-guard-noticket'"
                + " OR code_ticket_id = " + missing)).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.redeem_answers WHERE record_id = 'rec-guard-noticket'")).isZero();
    }

    private void assertNothingWritten(String recordId, Ticket ticket) throws SQLException {
        assertThat(count("SELECT count(*) FROM ticketing.scan_records WHERE record_id = '" + recordId + "'")).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.device_nonces WHERE record_id = '" + recordId + "'")).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.redeem_answers WHERE record_id = '" + recordId + "'")).isZero();
        assertThat(count("SELECT count(*) FROM ticketing.payouts WHERE ticket_id = '" + ticket.id() + "'")).isZero();
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.ISSUED);
    }

    private String call(String deviceId, String recordId, Ticket ticket, String spotId, long spotNumber) throws SQLException {
        try (Connection c = w.dataSource.getConnection()) {
            return call(c, deviceId, recordId, Long.parseLong(ticket.number()), ticket.code(), spotId, spotNumber);
        }
    }

    /** The function as DeviceRedemptions calls it on a session it authenticated itself (no session id, no access hash). */
    private String call(Connection c, String deviceId, String recordId, long ticketNo, String code, String spotId, long spotNumber)
            throws SQLException {
        OffsetDateTime now = w.clock.instant().atOffset(ZoneOffset.UTC);
        try (PreparedStatement st = c.prepareStatement("SELECT outcome FROM ticketing.device_redeem_online(?, ?, ?, ?, ?, ?, ?, ?,"
                + " 0, 1, '\\x00'::bytea, ?, '{\"outcome\":\"REDEEMED\"}', ?, 'guard test', 'CNY', 2, NULL, NULL, ?)")) {
            st.setString(1, deviceId);
            st.setString(2, recordId);
            st.setString(3, "digest-" + recordId);
            st.setString(4, "nonce-" + recordId);
            st.setLong(5, ticketNo);
            st.setString(6, spotId);
            st.setString(7, code);
            st.setObject(8, now);
            st.setObject(9, now);
            st.setString(10, "po-" + recordId);
            st.setLong(11, spotNumber);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = w.dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long codeNo(String partyId) throws SQLException {
        return count("SELECT code_no FROM ticketing.parties WHERE party_id = '" + partyId + "'");
    }

    private GateDevice provision(Devices devices, ScenicSpot at) {
        return new GateDevice().provision(devices,
                devices.createProvisioningToken(at.id(), Optional.of("Gate"), "admin").orElseThrow().qrText());
    }

    private List<Ticket> awaitTickets(String orderId) {
        Harness.await(java.time.Duration.ofSeconds(60), () -> {
            w.drain(3);
            return w.ticketing.tickets().byOrder(orderId).size() == 6;
        }, "order " + orderId + " issued");
        return w.ticketing.tickets().byOrder(orderId);
    }
}
