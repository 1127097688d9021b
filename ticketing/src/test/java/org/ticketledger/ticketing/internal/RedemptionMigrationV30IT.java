package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * V30 on a database that V29 left with rows: a spot, its gate, an order's tickets, one of them
 * already redeemed online (scan record, payout, answer, nonce). The migration keeps every row, drops
 * the foreign keys and indexes it names, and the replaced function redeems a ticket issued before it,
 * answers a repeat of that call from the stored answer, and still refuses the ticket redeemed before.
 */
class RedemptionMigrationV30IT {

    private static final String NOW = "2026-11-27 10:00:00+00";

    @Test
    void v30KeepsV29sRowsAndRedeemsATicketIssuedBeforeIt() throws SQLException {
        try (HikariDataSource ds = PostgresFixture.pool(PostgresFixture.newDatabaseUrl(), 2)) {
            migrate(ds, "29");
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(version(st)).isEqualTo("29");
                st.execute(V29_ROWS);
                // The redemption of tk-1 as V25's function wrote it, on V29's schema.
                assertThat(redeem(c, "rec-old", "nonce-old", 100000000001L, "code-1", "po-old")).isEqualTo("REDEEMED");
            }
            List<String> before = rows(ds);
            long arrivalBefore = single(ds, "SELECT max(arrival) FROM ticketing.scan_records");

            // V30 alone: later migrations change these tables' rows and catalog for reasons of their own.
            migrate(ds, "30");

            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(version(st)).isEqualTo("30");
                assertThat(rows(ds)).isEqualTo(before);
                assertThat(names(st, "SELECT conname FROM pg_constraint WHERE conrelid IN ('ticketing.scan_records'::regclass,"
                        + " 'ticketing.payouts'::regclass) ORDER BY 1"))
                        .contains("scan_records_pkey", "payouts_pkey", "payouts_kind_ticket_id_party_id_key", "scan_records_via_check")
                        .doesNotContain("scan_records_device_id_fkey", "scan_records_spot_id_fkey", "scan_records_ticket_id_fkey",
                                "scan_records_arrival_key", "payouts_party_id_fkey");
                assertThat(names(st, "SELECT indexname FROM pg_indexes WHERE schemaname = 'ticketing'"
                        + " AND tablename IN ('scan_records', 'redeem_answers') ORDER BY 1"))
                        .containsExactly("redeem_answers_pkey", "scan_records_pkey", "scan_records_ticket");

                assertThat(redeem(c, "rec-new", "nonce-new", 100000000002L, "code-2", "po-new")).isEqualTo("REDEEMED");
                assertThat(redeem(c, "rec-new", "nonce-new", 100000000002L, "code-2", "po-new")).isEqualTo("STORED");
                assertThat(redeem(c, "rec-again", "nonce-again", 100000000001L, "code-1", "po-again")).isEqualTo("FALLBACK");
            }
            assertThat(single(ds, "SELECT arrival FROM ticketing.scan_records WHERE record_id = 'rec-new'")).isGreaterThan(arrivalBefore);
            assertThat(single(ds, "SELECT count(*) FROM ticketing.payouts WHERE ticket_id = 'tk-2' AND party_id = 'sp-1'"
                    + " AND gross_minor = 9000 AND state = 'PENDING'")).isEqualTo(1);
            assertThat(single(ds, "SELECT count(*) FROM ticketing.tickets WHERE state = 'REDEEMED'")).isEqualTo(2);
            assertThat(single(ds, "SELECT count(*) FROM ticketing.scan_records WHERE record_id = 'rec-again'")).isZero();
        }
    }

    /** A spot with its receiving account, a distributor, one order of two single tickets, a gate at the spot. */
    private static final String V29_ROWS = """
            INSERT INTO ticketing.parties (party_id, kind, name, contact_phone, account_version, created_at)
            VALUES ('sp-1', 'SCENIC_SPOT', 'Old Lake', '13900000000', 1, '%1$s'),
                   ('d-1', 'DISTRIBUTOR', 'Old Travel', '13700000000', 1, '%1$s');
            INSERT INTO ticketing.party_accounts (party_id, version, rail, identity, identity_type, changed_at, changed_by, reason)
            VALUES ('sp-1', 1, 'ALIPAY', 'spot@example.com', 'LOGON_ID', '%1$s', 'admin', 'onboarding'),
                   ('d-1', 1, 'ALIPAY', 'dist@example.com', 'LOGON_ID', '%1$s', 'admin', 'onboarding');
            INSERT INTO ticketing.orders (order_id, distributor_id, distributor_order_id, request_digest, product_id, product_version,
                                          visit_date, slot, quantity, unit_price_minor, fee_minor, total_minor, currency, rail,
                                          payer_account_version, state, created_at, updated_at)
            VALUES ('o-1', 'd-1', 'OLD-1', 'digest', 'p-1', 1, '2026-11-27', '', 2, 10000, 0, 20000, 'CNY', 'ALIPAY', 1, 'ISSUED',
                    '%1$s', '%1$s');
            INSERT INTO ticketing.tickets (ticket_id, ticket_no, order_id, unit_index, product_id, product_version, distributor_id,
                                           state, face_minor, fee_share_minor, currency, valid_from, valid_until, code, issued_at,
                                           updated_at)
            SELECT 'tk-' || i, (100000000000 + i)::text, 'o-1', i, 'p-1', 1, 'd-1', 'ISSUED', 10000, 0, 'CNY', '%1$s',
                   timestamptz '%1$s' + interval '30 days', 'code-' || i, '%1$s', '%1$s'
              FROM generate_series(1, 2) i;
            INSERT INTO ticketing.ticket_spots (ticket_id, spot_id, scenic_price_minor) VALUES ('tk-1', 'sp-1', 9000), ('tk-2', 'sp-1', 9000);
            INSERT INTO ticketing.devices (device_id, spot_id, credential_hash, public_x, public_y, state, provisioned_at, provisioned_by)
            VALUES ('dev-1', 'sp-1', 'hash', '\\x01', '\\x02', 'ACTIVE', '%1$s', 'admin');
            """.formatted(NOW);

    private static String redeem(Connection c, String record, String nonce, long ticketNo, String code, String payoutId)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT outcome FROM ticketing.device_redeem_online('dev-1', ?, ?, ?, ?,"
                + " 'sp-1', ?, '" + NOW + "', 0, 1, '\\x00'::bytea, '" + NOW + "', '{\"outcome\":\"REDEEMED\"}', ?, 'migration test',"
                + " 'CNY', 2, NULL, NULL, (SELECT code_no FROM ticketing.parties WHERE party_id = 'sp-1'))")) {
            st.setString(1, record);
            st.setString(2, "digest-" + record);
            st.setString(3, nonce);
            st.setLong(4, ticketNo);
            st.setString(5, code);
            st.setString(6, payoutId);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Every row of the tables the redemption writes or reads, as text, in a fixed order. */
    private static List<String> rows(HikariDataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("parties", "party_accounts", "orders", "tickets", "ticket_spots", "devices", "device_nonces",
                    "scan_records", "payouts", "events", "redeem_answers")) {
                out.addAll(names(st, "SELECT '" + table + "' || x::text FROM ticketing." + table + " x ORDER BY x::text"));
            }
        }
        assertThat(out).anyMatch(r -> r.startsWith("scan_records(rec-old,")).anyMatch(r -> r.startsWith("payouts(po-old,"));
        return out;
    }

    private static List<String> names(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Flyway as {@link Db#migrate} runs it, up to {@code target}. */
    private static void migrate(HikariDataSource ds, String target) {
        Db.flyway(ds).target(target).load().migrate();
    }

    private static String version(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT max(version::int)::text FROM ticketing.flyway_schema_history WHERE success")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long single(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
