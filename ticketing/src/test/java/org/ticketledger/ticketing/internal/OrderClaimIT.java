package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * The order sweep's claim with a backlog (a rail outage leaves thousands of orders CHARGE_UNKNOWN)
 * among many issued orders: it reads {@code orders_due} in claim order and stops after a batch, in
 * the generic plan a prepared claim settles on too; ordered NULLS FIRST, against the index's nulls
 * last, it read and sorted every due order. It claims exactly the oldest due orders.
 */
class OrderClaimIT {

    private static final int ISSUED = 50_000;
    private static final int DUE = 20_000;
    private static final String INSERT = "INSERT INTO ticketing.orders (order_id, distributor_id, distributor_order_id,"
            + " request_digest, product_id, product_version, visit_date, slot, quantity, unit_price_minor, fee_minor,"
            + " total_minor, currency, rail, payer_account_version, state, next_attempt_at, created_at, updated_at)"
            + " SELECT ? || i, 'd-1', ? || i, 'digest', 'p-1', 1, DATE '2026-12-01', '', 1, 10000, 100, 10100, 'CNY', 'ALIPAY',"
            + " 1, ?, ?::timestamptz - i * interval '1 second', ?::timestamptz, ?::timestamptz FROM generate_series(1, ?) i";

    @Test
    void claimsTheOldestDueOrdersThroughTheDueIndexWithoutSorting() throws SQLException {
        OffsetDateTime now = OffsetDateTime.of(2026, 11, 28, 10, 0, 0, 0, ZoneOffset.UTC);
        try (HikariDataSource ds = PostgresFixture.pool(PostgresFixture.newDatabaseUrl(), 2)) {
            Db.migrate(ds);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 PreparedStatement in = c.prepareStatement(INSERT)) {
                insert(in, "issued-", "ISSUED", now, ISSUED);
                insert(in, "due-", "CHARGE_UNKNOWN", now, DUE);
                insert(in, "later-", "CHARGE_UNKNOWN", now.plusHours(1), 50);
                st.execute("ANALYZE ticketing.orders");
            }
            String claim = LeasedSweep.claimUpdate("ticketing.orders", "order_id", OrdersImpl.DUE, OrdersImpl.DUE_ORDER)
                    + " RETURNING order_id";
            Jdbi jdbi = Jdbi.create(ds);

            String generic = PayoutClaimIT.genericPlan(jdbi, claim, now);
            assertThat(generic).as(generic).contains("orders_due").doesNotContain("Sort").doesNotContainPattern("Seq Scan on orders\\b")
                    .contains("rows=100");

            // The 100 oldest due orders: due-20000 (now - 20,000 s) down to due-19901.
            List<String> claimed = jdbi.inTransaction(h -> h.createQuery(claim).bind("tok", "tok").bind("until", now.plusMinutes(2))
                    .bind("now", now).bind("n", 100).mapTo(String.class).list());
            assertThat(claimed).hasSize(100).allMatch(id -> id.startsWith("due-"))
                    .allMatch(id -> Integer.parseInt(id.substring(4)) > DUE - 100);
        }
    }

    private static void insert(PreparedStatement in, String prefix, String state, OffsetDateTime attemptAt, int n)
            throws SQLException {
        in.setString(1, prefix);
        in.setString(2, prefix);
        in.setString(3, state);
        in.setObject(4, attemptAt);
        in.setObject(5, attemptAt);
        in.setObject(6, attemptAt);
        in.setInt(7, n);
        in.executeUpdate();
    }
}
