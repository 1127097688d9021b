package org.ticketledger.ledger.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.ticketledger.ledger.postgres.EmbeddedDatabase;

/**
 * One embedded PostgreSQL per test JVM, and a fresh database per caller, so test classes never
 * see each other's rows. The server stops when the JVM exits.
 */
public final class PostgresFixture {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile EmbeddedDatabase server;

    private PostgresFixture() {
    }

    /** The shared server, started on first use. */
    public static synchronized EmbeddedDatabase server() {
        if (server == null) {
            EmbeddedDatabase started = EmbeddedDatabase.startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-postgres-stop"));
            server = started;
        }
        return server;
    }

    /** The JDBC URL of a new, empty database. */
    public static String newDatabaseUrl() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        server().createDatabase(name);
        return server().jdbcUrl(name);
    }

    /** A pool on a new, empty database; the caller closes it. */
    public static HikariDataSource newDataSource(int poolSize) {
        return pool(newDatabaseUrl(), poolSize);
    }

    /** A pool on an existing database URL; the caller closes it. */
    public static HikariDataSource pool(String url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(server().user());
        config.setMaximumPoolSize(poolSize);
        return new HikariDataSource(config);
    }
}
