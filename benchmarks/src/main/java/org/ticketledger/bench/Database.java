package org.ticketledger.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.util.Optional;
import org.ticketledger.ledger.postgres.EmbeddedDatabase;

/**
 * The database a benchmark runs on: the one at {@code --db-url}, or a throw-away embedded
 * PostgreSQL (durable: synchronous_commit on) when none is given.
 */
public final class Database implements AutoCloseable {

    private final EmbeddedDatabase embedded;
    private final String url;
    private final String user;
    private final String password;

    private Database(EmbeddedDatabase embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static Database open(Optional<String> dbUrl) {
        if (dbUrl.isPresent()) {
            String u = dbUrl.get();
            String user = Optional.ofNullable(System.getenv("PGUSER")).orElse(queryParam(u, "user"));
            String password = Optional.ofNullable(System.getenv("PGPASSWORD")).orElse(queryParam(u, "password"));
            return new Database(null, u, user, password);
        }
        // Durable like production: synchronous commit and fsync on (what "durable commit" means).
        EmbeddedDatabase db = EmbeddedDatabase.startTemporaryDurable();
        return new Database(db, db.jdbcUrl("postgres"), db.user(), null);
    }

    /** A pool of {@code size} connections. */
    public HikariDataSource pool(int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(size);
        return new HikariDataSource(c);
    }

    public String description() {
        return embedded != null ? "embedded" : "external";
    }

    /** Whether the embedded server flushes commits to disk; true for an external one (its own business). */
    public boolean fsync() {
        return embedded == null || embedded.durable();
    }

    private static String queryParam(String jdbcUrl, String name) {
        String q = URI.create(jdbcUrl.substring("jdbc:".length())).getQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return kv.substring(eq + 1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
