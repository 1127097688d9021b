package org.ticketledger.cli.internal.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How reports are printed: an aligned text table, CSV (RFC 4180) or JSON. */
public enum ReportFormat {
    TABLE, CSV, JSON;

    /** Prints {@code reports} to {@code out}. */
    public void print(List<Report> reports, PrintWriter out) {
        switch (this) {
            case TABLE -> reports.forEach(r -> table(r, out));
            case CSV -> csv(reports, out);
            case JSON -> json(reports, out);
            default -> throw new IllegalStateException(name());
        }
        out.flush();
    }

    private static void table(Report r, PrintWriter out) {
        out.println(r.title());
        r.facts().forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println();
        int n = r.columns().size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = r.columns().get(i).name().length();
        }
        List<List<String>> all = new ArrayList<>(r.rows());
        r.totals().ifPresent(all::add);
        for (List<String> row : all) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        List<String> header = r.columns().stream().map(Report.Column::name).toList();
        out.println(line(r, header, width));
        out.println(rule(width));
        r.rows().forEach(row -> out.println(line(r, row, width)));
        r.totals().ifPresent(t -> {
            out.println(rule(width));
            out.println(line(r, t, width));
        });
        out.println();
    }

    private static String line(Report r, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            if (r.columns().get(i).numeric()) {
                sb.append(pad).append(c);
            } else {
                sb.append(c).append(i == cells.size() - 1 ? "" : pad);
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String rule(int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            sb.append("-".repeat(width[i]));
        }
        return sb.toString();
    }

    /** One CSV for all reports: a leading ledger column, and totals as a row marked "total". */
    private static void csv(List<Report> reports, PrintWriter out) {
        if (reports.isEmpty()) {
            return;
        }
        List<String> header = new ArrayList<>();
        header.add("ledger");
        reports.get(0).columns().forEach(c -> header.add(c.name()));
        out.print(csvLine(header));
        for (Report r : reports) {
            String ledger = r.facts().getOrDefault("ledger", "");
            for (List<String> row : r.rows()) {
                List<String> cells = new ArrayList<>();
                cells.add(ledger);
                cells.addAll(row);
                out.print(csvLine(cells));
            }
            r.totals().ifPresent(t -> {
                List<String> cells = new ArrayList<>();
                cells.add(ledger);
                cells.addAll(t);
                out.print(csvLine(cells));
            });
        }
    }

    private static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.append("\r\n").toString();
    }

    /** A JSON array with one object per report: its facts, "rows" and "totals". */
    private static void json(List<Report> reports, PrintWriter out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Report r : reports) {
                g.writeStartObject();
                g.writeStringField("report", r.title());
                for (Map.Entry<String, String> f : r.facts().entrySet()) {
                    g.writeStringField(f.getKey(), f.getValue());
                }
                g.writeArrayFieldStart("rows");
                for (List<String> row : r.rows()) {
                    object(g, r, row);
                }
                g.writeEndArray();
                if (r.totals().isPresent()) {
                    g.writeFieldName("totals");
                    object(g, r, r.totals().get());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(bytes.toString(StandardCharsets.UTF_8));
    }

    private static void object(JsonGenerator g, Report r, List<String> row) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < row.size(); i++) {
            g.writeStringField(r.columns().get(i).name(), row.get(i));
        }
        g.writeEndObject();
    }
}
