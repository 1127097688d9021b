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
 * The payout sweep's claim among many finished payouts: it reaches the due ones through
 * {@code payouts_due} (V33) in claim order, instead of reading every payout and sorting the due
 * ones, and it still claims exactly the oldest due payouts nobody holds a lease on.
 */
class PayoutClaimIT {

    private static final int DONE = 20_000;
    private static final int DUE = 2_000;
    private static final String INSERT = "INSERT INTO ticketing.payouts (payout_id, kind, ticket_id, order_id, party_id,"
            + " account_version, rail, gross_minor, fee_minor, net_minor, currency, state, next_attempt_at, lease_owner,"
            + " lease_until, created_at, updated_at)"
            + " SELECT ? || i, 'SCENIC_SETTLEMENT', ? || i, 'o-1', 'sp-1', 1, 'HUIJINBAO', 9000, 90, 8910, 'CNY', ?,"
            + " ?::timestamptz - i * interval '1 second', ?, ?::timestamptz, ?, ? FROM generate_series(1, ?) i";

    @Test
    void claimsTheOldestDuePayoutsThroughTheDueIndex() throws SQLException {
        OffsetDateTime now = OffsetDateTime.of(2026, 11, 28, 10, 0, 0, 0, ZoneOffset.UTC);
        try (HikariDataSource ds = PostgresFixture.pool(PostgresFixture.newDatabaseUrl(), 2)) {
            Db.migrate(ds);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 PreparedStatement in = c.prepareStatement(INSERT)) {
                // What the claim must not read: paid payouts (kept for ever), and the due ones below.
                insert(in, "done-", "DONE", now, null, null, now, DONE);
                insert(in, "due-", "PENDING", now, null, null, now, DUE);
                // The oldest of all, but leased by a live drive elsewhere: skipped.
                insert(in, "leased-", "SENT", now.minusHours(1), "other", now.plusMinutes(1), now, 30);
                // Due later: not claimed.
                insert(in, "later-", "RETRYING", now.plusHours(1), null, null, now, 50);
                st.execute("ANALYZE ticketing.payouts");
            }
            String claim = LeasedSweep.claimUpdate("ticketing.payouts", "payout_id", PayoutsImpl.DUE, PayoutsImpl.DUE_ORDER)
                    + " RETURNING payout_id";
            Jdbi jdbi = Jdbi.create(ds);

            List<String> lines = jdbi.withHandle(h -> bind(h.createQuery("EXPLAIN " + claim), now).mapTo(String.class).list());
            String shape = String.join("\n", lines);
            assertThat(shape).as(shape).contains("payouts_due").doesNotContainPattern("Seq Scan on payouts\\b")
                    .doesNotContainPattern("Sort Key: .*next_attempt_at");

            // The 100 oldest unleased due payouts: due-2000 (now - 2000 s) down to due-1901.
            List<String> claimed = jdbi.inTransaction(h -> bind(h.createQuery(claim), now).mapTo(String.class).list());
            assertThat(claimed).hasSize(100).allMatch(id -> id.startsWith("due-"))
                    .allMatch(id -> Integer.parseInt(id.substring(4)) > DUE - 100);
            int leased = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM ticketing.payouts WHERE lease_owner = 'tok'")
                    .mapTo(Integer.class).one());
            assertThat(leased).isEqualTo(100);
        }
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bind(T q, OffsetDateTime now) {
        return q.bind("tok", "tok").bind("until", now.plusMinutes(2)).bind("now", now).bind("n", 100);
    }

    private static void insert(PreparedStatement in, String prefix, String state, OffsetDateTime attemptAt, String leaseOwner,
                               OffsetDateTime leaseUntil, OffsetDateTime now, int n) throws SQLException {
        in.setString(1, prefix);
        in.setString(2, "tk-" + prefix);
        in.setString(3, state);
        in.setObject(4, attemptAt);
        in.setString(5, leaseOwner);
        in.setObject(6, leaseUntil);
        in.setObject(7, now);
        in.setObject(8, now);
        in.setInt(9, n);
        in.executeUpdate();
    }
}
