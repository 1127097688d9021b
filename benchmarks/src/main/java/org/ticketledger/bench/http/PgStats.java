package org.ticketledger.bench.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the app's embedded PostgreSQL did over a timed phase, per operation: index and table reads
 * from {@code pg_stat_user_indexes/tables} (always there), and, where the server preloads it,
 * {@code pg_stat_statements} with nested statements (the bodies of PL/pgSQL functions) tracked.
 * Issue #12 needed to know which statement read {@code tickets_pkey} 52-130 times per redemption;
 * the cumulative views only answer that as deltas over the same window the throughput is measured in.
 */
final class PgStats implements AutoCloseable {

    private final Connection c;
    private final boolean statements;

    private PgStats(Connection c, boolean statements) {
        this.c = c;
        this.statements = statements;
    }

    /** The app's server under {@code dir} (the bench's temporary directory), if it can be reached. */
    static Optional<PgStats> open(Path dir) {
        try {
            return open(port(dir));
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: no PostgreSQL statistics (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** The server on {@code port} (database ticketledger, user postgres), if it can be reached. */
    static Optional<PgStats> open(int port) {
        try {
            Connection c = connect(port);
            boolean pss;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'")) {
                rs.next();
                pss = rs.getBoolean(1);
            }
            if (pss) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
            }
            return Optional.of(new PgStats(c, pss));
        } catch (SQLException | RuntimeException e) {
            System.err.println("bench: no PostgreSQL statistics (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /**
     * Makes the app's server preload {@code pg_stat_statements} with nested statements tracked and
     * restarts the app on the same data (a library is only loaded at server start).
     */
    static void preloadStatements(HttpStack stack) {
        try (Connection c = connect(port(stack.dir())); Statement st = c.createStatement()) {
            st.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            st.execute("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
            st.execute("ALTER SYSTEM SET pg_stat_statements.max = 10000");
            // Planning counted per statement: a cached plan that stays custom re-plans on every call.
            st.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not configure pg_stat_statements: " + e.getMessage(), e);
        }
        stack.app().close();
        stack.app().start(java.time.Duration.ofMinutes(3));
        System.err.println("bench: app restarted with pg_stat_statements preloaded");
    }

    /** The port of the app's embedded server under {@code dir}: postmaster.pid holds pid, data directory, start time, port. */
    private static int port(Path dir) throws IOException {
        List<String> pid = Files.readAllLines(dir.resolve("app").resolve("postgres").resolve("postmaster.pid"));
        return Integer.parseInt(pid.get(3).trim());
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/ticketledger", "postgres", null);
    }

    /** Cumulative counters at one moment. */
    record Snapshot(Map<String, long[]> indexes, Map<String, long[]> tables) {
    }

    /** Starts the window: statement statistics are reset, relation counters read. */
    Snapshot begin() throws SQLException {
        if (statements) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_stat_statements_reset()");
            }
        }
        return take();
    }

    private Snapshot take() throws SQLException {
        Map<String, long[]> idx = new LinkedHashMap<>();
        Map<String, long[]> tab = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT schemaname || '.' || indexrelname, idx_scan, idx_tup_read, idx_tup_fetch"
                    + " FROM pg_stat_user_indexes")) {
                while (rs.next()) {
                    idx.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT schemaname || '.' || relname, seq_scan, seq_tup_read,"
                    + " coalesce(idx_scan, 0), n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables")) {
                while (rs.next()) {
                    tab.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7)});
                }
            }
        }
        return new Snapshot(idx, tab);
    }

    /**
     * Ends the window: prints to {@code err} each index, table and (if tracked) statement that did
     * anything, per operation; returns {@code tickets_pkey}'s index tuples read per operation.
     */
    double end(Snapshot before, long ops, PrintStream err) throws SQLException {
        // Backends publish their counters at most once a second.
        sleep(1_500);
        Snapshot after = take();
        double per = Math.max(1, ops);
        err.printf("bench: PostgreSQL per operation over the timed phase (%d operations)%n", ops);
        err.println("bench:   index: scans, tuples read, tuples fetched");
        double ticketsPkey = 0;
        for (var e : after.indexes().entrySet()) {
            long[] b = before.indexes().getOrDefault(e.getKey(), new long[3]);
            long[] a = e.getValue();
            if (a[0] - b[0] > 0) {
                err.printf("bench:   %-60s %9.3f %9.3f %9.3f%n", e.getKey(), (a[0] - b[0]) / per, (a[1] - b[1]) / per,
                        (a[2] - b[2]) / per);
            }
            if (e.getKey().endsWith(".tickets_pkey")) {
                ticketsPkey = (a[1] - b[1]) / per;
            }
        }
        err.println("bench:   table: seq scans, seq tuples read, index scans, inserts, updates, HOT updates");
        for (var e : after.tables().entrySet()) {
            long[] b = before.tables().getOrDefault(e.getKey(), new long[6]);
            long[] a = e.getValue();
            boolean any = false;
            for (int i = 0; i < a.length; i++) {
                any |= a[i] != b[i];
            }
            if (any) {
                err.printf("bench:   %-40s %8.3f %10.2f %8.3f %7.3f %7.3f %7.3f%n", e.getKey(), (a[0] - b[0]) / per,
                        (a[1] - b[1]) / per, (a[2] - b[2]) / per, (a[3] - b[3]) / per, (a[4] - b[4]) / per, (a[5] - b[5]) / per);
            }
        }
        if (statements) {
            err.println("bench:   statement (top 40 by time): calls, µs per operation, rows per call, shared blocks hit"
                    + " per operation, read per operation, plans per operation, planning µs per operation, top-level");
            List<String> lines = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT calls, total_exec_time, rows, shared_blks_hit, shared_blks_read, toplevel, plans, total_plan_time,"
                         + " regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements"
                         + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                         + " ORDER BY total_exec_time DESC LIMIT 40")) {
                while (rs.next()) {
                    long calls = rs.getLong(1);
                    String q = rs.getString(9);
                    lines.add(String.format("bench:   %8.3f %8.1f %7.2f %8.2f %6.2f %7.3f %7.1f %-5s %s", calls / per,
                            rs.getDouble(2) * 1000 / per, calls == 0 ? 0.0 : rs.getLong(3) / (double) calls, rs.getLong(4) / per,
                            rs.getLong(5) / per, rs.getLong(7) / per, rs.getDouble(8) * 1000 / per, rs.getBoolean(6),
                            q.length() > 260 ? q.substring(0, 260) + "…" : q));
                }
            }
            lines.forEach(err::println);
        }
        return Math.round(ticketsPkey * 1000) / 1000.0;
    }

    /** {@link #begin}, or nothing (and a line on stderr) if the server cannot answer. */
    Optional<Snapshot> beginQuietly() {
        try {
            return Optional.of(begin());
        } catch (SQLException e) {
            System.err.println("bench: no PostgreSQL statistics (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** {@link #end}, or nothing (and a line on stderr) if the server cannot answer. */
    java.util.OptionalDouble endQuietly(Snapshot before, long ops, PrintStream err) {
        try {
            return java.util.OptionalDouble.of(end(before, ops, err));
        } catch (SQLException e) {
            err.println("bench: no PostgreSQL statistics (" + e.getMessage() + ")");
            return java.util.OptionalDouble.empty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // the run's figures are already out
        }
    }
}
