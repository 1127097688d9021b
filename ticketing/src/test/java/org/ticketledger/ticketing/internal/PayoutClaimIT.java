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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * The payout sweep's claim among many finished payouts: it reaches the due ones through
 * {@code payouts_due} (V33) in claim order, instead of reading every payout and sorting the due
 * ones, also in the generic plan a prepared claim settles on (where {@code IN (subquery)} joined the
 * batch against every due row), and it still claims exactly the oldest due payouts nobody holds a
 * lease on.
 */
class PayoutClaimIT {

    private static final int DONE = 100_000;
    /**
     * A backlog as redeem-http leaves it: with a few thousand due, the generic plan of the old
     * {@code IN (subquery)} form still joined by a nested loop; by tens of thousands it hashed the
     * batch and scanned every due row against it.
     */
    private static final int DUE = 50_000;
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

            // A prepared claim (the driver's, after a few runs) settles on a generic plan, without the
            // values of :now and :n: it too must stop after a batch, not join it against every due row.
            String generic = genericPlan(jdbi, claim, now);
            // 100 claimed, the 30 leased ones passed over: no node comes near the 50,000 due or 100,000 DONE.
            Matcher rows = Pattern.compile("(?:rows=|Rows Removed by Filter: )(\\d+)").matcher(generic);
            int most = 0;
            while (rows.find()) {
                most = Math.max(most, Integer.parseInt(rows.group(1)));
            }
            assertThat(generic).as(generic).contains("payouts_due").contains("rows=100");
            assertThat(most).as(generic).isBetween(100, 200);

            // The 100 oldest unleased due payouts: due-50000 (now - 50,000 s) down to due-49901.
            List<String> claimed = jdbi.inTransaction(h -> bind(h.createQuery(claim), now).mapTo(String.class).list());
            assertThat(claimed).hasSize(100).allMatch(id -> id.startsWith("due-"))
                    .allMatch(id -> Integer.parseInt(id.substring(4)) > DUE - 100);
            int leased = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM ticketing.payouts WHERE lease_owner = 'tok'")
                    .mapTo(Integer.class).one());
            assertThat(leased).isEqualTo(100);
        }
    }

    /**
     * EXPLAIN ANALYZE of {@code claim} (binding :tok, :until, :now, :n) in the generic plan a prepared
     * claim settles on after a few runs (the driver's), without the values of :now and :n, claiming
     * 100 at {@code now}; rolled back.
     */
    static String genericPlan(Jdbi jdbi, String claim, OffsetDateTime now) {
        return jdbi.withHandle(h -> {
            h.begin();
            try {
                h.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                h.execute("PREPARE claim_generic (text, timestamptz, timestamptz, int) AS " + claim.replace(":tok", "$1")
                        .replace(":until", "$2").replace(":now", "$3").replaceAll(":n\\b", "\\$4"));
                return String.join("\n", h.createQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE claim_generic"
                        + " ('tok', '" + now.plusMinutes(2) + "', '" + now + "', 100)").mapTo(String.class).list());
            } finally {
                h.rollback();
                h.execute("DEALLOCATE claim_generic");
            }
        });
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
