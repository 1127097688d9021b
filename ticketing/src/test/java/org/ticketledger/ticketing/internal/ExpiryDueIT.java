package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;

/**
 * The sweep's combo branch among many open tickets once a plan is no longer OPEN: it still expires
 * that plan's combo tickets, and it reaches them through {@code tickets_open_by_product} (V29)
 * instead of reading every open ticket.
 */
class ExpiryDueIT {

    private static final int OPEN_TICKETS = 20_000;

    @Test
    void expiresTheComboTicketsOfAPlanNoLongerOpenThroughTheProductIndex() throws SQLException {
        try (ComboWorld w = ComboWorld.start()) {
            w.onboardPlatform(Money.parseCny("500.00"), Money.parseCny("2000.00"));
            ScenicSpot lake = w.alipaySpot("Due Lake");
            ScenicSpot temple = w.hjbSpot("Due Temple");
            Distributor d = w.hjbDistributor("Due Travel", Money.parseCny("5000.00"));
            PlanId plan = w.newPlan();
            ComboProduct combo = w.publish(w.draft(plan, "100.00", 30, 60, ComboWorld.price(lake, "30.00"),
                    ComboWorld.price(temple, "40.00")));
            List<Ticket> tickets = w.issue(d, combo, "DUE-1", 2);
            w.drain(10);
            Money breakage = w.balance("revenue:breakage");

            OffsetDateTime now = w.clock.instant().atOffset(ZoneOffset.UTC);
            try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement()) {
                // Open tickets of another product, valid for a month: what the sweep must not read.
                try (PreparedStatement bulk = c.prepareStatement("INSERT INTO ticketing.tickets (ticket_id, ticket_no, order_id,"
                        + " unit_index, product_id, product_version, distributor_id, state, face_minor, fee_share_minor, currency,"
                        + " valid_from, valid_until, code, issued_at, updated_at)"
                        + " SELECT 'bulk-' || i, 'BULK' || i, o.order_id, 1000 + i, 'p-bulk', 1, o.distributor_id,"
                        + " CASE WHEN i % 2 = 0 THEN 'REDEEMED' ELSE 'ISSUED' END, 100, 0, 'CNY', ?, ? + interval '30 days',"
                        + " 'bulk', ?, ? FROM generate_series(1, ?) i, ticketing.tickets o WHERE o.ticket_id = ?")) {
                    bulk.setObject(1, now);
                    bulk.setObject(2, now);
                    bulk.setObject(3, now);
                    bulk.setObject(4, now);
                    bulk.setInt(5, OPEN_TICKETS);
                    bulk.setString(6, tickets.get(0).id());
                    assertThat(bulk.executeUpdate()).isEqualTo(OPEN_TICKETS);
                }
                // The plan past OPEN while its combo tickets are still ISSUED: what a crash between the
                // plan's close and its expirePlanTickets leaves, for the sweep to finish.
                assertThat(st.executeUpdate("UPDATE ticketing.wealth_plans SET state = 'CLOSED' WHERE plan_id = '"
                        + plan.value() + "'")).isEqualTo(1);
                st.execute("ANALYZE ticketing.tickets");
            }

            List<String> lines = Jdbi.create(w.dataSource).withHandle(h -> h.createQuery("EXPLAIN " + ExpiryImpl.COMBO_DUE)
                    .bind("n", 100).mapTo(String.class).list());
            String shape = String.join("\n", lines);
            assertThat(shape).as(shape).contains("tickets_open_by_product").doesNotContainPattern("Seq Scan on tickets\\b");

            w.ticketing.runDueWork();
            for (Ticket t : tickets) {
                assertThat(w.ticketing.tickets().ticket(t.id()).orElseThrow().state()).isEqualTo(TicketState.EXPIRED);
                assertThat(w.journal.entryByKey(w.ledger(), "ticket:" + t.id() + ":expired")).isPresent();
            }
            assertThat(w.balance("revenue:breakage").minus(breakage)).isEqualTo(Money.parseCny("200.00"));
        }
    }
}
