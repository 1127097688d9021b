package org.ticketledger.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.postgres.EmbeddedDatabase;

/**
 * redeem-http's {@code tickets_pkey_tup_read_per_redemption} is a delta of cumulative counters over
 * the timed phase: reads before {@code begin} must not count, reads inside must, per operation.
 */
class PgStatsIT {

    @Test
    void ticketsPrimaryKeyReadsAreCountedOverTheWindowOnlyPerOperation() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startTemporary()) {
            db.createDatabase("ticketledger");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl("ticketledger"), db.user(), null);
                 Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA ticketing");
                st.execute("CREATE TABLE ticketing.tickets (ticket_id text PRIMARY KEY, state text NOT NULL)");
                st.execute("INSERT INTO ticketing.tickets SELECT 'tk' || lpad(i::text, 4, '0'), 'ISSUED' FROM generate_series(1, 1000) i");
                st.execute("ANALYZE ticketing.tickets");
                st.execute("SET enable_seqscan = off");
                st.execute("SET enable_bitmapscan = off");
                // Before the window: a range of 500 index tuples that must not count.
                st.execute("SELECT count(*) FROM ticketing.tickets WHERE ticket_id > 'tk0500'");
                flush(st);

                PgStats stats = PgStats.open(db.port()).orElseThrow();
                try {
                    PgStats.Snapshot before = stats.begin();
                    // Four "operations": three probes of one tuple each, and one range that reads 100.
                    for (int i = 1; i <= 3; i++) {
                        st.execute("SELECT state FROM ticketing.tickets WHERE ticket_id = 'tk000" + i + "'");
                    }
                    st.execute("SELECT count(*) FROM ticketing.tickets WHERE ticket_id BETWEEN 'tk0100' AND 'tk0199'");
                    flush(st);
                    ByteArrayOutputStream log = new ByteArrayOutputStream();
                    double perOp = stats.end(before, 4, new PrintStream(log, true, StandardCharsets.UTF_8));
                    String printed = log.toString(StandardCharsets.UTF_8);
                    assertEquals((3 + 100) / 4.0, perOp, 0.001, printed);
                    assertTrue(printed.contains("ticketing.tickets_pkey"), printed);
                } finally {
                    stats.close();
                }
            }
        }
    }

    /** This session's counters reach the shared statistics at once, not within a second. */
    private static void flush(Statement st) throws Exception {
        st.execute("SELECT pg_stat_force_next_flush()");
        st.execute("SELECT 1");
    }
}
