package org.ticketledger.ticketing.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * Renders a {@link FinancialReport} as CSV (RFC 4180, one {@code section,name,...} table) or JSON.
 * Amounts are decimal strings in the ledger's currency ("101.00"), never floating point. Stateless
 * and thread-safe; nothing returns null.
 */
public final class ReportFormat {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFormat() {
    }

    /** The headline figures by name, in report order (the {@code summary} rows of the CSV). */
    public static Map<String, Money> summary(FinancialReport r) {
        Map<String, Money> m = new LinkedHashMap<>();
        m.put("issuance_volume", r.issuanceVolume());
        m.put("issuance_fees", r.issuanceFees());
        m.put("payout_fees", r.payoutFees());
        m.put("margin", r.margin());
        m.put("investment_yield", r.investmentYield());
        m.put("breakage", r.breakage());
        m.put("profit_shares", r.profitShares());
        m.put("net_income", r.netIncome());
        m.put("unredeemed_tickets", r.unredeemedTickets());
        m.put("scenic_payables", r.scenicPayables());
        m.put("refund_payables", r.refundPayables());
        m.put("profit_payables", r.profitPayables());
        m.put("expired_held", r.expiredHeld());
        m.put("wealth_position", r.wealthPosition());
        m.put("settlement_cash", r.settlementCash());
        return m;
    }

    /**
     * CSV with the header {@code section,name,type,opening,debits,credits,closing}: {@code period}
     * rows, {@code summary} rows (amount in {@code closing}), {@code spot} rows (redeemed in
     * {@code credits}, settled in {@code debits}, outstanding in {@code closing}), {@code account}
     * rows and a {@code trial_balance} row.
     */
    public static String csv(FinancialReport r) {
        Objects.requireNonNull(r, "report");
        StringBuilder b = new StringBuilder("section,name,type,opening,debits,credits,closing\r\n");
        row(b, "period", "from", "", "", "", "", r.from().toString());
        row(b, "period", "to", "", "", "", "", r.to().toString());
        row(b, "period", "currency", "", "", "", "", r.currency().getCurrencyCode());
        row(b, "period", "sequences", "", Long.toString(r.fromSequence()), "", "", Long.toString(r.toSequence()));
        summary(r).forEach((k, v) -> row(b, "summary", k, "", "", "", "", v.toDecimalString()));
        for (SpotFigures s : r.spots()) {
            row(b, "spot", s.spotId(), "", "", s.settled().toDecimalString(), s.redeemed().toDecimalString(),
                    s.outstanding().toDecimalString());
        }
        for (AccountActivity a : r.accounts()) {
            row(b, "account", a.account().value(), a.type().name(), a.opening().toDecimalString(),
                    a.debits().toDecimalString(), a.credits().toDecimalString(), a.closing().toDecimalString());
        }
        row(b, "trial_balance", "closing", "", "", Money.of(r.trialDebits(), r.currency()).toDecimalString(),
                Money.of(r.trialCredits(), r.currency()).toDecimalString(), r.balanced() ? "balanced" : "UNBALANCED");
        return b.toString();
    }

    /** Pretty-printed JSON: {@code period}, {@code summary}, {@code spots}, {@code accounts}, {@code trial_balance}. */
    public static String json(FinancialReport r) {
        Objects.requireNonNull(r, "report");
        ObjectNode root = JSON.createObjectNode();
        ObjectNode period = root.putObject("period");
        period.put("from", r.from().toString());
        period.put("to", r.to().toString());
        period.put("currency", r.currency().getCurrencyCode());
        period.put("from_sequence", r.fromSequence());
        period.put("to_sequence", r.toSequence());
        ObjectNode summary = root.putObject("summary");
        summary(r).forEach((k, v) -> summary.put(k, v.toDecimalString()));
        ArrayNode spots = root.putArray("spots");
        for (SpotFigures s : r.spots()) {
            spots.addObject().put("spot_id", s.spotId()).put("redeemed", s.redeemed().toDecimalString())
                    .put("settled", s.settled().toDecimalString()).put("outstanding", s.outstanding().toDecimalString());
        }
        ArrayNode accounts = root.putArray("accounts");
        for (AccountActivity a : r.accounts()) {
            accounts.addObject().put("account", a.account().value()).put("type", a.type().name())
                    .put("opening", a.opening().toDecimalString()).put("debits", a.debits().toDecimalString())
                    .put("credits", a.credits().toDecimalString()).put("closing", a.closing().toDecimalString());
        }
        root.putObject("trial_balance")
                .put("debits", Money.of(r.trialDebits(), r.currency()).toDecimalString())
                .put("credits", Money.of(r.trialCredits(), r.currency()).toDecimalString())
                .put("balanced", r.balanced());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
    }

    private static void row(StringBuilder b, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(escape(cells[i]));
        }
        b.append("\r\n");
    }

    private static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
