package org.ticketledger.ticketing.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * A measurement, not a test (it asserts nothing): EXPLAIN (ANALYZE, BUFFERS) of the expiry due
 * queries at 100k single tickets due, at nothing due beside 20k combo tickets past validity under an
 * OPEN plan, and at those 20k due once the plan is past OPEN; and what runs of the sweep expire.
 * It reads the queries by reflection so that the same file runs on builds from before V31 (field
 * {@code DUE}) as an A/B. Run with {@code -Dit.test=ExpiryMeasureIT -Dexpiry.measure=true}
 * ({@code -Dm.due}, {@code -Dm.combos}, {@code -Dm.runs} change the sizes); lines start "MEASURE".
 */
@EnabledIfSystemProperty(named = "expiry.measure", matches = "true")
class ExpiryMeasureIT {
    static final int DUE = Integer.getInteger("m.due", 100_000);
    static final int COMBOS = Integer.getInteger("m.combos", 20_000);
    static final int RUNS = Integer.getInteger("m.runs", 6);

    @Test
    void measure() throws Exception {
        JobSettings settings = JobSettings.fast().withSweepInterval(Duration.ofSeconds(5));
        try (ComboWorld w = ComboWorld.start(settings, UnaryOperator.identity())) {
            Money each = Money.parseCny("1.00").times(DUE);
            w.onboardPlatform(Money.parseCny("500.00"), Money.parseCny("2000.00").plus(each));
            ScenicSpot lake = w.alipaySpot("M Lake");
            ScenicSpot temple = w.hjbSpot("M Temple");
            Distributor d = w.hjbDistributor("M Travel", Money.parseCny("5000.00"));
            PlanId plan = w.newPlan();
            ComboProduct combo = w.publish(w.draft(plan, "100.00", 30, 60, ComboWorld.price(lake, "30.00"),
                    ComboWorld.price(temple, "40.00")));
            List<Ticket> real = w.issue(d, combo, "M-1", 1);
            w.drain(10);
            OffsetDateTime now = w.clock.instant().atOffset(ZoneOffset.UTC);
            try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement()) {
                boolean flag;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ticketing'"
                        + " AND table_name = 'tickets' AND column_name = 'combo'")) {
                    rs.next();
                    flag = rs.getInt(1) == 1;
                }
                String ts = "'" + now + "'::timestamptz";
                String ins = "INSERT INTO ticketing.tickets (ticket_id, ticket_no, order_id, unit_index, product_id, product_version,"
                        + " distributor_id, state, face_minor, fee_share_minor, currency, valid_from, valid_until, code, issued_at, updated_at"
                        + (flag ? ", combo" : "") + ") SELECT '%s-' || i, '%s' || i, o.order_id, o.unit_index + %d + i, '%s', 1,"
                        + " o.distributor_id, 'ISSUED', 100, 0, 'CNY', " + ts + " - interval '2 days', " + ts
                        + " - interval '1 day' + (i %% 80000) * interval '1 second', 'bulk', " + ts + ", " + ts + "%s"
                        + " FROM generate_series(1, %d) i, ticketing.tickets o WHERE o.ticket_id = '" + real.get(0).id() + "'";
                st.executeUpdate(String.format(ins, "single", "SINGLE", 1000, "p-single", flag ? ", false" : "", DUE));
                st.executeUpdate(String.format(ins, "combo", "COMBO", 10_000_000, combo.product().id(), flag ? ", true" : "", COMBOS));
                st.execute("VACUUM ANALYZE ticketing.tickets");
            }
            w.journal.post(Book.standard(w.ledger(), "bulk-issue", "test").debit(Book.FUNDING, each).credit(Book.UNREDEEMED, each).build());
            Jdbi jdbi = Jdbi.create(w.dataSource);
            List<String> queries = flag(w) ? List.of("SINGLE_DUE", "COMBO_DUE") : List.of("DUE");
            for (String q : queries) {
                explain(jdbi, q, now, "at " + DUE + " due");
            }
            int total = 0;
            long t0 = System.nanoTime();
            for (int r = 0; r < RUNS; r++) {
                long t = System.nanoTime();
                int e = w.ticketing.runDueWork().expiries();
                total += e;
                System.out.printf("MEASURE run %d: expired %d in %.0f ms%n", r, e, (System.nanoTime() - t) / 1e6);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("MEASURE total %d in %.2f s of sweep work (%.0f/s of work); per 5 s interval + run: %.0f/s%n", total, s,
                    total / s, total / (s + RUNS * 5.0));
            try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE ticketing.tickets SET state = 'EXPIRED', expiry_booked = true WHERE ticket_id LIKE 'single-%'");
                st.execute("VACUUM ANALYZE ticketing.tickets");
            }
            for (String q : queries) {
                explain(jdbi, q, now, "at 0 due (" + COMBOS + " combo tickets past validity, plan OPEN)");
            }
            // The plan past OPEN with its combo tickets still ISSUED (a close that crashed before expiring them).
            try (Connection c = w.dataSource.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE ticketing.wealth_plans SET state = 'CLOSED' WHERE plan_id = '" + plan.value() + "'");
                st.execute("ANALYZE ticketing.tickets");
            }
            for (String q : queries) {
                explain(jdbi, q, now, "at " + COMBOS + " combo tickets due (plan CLOSED)");
            }
            int ctotal = 0;
            long c0 = System.nanoTime();
            for (int r = 0; r < 3; r++) {
                long t = System.nanoTime();
                int e = w.ticketing.runDueWork().expiries();
                ctotal += e;
                System.out.printf("MEASURE combo run %d: expired %d in %.0f ms%n", r, e, (System.nanoTime() - t) / 1e6);
            }
            double cs = (System.nanoTime() - c0) / 1e9;
            System.out.printf("MEASURE combo total %d in %.2f s of sweep work (%.0f/s of work)%n", ctotal, cs, ctotal / cs);
        }
    }

    private static boolean flag(ComboWorld w) throws Exception {
        try {
            ExpiryImpl.class.getDeclaredField("SINGLE_DUE");
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static void explain(Jdbi jdbi, String field, OffsetDateTime now, String when) throws Exception {
        var f = ExpiryImpl.class.getDeclaredField(field);
        f.setAccessible(true);
        String sql = (String) f.get(null);
        for (int i = 0; i < 3; i++) {
            String plan = jdbi.withHandle(h -> {
                var q = h.createQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql).bind("n", 100);
                if (sql.contains(":now")) {
                    q.bind("now", now);
                }
                return String.join("\n", q.mapTo(String.class).list());
            });
            if (i == 2) {
                System.out.println("MEASURE EXPLAIN " + field + " " + when + ":\n" + plan);
            } else {
                System.out.println("MEASURE " + field + " " + when + " run " + i + ": "
                        + plan.lines().filter(l -> l.startsWith("Execution Time")).findFirst().orElse(""));
            }
        }
    }
}
