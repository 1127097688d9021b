package org.ticketledger.example.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.example.http.Json;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.report.FinancialReport;
import org.ticketledger.ticketing.report.ReportFormat;

/**
 * The financial report for a period of whole days (platform time zone): headline figures, and
 * charts of issuance volume and fees per day, payouts per scenic spot, and the wealth position and
 * yield over time — each chart with the same numbers as a table — plus CSV downloads (the period's
 * full report, and the daily figures). All figures come from ticketing's ledger-based reports.
 */
final class ReportPages {

    /** The longest period shown at once (one report per day is computed for the charts). */
    static final int MAX_DAYS = 62;
    private static final int DEFAULT_DAYS = 7;

    private final Web web;
    private final Ticketing ticketing;

    ReportPages(Web web, Ticketing ticketing) {
        this.web = web;
        this.ticketing = ticketing;
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/reports", this::page);
        web.get(r, Console.PREFIX + "/reports/financial.csv", this::financialCsv);
        web.get(r, Console.PREFIX + "/reports/daily.csv", this::dailyCsv);
    }

    private record Period(LocalDate from, LocalDate to, boolean adjusted) {
    }

    private Period period(Context ctx, Platform platform) {
        LocalDate today = LocalDate.now(java.time.Clock.system(platform.timeZone()));
        LocalDate to = date(ctx.queryParam("to")).orElse(today);
        LocalDate from = date(ctx.queryParam("from")).orElse(to.minusDays(DEFAULT_DAYS - 1L));
        boolean adjusted = false;
        if (from.isAfter(to)) {
            from = to;
            adjusted = true;
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            from = to.minusDays(MAX_DAYS - 1L);
            adjusted = true;
        }
        return new Period(from, to, adjusted);
    }

    private static Optional<LocalDate> date(String v) {
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private void page(Context ctx, Sessions.Session s) {
        Optional<Platform> platform = ticketing.parties().platform();
        if (platform.isEmpty()) {
            web.error(ctx, s, 200, "error.notOnboarded");
            return;
        }
        Period period = period(ctx, platform.get());
        Page p = web.page(ctx, s, "reports.title", "reports");
        Outcome<FinancialReport> whole = ticketing.reports().financial(period.from(), period.to());
        if (whole instanceof Outcome.Refused<FinancialReport> refused) {
            web.render(ctx, 200, "error", p, "message", p.t("flash.refusedBy", refused.problem().code().name()));
            return;
        }
        FinancialReport report = ((Outcome.Ok<FinancialReport>) whole).value();
        List<Models.ReportDay> days = days(period);
        List<Models.SpotFigure> spots = report.spots().stream().map(f -> new Models.SpotFigure(f.spotId(),
                ticketing.parties().scenicSpot(f.spotId()).map(x -> x.name()).orElse(f.spotId()), f.redeemed(), f.settled(),
                f.outstanding())).toList();
        web.render(ctx, 200, "reports", p, "r", new Models.Report(period.from(), period.to(), period.adjusted(), report, days, spots,
                issuanceChart(p, days), spotChart(p, spots), wealthChart(p, days)));
    }

    private List<Models.ReportDay> days(Period period) {
        List<Models.ReportDay> out = new ArrayList<>();
        for (LocalDate d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1)) {
            FinancialReport r = ((Outcome.Ok<FinancialReport>) ticketing.reports().financial(d, d)).value();
            out.add(new Models.ReportDay(d, r.issuanceVolume(), r.issuanceFees(), r.payoutFees(), r.investmentYield(),
                    r.netIncome(), r.wealthPosition()));
        }
        return out;
    }

    // ---------------------------------------------------------------- charts (specs for console.js)

    private static String issuanceChart(Page p, List<Models.ReportDay> days) {
        ObjectNode spec = spec("bar", days.stream().map(d -> d.date().toString()).toList(),
                List.of(p.t("reports.issuanceVolume"), p.t("reports.fees")));
        series(spec, p.t("reports.issuanceVolume"), "bar", 0, days, Models.ReportDay::issuanceVolume);
        series(spec, p.t("reports.issuanceFees"), "line", 1, days, Models.ReportDay::issuanceFees);
        series(spec, p.t("reports.payoutFees"), "line", 1, days, Models.ReportDay::payoutFees);
        return Json.write(spec);
    }

