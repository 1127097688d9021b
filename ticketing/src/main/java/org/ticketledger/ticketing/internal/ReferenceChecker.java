package org.ticketledger.ticketing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.reconcile.ReferenceCheck;
import org.ticketledger.ticketing.reconcile.ReferenceLine;
import org.ticketledger.ticketing.reconcile.ReferenceReport;

/**
 * {@link ReferenceCheck}: one {@code NOT EXISTS} anti-join per reference, counted, then listed by id
 * (only when the count is not zero), all in one REPEATABLE READ, READ ONLY transaction so that the
 * lines and their examples describe one state of the database.
 *
 * <p>Every parent key below is its table's primary key, so the anti-join is a hash anti-join over
 * the parent (or an index probe of its primary key); {@code ReferenceCheckIT} asserts that no plan
 * runs a correlated subplan per row.
 */
final class ReferenceChecker implements ReferenceCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceChecker.class);

    private static final String V21 = "foreign key dropped by V21";
    private static final String V26 = "foreign key dropped by V26";
    private static final String V30 = "foreign key dropped by V30";
    private static final String NEVER = "never a foreign key";

    /**
     * A reference: {@code table (columns)} must match {@code parent (parentColumns)} for every row
     * of {@code scope} whose columns are all set.
     *
     * @param id    the SQL expression naming an offending row of {@code table} (alias {@code c})
     * @param scope a condition on {@code c}, or null for every row
     */
    record Ref(String table, List<String> columns, String parent, List<String> parentColumns, String id, String scope,
               String enforced) {

        String from() {
            StringBuilder sql = new StringBuilder(" FROM ticketing.").append(table).append(" c WHERE ");
            columns.forEach(col -> sql.append("c.").append(col).append(" IS NOT NULL AND "));
            if (scope != null) {
                sql.append('(').append(scope).append(") AND ");
            }
            sql.append("NOT EXISTS (SELECT 1 FROM ticketing.").append(parent).append(" p WHERE ");
            sql.append(IntStream.range(0, columns.size())
                    .mapToObj(i -> "p." + parentColumns.get(i) + " = c." + columns.get(i))
                    .collect(Collectors.joining(" AND ")));
            return sql.append(')').toString();
        }

        String countSql() {
            return "SELECT count(*)" + from();
        }

        String examplesSql() {
            return "SELECT " + id + " AS id" + from() + " ORDER BY 1 LIMIT :n";
        }

        ReferenceLine line(long missing, List<String> examples) {
            return new ReferenceLine(table, String.join(", ", columns), parent + " (" + String.join(", ", parentColumns) + ")",
                    scope == null ? "all" : scope.replace("c.", ""), enforced, missing, examples);
        }
    }

    private static Ref ref(String table, String column, String parent, String parentColumn, String id, String scope,
                           String enforced) {
        return new Ref(table, List.of(column), parent, List.of(parentColumn), id, scope, enforced);
    }

    /**
     * The foreign keys ticketing's migrations dropped (each migration's header names the statement
     * that now guards it), then the reference columns that never had one. Parties, products,
     * devices and tickets are never deleted, so an orphan is a row written wrong or a parent removed
     * by hand. Left out on purpose: columns whose value may name nothing by design (a synced scan's
     * {@code code_ticket_id}, {@code fee_rules.party_id = '*'}, events' and notifications' subjects,
     * which name rows of several tables) and keys that still have their foreign key.
     */
    static final List<Ref> REFERENCES = List.of(
            ref("orders", "distributor_id", "parties", "party_id", "c.order_id", null, V26),
            ref("orders", "product_id", "products", "product_id", "c.order_id", null, V26),
            new Ref("orders", List.of("product_id", "product_version"), "product_versions", List.of("product_id", "version"),
                    "c.order_id", null, NEVER),
            new Ref("orders", List.of("distributor_id", "payer_account_version"), "party_accounts", List.of("party_id", "version"),
                    "c.order_id", null, NEVER),
            ref("tickets", "distributor_id", "parties", "party_id", "c.ticket_id", null, NEVER),
            new Ref("tickets", List.of("product_id", "product_version"), "product_versions", List.of("product_id", "version"),
                    "c.ticket_id", null, NEVER),
            ref("ticket_spots", "spot_id", "parties", "party_id", "c.ticket_id || '/' || c.spot_id", null, NEVER),
            ref("ticket_spots", "redeemed_record_id", "scan_records", "record_id", "c.ticket_id || '/' || c.spot_id", null, NEVER),
            ref("scan_records", "device_id", "devices", "device_id", "c.record_id", null, V30),
            ref("scan_records", "spot_id", "parties", "party_id", "c.record_id", null, V30),
            ref("scan_records", "ticket_id", "tickets", "ticket_id", "c.record_id", null, V30),
            ref("payouts", "party_id", "parties", "party_id", "c.payout_id", null, V30),
            new Ref("payouts", List.of("party_id", "account_version"), "party_accounts", List.of("party_id", "version"),
                    "c.payout_id", null, NEVER),
            // A profit share's payout holds its run id in ticket_id and order_id (PayoutsImpl), which is
            // why V21 dropped the key to tickets.
            ref("payouts", "ticket_id", "tickets", "ticket_id", "c.payout_id", "c.kind <> 'PROFIT_SHARE'", V21),
            ref("payouts", "ticket_id", "profit_runs", "run_id", "c.payout_id", "c.kind = 'PROFIT_SHARE'", V21),
            ref("payouts", "order_id", "orders", "order_id", "c.payout_id", "c.kind <> 'PROFIT_SHARE'", NEVER),
            // Combo products are published by the platform itself, not by a party (CombosImpl).
            ref("products", "publisher_id", "parties", "party_id", "c.product_id",
                    "c.publisher_id <> '" + CombosImpl.PLATFORM + "'", NEVER));

    private final Ctx ctx;

    ReferenceChecker(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public ReferenceReport check(int examples) {
        if (examples < 1 || examples > MAX_EXAMPLES) {
            throw new IllegalArgumentException("examples must be 1.." + MAX_EXAMPLES + ": " + examples);
        }
        List<ReferenceLine> lines = ctx.db.read(h -> {
            h.setReadOnly(true);
            return h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, tx -> run(tx, examples));
        });
        ReferenceReport report = new ReferenceReport(ctx.now(), lines);
        // Nothing writes an orphan on purpose: each one is worth an operator's look, like a
        // reconciliation difference.
        for (ReferenceLine l : report.broken()) {
            LOG.warn("broken reference {} ({}): {} row(s) point at nothing, e.g. {}", l.name(), l.enforced(), l.missing(),
                    l.examples());
        }
        return report;
    }

    private static List<ReferenceLine> run(Handle h, int examples) {
        List<ReferenceLine> out = new ArrayList<>(REFERENCES.size());
        for (Ref r : REFERENCES) {
            long missing = h.createQuery(r.countSql()).mapTo(Long.class).one();
            List<String> ids = missing == 0 ? List.of()
                    : h.createQuery(r.examplesSql()).bind("n", examples).mapTo(String.class).list();
            out.add(r.line(missing, ids));
        }
        return out;
    }
}
