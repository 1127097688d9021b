package org.ticketledger.example.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.ledger.postgres.EmbeddedDatabase;

/**
 * The platform's PostgreSQL: an embedded server (data kept in a directory, or thrown away) or a
 * real one by JDBC URL, behind one HikariCP pool. Every component (ledger, ticketing, host tables)
 * uses this pool, each in its own schema. {@link #close()} closes the pool and stops an embedded
 * server. Thread-safe.
 */
public final class Database implements AutoCloseable {

    /** The database created inside an embedded server. */
    public static final String EMBEDDED_NAME = "ticketledger";

    private final Optional<EmbeddedDatabase> embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final String description;

    private Database(Optional<EmbeddedDatabase> embedded, HikariDataSource pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.description = description;
    }

    /** Starts (or restarts) an embedded server whose data lives in {@code dataDirectory}. */
    public static Database embedded(Path dataDirectory, int poolSize) {
        EmbeddedDatabase db = EmbeddedDatabase.startPersistent(dataDirectory, 0);
        return onEmbedded(db, poolSize, "embedded PostgreSQL, data in " + dataDirectory.toAbsolutePath().normalize());
    }

    /** Starts an embedded server whose data is deleted on close (the demo, tests). */
    public static Database temporary(int poolSize) {
        return onEmbedded(EmbeddedDatabase.startTemporary(), poolSize, "temporary embedded PostgreSQL");
    }

    private static Database onEmbedded(EmbeddedDatabase db, int poolSize, String description) {
        try {
            db.createDatabase(EMBEDDED_NAME);
            HikariDataSource pool = pool(db.jdbcUrl(EMBEDDED_NAME), db.user(), null, poolSize);
            return new Database(Optional.of(db), pool, description + " (port " + db.port() + ")");
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Connects to a real server. The password may be null (trust, peer or .pgpass authentication). */
    public static Database external(String jdbcUrl, String user, String password, int poolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        HikariDataSource pool = pool(jdbcUrl, user, password, poolSize);
        // Shown to people: the URL without any query part, where a password could hide.
        int q = jdbcUrl.indexOf('?');
        return new Database(Optional.empty(), pool, "PostgreSQL at " + (q < 0 ? jdbcUrl : jdbcUrl.substring(0, q)));
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(size);
        c.setPoolName("ticketledger");
        // Fail fast: a health probe or a request must not hang for Hikari's default 30 s.
        c.setConnectionTimeout(5_000);
        return new HikariDataSource(c);
    }

    /** The pooled data source. */
    public DataSource dataSource() {
        return pool;
    }

    /** Jdbi over the pool. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** Where the data is, for people (no credentials). */
    public String description() {
        return description;
    }

    /** Connections in use right now (a metrics gauge). */
    public int activeConnections() {
        var mx = pool.getHikariPoolMXBean();
        return mx == null ? 0 : mx.getActiveConnections();
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            embedded.ifPresent(EmbeddedDatabase::close);
        }
    }
}
