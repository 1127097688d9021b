package org.ticketledger.example.platform;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The host app's own tables (schema {@code host}): API keys, nonces, idempotency records. */
public final class HostSchema {

    private HostSchema() {
    }

    /** Applies the host migrations to the database behind {@code dataSource} (idempotent). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas("host")
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:org/ticketledger/example/db")
                .load()
                .migrate();
    }
}
