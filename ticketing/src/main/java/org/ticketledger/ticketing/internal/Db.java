package org.ticketledger.ticketing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.UnableToAccessStoreException;

/** Jdbi access to schema {@code ticketing}: transactions, time conversions, refusals that roll back. */
public final class Db {

    /** The schema holding ticketing's tables. */
    public static final String SCHEMA = "ticketing";

    private final Jdbi jdbi;
    private final DataSource dataSource;
    /**
     * Whether connections start in READ COMMITTED (PostgreSQL's default, and what a pool resets
     * them to). Then a transaction need not ask for it: Jdbi's "in transaction at level X" costs
     * three {@code SHOW TRANSACTION ISOLATION LEVEL} round trips per transaction with PG JDBC.
     * A pool hands connections back at its default level (HikariCP resets a changed one), so one
     * look at the first transaction holds for all. Null until then.
     */
    private volatile Boolean readCommittedByDefault;

    public Db(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource);
        this.dataSource = dataSource;
    }

    /**
     * Applies ticketing's migrations (own history table, own classpath location). Flyway holds its
     * PostgreSQL advisory lock at session level, not in a transaction: CREATE INDEX CONCURRENTLY
     * (V29) waits for every open transaction of the database, the lock's own included, and with
     * Flyway's default transactional lock it waited for ever (seen: {@code virtualxid} wait behind
     * Flyway's connection idle in transaction; flyway/flyway#3497, #3682).
     */
    public static void migrate(DataSource dataSource) {
        flyway(dataSource).load().migrate();
    }

    /** Flyway as {@link #migrate} runs it (tests migrate to a given version with it). */
    static FluentConfiguration flyway(DataSource dataSource) {
        FluentConfiguration flyway = Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:org/ticketledger/ticketing/db");
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return flyway;
    }

    /** Runs {@code work} in a READ COMMITTED transaction; rows are locked explicitly where it matters. */
    public <T> T tx(HandleCallback<T, RuntimeException> work) {
        try {
            if (readCommittedByDefault()) {
                return jdbi.inTransaction(work);
            }
            return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, work);
        } catch (JdbiException e) {
            throw new UnableToAccessStoreException("ticketing store failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether connections start in READ COMMITTED, so that a single statement run through
     * {@link #read} is a READ COMMITTED transaction too (looked at once, see the field).
     */
    public boolean readCommittedByDefault() {
        Boolean plain = readCommittedByDefault;
        if (plain == null) {
            try {
                plain = jdbi.withHandle(h -> h.getTransactionIsolationLevel() == TransactionIsolationLevel.READ_COMMITTED);
            } catch (JdbiException e) {
                throw new UnableToAccessStoreException("ticketing store failed: " + e.getMessage(), e);
            }
            readCommittedByDefault = plain;
        }
        return plain;
    }

    /** Runs {@code work} on a handle without an explicit transaction (single reads). */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw new UnableToAccessStoreException("ticketing store failed: " + e.getMessage(), e);
        }
    }

    /** Work on a plain JDBC connection. */
    @FunctionalInterface
    interface ConnectionCallback<T> {
        T withConnection(java.sql.Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection without Jdbi, in autocommit, for a statement on a hot
     * path: Jdbi's handle, configuration copy, named-parameter binding and statement context cost
     * about a tenth of the app's CPU per online redemption (JFR), more than pgjdbc itself.
     */
    <T> T jdbc(ConnectionCallback<T> work) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            // Like a Jdbi handle outside a transaction: the statement commits on its own. A pool
            // configured without autocommit would roll it back on return, so commit it here.
            boolean autoCommit = c.getAutoCommit();
            T result = work.withConnection(c);
            if (!autoCommit) {
                c.commit();
            }
            return result;
        } catch (SQLException e) {
            throw new UnableToAccessStoreException("ticketing store failed: " + e.getMessage(), e);
        }
    }

    /** A refusal discovered inside a transaction: thrown to roll it back, caught by the caller. */
    public static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        public Refusal(Problem problem) {
            super(problem.code() + ": " + problem.message(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    static OffsetDateTime ts(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Optional<Instant> optInstant(ResultSet rs, String col) throws SQLException {
        return Optional.ofNullable(instant(rs, col));
    }

    static Optional<String> optString(ResultSet rs, String col) throws SQLException {
        return Optional.ofNullable(rs.getString(col));
    }

    /**
     * The round whose request id a row's rail instruction carries (V32 request_round). NULL means no
     * new round has started since V32 (the first round, or a pre-V32 row's round at the upgrade), so
     * the current round, named by {@code roundColumn}.
     */
    static int requestRound(ResultSet rs, String roundColumn) throws SQLException {
        int kept = rs.getInt("request_round");
        return rs.wasNull() ? rs.getInt(roundColumn) : kept;
    }

    static LocalDate date(ResultSet rs, String col) throws SQLException {
        return rs.getObject(col, LocalDate.class);
    }
}
