package org.ticketledger.example.admin;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Objects;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.example.wire.Refusals;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.report.FinancialReport;
import org.ticketledger.ticketing.report.ReportFormat;

/**
 * The financial report, {@code GET /admin/v1/reports/financial}: issuance, fees, margin, payouts
 * per spot, yield, breakage, profit shares, outstanding liabilities, the wealth position and cash
 * for a period, computed from the ledger alone (the same numbers as its trial balance). Rendered by
 * ticketing's {@link ReportFormat}, so the JSON and the CSV carry the same names and figures;
 * {@code ?format=csv|json} wins over the {@code Accept} header.
 */
public final class ReportRoutes implements ApiModule {

    private final Ticketing ticketing;

    /** The routes over {@code ticketing}. */
    public ReportRoutes(Ticketing ticketing) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
    }

    @Override
    public void register(Routes routes) {
        routes.get("/admin/v1/reports/financial").access(Access.ADMIN_READ).tag("admin-reports").operationId("financialReport")
                .summary("The financial report for a period, as JSON or CSV")
                .param("query", "from", true, "string",
                        "A date (whole days in the platform's time zone, from 00:00) or an ISO-8601 instant (excluded)")
                .param("query", "to", true, "string", "A date (included, to 00:00 of the next day) or an instant (included), like from")
                .param("query", "format", false, "string", "json or csv; default: by the Accept header (text/csv), else json")
                .response(200, "The report: period, summary (issuance_volume, issuance_fees, payout_fees, margin, investment_yield, "
                        + "breakage, profit_shares, net_income, unredeemed_tickets, scenic_payables, refund_payables, "
                        + "profit_payables, expired_held, wealth_position, settlement_cash), spots, accounts, trial_balance. "
                        + "As CSV: section,name,type,opening,debits,credits,closing", Schemas.object().open()
                        .prop("period", Schemas.object().open().build(), true)
                        .prop("summary", Schemas.object().open().build(), true)
                        .prop("spots", Schemas.array(Schemas.object().open().build()), true)
                        .prop("accounts", Schemas.array(Schemas.object().open().build()), true)
                        .prop("trial_balance", Schemas.object().open().build(), true).build())
                .alsoAs(200, "text/csv")
                .handle(this::financial);
    }

    private void financial(Context ctx) {
        boolean csv = csv(ctx);
        AdminParams.Period p = AdminParams.period(ctx.queryParam("from"), ctx.queryParam("to"), "#/query/", true, ticketing);
        FinancialReport r = Refusals.orThrow(p.firstDay().isPresent()
                ? ticketing.reports().financial(p.firstDay().get(), p.lastDay().orElseThrow())
                : ticketing.reports().financial(p.from(), p.to()));
        ctx.header("Vary", "Accept");
        if (csv) {
            String name = "financial-report-" + p.firstDay().map(Object::toString).orElse(Long.toString(p.from().getEpochSecond()))
                    + "-" + p.lastDay().map(Object::toString).orElse(Long.toString(p.to().getEpochSecond())) + ".csv";
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            ctx.status(200).contentType("text/csv; charset=utf-8").result(ReportFormat.csv(r));
        } else {
            ctx.status(200).contentType("application/json").result(ReportFormat.json(r));
        }
    }

    private static boolean csv(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw AdminParams.bad("format", "must be json or csv");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }
}