    private static String spotChart(Page p, List<Models.SpotFigure> spots) {
        ObjectNode spec = spec("bar", spots.stream().map(Models.SpotFigure::name).toList(), List.of(p.t("reports.settled")));
        series(spec, p.t("reports.settled"), "bar", 0, spots, Models.SpotFigure::settled);
        series(spec, p.t("reports.redeemed"), "bar", 0, spots, Models.SpotFigure::redeemed);
        return Json.write(spec);
    }

    private static String wealthChart(Page p, List<Models.ReportDay> days) {
        ObjectNode spec = spec("line", days.stream().map(d -> d.date().toString()).toList(),
                List.of(p.t("reports.wealthPosition"), p.t("reports.yield")));
        series(spec, p.t("reports.wealthPosition"), "line", 0, days, Models.ReportDay::wealthPosition);
        series(spec, p.t("reports.yield"), "bar", 1, days, Models.ReportDay::investmentYield);
        return Json.write(spec);
    }

    private static ObjectNode spec(String type, List<String> categories, List<String> axes) {
        ObjectNode spec = Json.object().put("type", type);
        ArrayNode c = spec.putArray("categories");
        categories.forEach(c::add);
        ArrayNode a = spec.putArray("axes");
        axes.forEach(a::add);
        spec.putArray("series");
        return spec;
    }

    private static <T> void series(ObjectNode spec, String name, String type, int axis, List<T> rows, Function<T, Money> value) {
        ObjectNode s = ((ArrayNode) spec.get("series")).addObject().put("name", name).put("type", type).put("axis", axis);
        ArrayNode v = s.putArray("values");
        // Decimal strings: the chart reads them as numbers for drawing only; nothing is added up in the browser.
        rows.forEach(r -> v.add(value.apply(r).toDecimalString()));
    }

    // ---------------------------------------------------------------- CSV

    private void financialCsv(Context ctx, Sessions.Session s) {
        Optional<Platform> platform = ticketing.parties().platform();
        if (platform.isEmpty()) {
            web.error(ctx, s, 404, "error.notOnboarded");
            return;
        }
        Period period = period(ctx, platform.get());
        Outcome<FinancialReport> r = ticketing.reports().financial(period.from(), period.to());
        if (r instanceof Outcome.Refused<FinancialReport> refused) {
            web.error(ctx, s, 400, "error.notFound");
            return;
        }
        web.audit(s, "report.exported", "report:" + period.from() + ".." + period.to(), "financial report CSV");
        csv(ctx, "financial-report-" + period.from() + "-" + period.to() + ".csv",
                ReportFormat.csv(((Outcome.Ok<FinancialReport>) r).value()));
    }

    private void dailyCsv(Context ctx, Sessions.Session s) {
        Optional<Platform> platform = ticketing.parties().platform();
        if (platform.isEmpty()) {
            web.error(ctx, s, 404, "error.notOnboarded");
            return;
        }
        Period period = period(ctx, platform.get());
        StringBuilder b = new StringBuilder("date,issuance_volume,issuance_fees,payout_fees,investment_yield,net_income,wealth_position\r\n");
        for (Models.ReportDay d : days(period)) {
            b.append(d.date()).append(',').append(d.issuanceVolume().toDecimalString()).append(',')
                    .append(d.issuanceFees().toDecimalString()).append(',').append(d.payoutFees().toDecimalString()).append(',')
                    .append(d.investmentYield().toDecimalString()).append(',').append(d.netIncome().toDecimalString()).append(',')
                    .append(d.wealthPosition().toDecimalString()).append("\r\n");
        }
        web.audit(s, "report.exported", "report:" + period.from() + ".." + period.to(), "daily figures CSV");
        csv(ctx, "daily-figures-" + period.from() + "-" + period.to() + ".csv", b.toString());
    }

    private static void csv(Context ctx, String filename, String body) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        ctx.contentType("text/csv; charset=utf-8").result(body.getBytes(StandardCharsets.UTF_8));
    }
}
