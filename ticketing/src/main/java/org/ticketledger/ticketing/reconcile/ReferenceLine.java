package org.ticketledger.ticketing.reconcile;

import java.util.List;
import java.util.Objects;

/**
 * One reference and the rows that break it.
 *
 * @param table    the table holding the reference, e.g. {@code scan_records}
 * @param columns  its column(s), e.g. {@code device_id}, or {@code party_id, account_version}
 * @param parent   the table and key it must match, e.g. {@code devices (device_id)}
 * @param scope    which rows carry the reference ({@code "all"}, or a condition such as
 *                 {@code kind = 'PROFIT_SHARE'} for a column whose parent depends on the row)
 * @param enforced how the key is kept: the migration that dropped its foreign key, or that it never
 *                 had one; the writing statements guard it either way
 * @param missing  how many rows point at no parent row (0 when the reference is intact)
 * @param examples the ids of the first offending rows (by id), at most as many as asked for
 */
public record ReferenceLine(String table, String columns, String parent, String scope, String enforced, long missing,
                            List<String> examples) {

    public ReferenceLine {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(enforced, "enforced");
        if (missing < 0) {
            throw new IllegalArgumentException("missing must not be negative: " + missing);
        }
        examples = List.copyOf(examples);
    }

    /** Whether every row of the scope finds its parent. */
    public boolean intact() {
        return missing == 0;
    }

    /** {@code table.columns -> parent}, how logs and reports name the reference. */
    public String name() {
        return table + " (" + columns + ") -> " + parent;
    }
}
