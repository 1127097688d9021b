package org.ticketledger.cli.internal.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One report for one ledger: some facts (ledger, as-of point, totals), a table and an optional
 * totals row. Every value is already text; amounts are decimal strings, never floating point.
 *
 * @param title   what the report is, e.g. "Trial balance"
 * @param facts   ordered name-value pairs shown above the table
 * @param columns the table's columns
 * @param rows    the table's rows, each as long as {@code columns}
 * @param totals  the totals row, if the report has one
 */
public record Report(String title, Map<String, String> facts, List<Column> columns, List<List<String>> rows,
                     Optional<List<String>> totals) {

    public Report {
        Objects.requireNonNull(title, "title");
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        Objects.requireNonNull(totals, "totals");
        for (List<String> r : rows) {
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + r.size() + " cells for " + columns.size() + " columns");
            }
        }
    }

    /**
     * A column.
     *
     * @param name    its heading (also the JSON field name and CSV header)
     * @param numeric whether it is right-aligned in tables
     */
    public record Column(String name, boolean numeric) {
        public Column {
            Objects.requireNonNull(name, "name");
        }

        public static Column text(String name) {
            return new Column(name, false);
        }

        public static Column amount(String name) {
            return new Column(name, true);
        }
    }
}
