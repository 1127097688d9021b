package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * Many single tickets ending together, beside combo tickets past their validity whose plan is still
 * OPEN: one run of the sweep expires batch after batch, through an ordered range of
 * {@code tickets_expiry_single} (V31) that never reads the combo tickets, and books each breakage
 * once however often the booking is repeated.
 */
class ExpiryDrainIT {

    /** Ten batches of the default 100; every tenth one a crash left EXPIRED and not booked. */
    private static final int DUE = Integer.getInteger("expiry.drain.due", 1_000);
    private static final int PAST_COMBOS = Integer.getInteger("expiry.drain.combos", 2_000);

    @Test
    void oneRunExpiresBatchAfterBatchOfSingleTicketsAndBooksEachBreakageOnce() throws SQLException {
        // A sweep interval of 5 s, the production default, is the run's budget.
        JobSettings settings = JobSettings.fast().withSweepInterval(Duration.ofSeconds(5));
        try (ComboWorld w = ComboWorld.start(settings, UnaryOperator.identity())) {
            Money oneEach = Money.parseCny("1.00").times(DUE);
            w.onboardPlatform(Money.parseCny("500.00"), Money.parseCny("2000.00").plus(oneEach));
            ScenicSpot lake = w.alipaySpot("Drain Lake");
            ScenicSpot temple = w.hjbSpot("Drain Temple");
            Distributor d = w.hjbDistributor("Drain Travel", Money.parseCny("5000.00"));
            PlanId plan = w.newPlan();
            ComboProduct combo = w.publish(w.draft(plan, "100.00", 30, 60, ComboWorld.price(lake, "30.00"),
                    ComboWorld.price(temple, "40.00")));
            List<Ticket> real = w.issue(d, combo, "DRAIN-1", 1);
            w.drain(10);
            Money breakage = w.balance("revenue:breakage");

            OffsetDateTime now = w.clock.instant().atOffset(ZoneOffset.UTC);
            try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement()) {
                // Single tickets of 1.00 whose validity ended yesterday, valid_until spread over the day.
                bulk(c, "single", "p-single", false, "CASE WHEN i % 10 = 0 THEN 'EXPIRED' ELSE 'ISSUED' END", DUE, now,
                        real.get(0).id());
                // The combo's tickets past validity while its plan is OPEN for another month: not due.
                bulk(c, "combo", combo.product().id(), true, "'ISSUED'", PAST_COMBOS, now, real.get(0).id());
                // The same, stored without the flag by an instance of the version before V31.
                bulk(c, "unflagged", combo.product().id(), false, "'ISSUED'", 10, now, real.get(0).id());
                st.execute("ANALYZE ticketing.tickets");
            }
            // What issuing the bulk tickets would have put in tickets:unredeemed, which their breakage takes out.
            assertThat(w.journal.post(Book.standard(w.ledger(), "bulk-issue", "test").debit(Book.FUNDING, oneEach)
                    .credit(Book.UNREDEEMED, oneEach).build())).isInstanceOf(PostResult.Posted.class);
            Jdbi jdbi = Jdbi.create(w.dataSource);
            String shape = explain(jdbi, "EXPLAIN " + ExpiryImpl.SINGLE_DUE, now);
            assertThat(shape).as(shape).contains("tickets_expiry_single").doesNotContain("Sort")
                    .doesNotContainPattern("Seq Scan on tickets\\b");
            System.out.println("SINGLE_DUE at " + DUE + " due:\n" + explain(jdbi,
                    "EXPLAIN (ANALYZE, BUFFERS) " + ExpiryImpl.SINGLE_DUE, now));

            long t0 = System.nanoTime();
            int first = w.ticketing.runDueWork().expiries();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("expiry drain: %d tickets expired in one run of %.2f s (%.0f/s)%n", first, seconds, first / seconds);
            assertThat(first).as("one run expires more than one batch").isGreaterThan(settings.batchSize());
            w.drain(30);

            assertThat(count(w, "SELECT count(*) FROM ticketing.tickets WHERE ticket_id LIKE 'single-%'"
                    + " AND state = 'EXPIRED' AND expiry_booked")).isEqualTo(DUE);
            assertThat(count(w, "SELECT count(*) FROM ticketing.tickets WHERE ticket_id LIKE 'combo-%'"
                    + " AND state = 'ISSUED' AND NOT expiry_booked")).isEqualTo(PAST_COMBOS);
            assertThat(count(w, "SELECT count(*) FROM ticketing.tickets WHERE ticket_id LIKE 'unflagged-%'"
                    + " AND state = 'ISSUED' AND combo AND NOT expiry_booked")).isEqualTo(10);
            assertThat(w.balance("revenue:breakage").minus(breakage)).isEqualTo(oneEach);
            assertThat(w.journal.entryByKey(w.ledger(), "ticket:single-7:expired")).isPresent();

            // At nothing due the single branch reads nothing: the combo tickets are not in its index.
            String idle = explain(jdbi, "EXPLAIN (ANALYZE, BUFFERS) " + ExpiryImpl.SINGLE_DUE, now);
            System.out.println("SINGLE_DUE at 0 due:\n" + idle);
            assertThat(idle).as(idle).contains("rows=0 loops=1").doesNotContain("Rows Removed by Filter");

            // A crash after the ledger posts but before the flag: the bookings repeat, the ledger has them.
            try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE ticketing.tickets SET expiry_booked = false"
                        + " WHERE ticket_id LIKE 'single-%' AND (substr(ticket_id, 8))::int % 7 = 0")).isEqualTo(DUE / 7);
            }
            w.drain(30);
            assertThat(w.balance("revenue:breakage").minus(breakage)).isEqualTo(oneEach);
            assertThat(count(w, "SELECT count(*) FROM ticketing.tickets WHERE ticket_id LIKE 'single-%'"
                    + " AND NOT expiry_booked")).isZero();
            assertThat(w.trialBalanced()).isTrue();
        }
    }

    private static void bulk(Connection c, String prefix, String product, boolean combo, String state, int n,
                             OffsetDateTime now, String likeTicket) throws SQLException {
        try (PreparedStatement bulk = c.prepareStatement("INSERT INTO ticketing.tickets (ticket_id, ticket_no, order_id,"
                + " unit_index, product_id, product_version, distributor_id, state, face_minor, fee_share_minor, currency,"
                + " valid_from, valid_until, code, issued_at, updated_at, combo)"
                + " SELECT ? || '-' || i, upper(?) || i, o.order_id, o.unit_index + 1000 + i + ?, ?, 1, o.distributor_id, "
                + state + ", 100, 0, 'CNY', ? - interval '2 days', ? - interval '1 day' + i * interval '1 second', 'bulk', ?, ?, ?"
                + " FROM generate_series(1, ?) i, ticketing.tickets o WHERE o.ticket_id = ?")) {
            int k = 1;
            bulk.setString(k++, prefix);
            bulk.setString(k++, prefix);
            bulk.setInt(k++, prefix.hashCode() & 0xffffff);
            bulk.setString(k++, product);
            bulk.setObject(k++, now);
            bulk.setObject(k++, now);
            bulk.setObject(k++, now);
            bulk.setObject(k++, now);
            bulk.setBoolean(k++, combo);
            bulk.setInt(k++, n);
            bulk.setString(k, likeTicket);
            assertThat(bulk.executeUpdate()).isEqualTo(n);
        }
    }

    private static String explain(Jdbi jdbi, String sql, OffsetDateTime now) {
        return jdbi.withHandle(h -> String.join("\n", h.createQuery(sql).bind("now", now).bind("n", 100)
                .mapTo(String.class).list()));
    }

    private static long count(ComboWorld w, String sql) throws SQLException {
        try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
