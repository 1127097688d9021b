package org.ticketledger.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * The schema stays ready to distribute by ledger (Citus): every table's primary key starts with
 * ledger_id, and every foreign key includes ledger_id on both sides, so no reference crosses ledgers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaDistributionTest {

    private HikariDataSource dataSource;
    private Jdbi jdbi;

    @BeforeAll
    void migrate() {
        dataSource = PostgresFixture.newDataSource(2);
        PostgresJournal.migrate(dataSource);
        jdbi = Jdbi.create(dataSource);
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    @Test
    void everyLedgerTableHasLedgerIdLeadingItsPrimaryKey() {
        List<Map<String, Object>> keys = jdbi.withHandle(h -> h.createQuery(
                "SELECT c.relname AS table_name, a.attname AS first_column"
                        + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]"
                        + " WHERE n.nspname = 'ledger' AND k.contype = 'p' AND c.relname <> 'flyway_schema_history'")
                .mapToMap().list());
        List<String> tables = jdbi.withHandle(h -> h.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ledger'"
                        + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'").mapTo(String.class).list());
        assertThat(tables).containsExactlyInAnyOrder("ledgers", "accounts", "entries", "postings", "balances");
        assertThat(keys).hasSameSizeAs(tables);
        assertThat(keys).allSatisfy(k -> assertThat(k.get("first_column")).as("%s", k.get("table_name")).isEqualTo("ledger_id"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void noForeignKeyCrossesLedgers() {
        List<Map<String, Object>> fks = jdbi.withHandle(h -> h.createQuery(
                "SELECT k.conname AS name,"
                        + " (SELECT array_agg(a.attname::text) FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)) AS cols,"
                        + " (SELECT array_agg(a.attname::text) FROM pg_attribute a WHERE a.attrelid = k.confrelid AND a.attnum = ANY(k.confkey)) AS ref_cols"
                        + " FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace"
                        + " WHERE n.nspname = 'ledger' AND k.contype = 'f'")
                .map((rs, ctx) -> Map.<String, Object>of("name", rs.getString(1),
                        "cols", List.of((String[]) rs.getArray(2).getArray()),
                        "ref", List.of((String[]) rs.getArray(3).getArray())))
                .list());
        assertThat(fks).isNotEmpty();
        assertThat(fks).allSatisfy(fk -> {
            assertThat((List<Object>) fk.get("cols")).as("%s", fk.get("name")).contains("ledger_id");
            assertThat((List<Object>) fk.get("ref")).as("%s", fk.get("name")).contains("ledger_id");
        });
    }
}
