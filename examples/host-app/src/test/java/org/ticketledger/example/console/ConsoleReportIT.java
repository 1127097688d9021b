package org.ticketledger.example.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.testing.Browser;
import org.ticketledger.example.testing.ConsoleClient;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.report.FinancialReport;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;

/**
 * The report page on a platform with real activity — single tickets issued and paid out to a
 * scenic spot, a combo invested in a wealth plan — drawn in headless Chromium: three charts whose
 * values are the ledger's figures, a screenshot kept as an artifact, and the CSV downloads.
 */
class ConsoleReportIT {

    static TestPlatform platform;
    static LocalDate today;
    static String spotName = "Lingyin Temple";
    static Money invested;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start(b -> b.backgroundJobs(true).jobSettings(JobSettings.fast()));
        platform.consoleAdmin("alice", "alice-password-1", Principal.AdminRole.OPERATOR);
        platform.onboardPlatformOnBothRails("5000.00");
        today = TestPlatform.today();

        // Single tickets: 3 issued at 100.00, one redeemed and paid out to the spot.
        String spot = platform.onboardSpot(spotName);
        String product = platform.publish(spot, "100.00", "90.00");
        var d = platform.onboardDistributor("Report Travel", "10000.00");
        JsonNode order = TestPlatform.json(TestPlatform.expect(d.client().post("/distributor/v1/orders",
                TestPlatform.order("R-1", product, 3, "100.00"), "r-1"), 201));
        RedeemResult r = platform.platform().ticketing().tickets().redeem(
                new RedeemRequest(order.path("tickets").get(0).path("number").asText(), spot, "gate-1"));
        String payoutId = ((RedeemResult.Redeemed) r).payout().id();

        // A combo over two spots, invested in a Huijinbao wealth plan.
        String spot2 = platform.onboardSpot("Leifeng Pagoda");
        PlanId plan = PlanId.of("PLAN-REPORT");
        platform.platform().rails().huijinbaoSandbox().orElseThrow().openPlan(plan, 300);
        Outcome<ComboProduct> combo = platform.platform().ticketing().combos().publish(new ComboDraft("Lake combo", "Two spots",
                Money.parseCny("150.00"), List.of(new SpotPrice(spot, Money.parseCny("60.00")), new SpotPrice(spot2, Money.parseCny("60.00"))),
                today, today.plusDays(30), 1, today.plusDays(60), plan.value(), "Once per spot"), "test");
        String comboId = ((Outcome.Ok<ComboProduct>) combo).value().product().id();
        TestPlatform.expect(d.client().post("/distributor/v1/orders", TestPlatform.order("R-2", comboId, 2, "150.00"), "r-2"), 201);

        invested = Money.parseCny("300.00");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean paid = platform.platform().ticketing().payouts().payout(payoutId).orElseThrow().state() == PayoutState.DONE;
            boolean inPlan = platform.platform().ticketing().wealth().plan(plan.value())
                    .map(p -> p.invested().equals(invested)).orElse(false);
            if (paid && inPlan) {
                return;
            }
            platform.drain();
        }
        throw new AssertionError("the payout or the invest did not finish");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static FinancialReport report(LocalDate from, LocalDate to) {
        return ((Outcome.Ok<FinancialReport>) platform.platform().ticketing().reports().financial(from, to)).value();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReportPageDrawsItsChartsWithTheLedgersFigures() throws Exception {
        Browser.assumeInstalled();
        FinancialReport day = report(today, today);
        assertThat(day.issuanceVolume()).isEqualTo(Money.parseCny("600.00"));
        assertThat(day.wealthPosition()).isEqualTo(invested);
        try (Browser b = Browser.open(platform.base(), 1366, 1000)) {
            b.login("alice", "alice-password-1");
            b.find("nav.main a[href='/console/reports']").click();
            b.waiting(Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector(".chart[data-rendered='true']")).size() == 3);
            for (String id : List.of("chart-issuance", "chart-spots", "chart-wealth")) {
                assertThat(b.all("#" + id + " svg")).as(id).hasSize(1);
                assertThat(b.all("#" + id + " svg path")).as(id + " draws shapes").isNotEmpty();
            }
            assertThat(b.text("[data-figure='issuance_volume'] .value")).isEqualTo(report(today.minusDays(6), today).issuanceVolume().toDecimalString());

            // The charts hold the ledger's numbers: last day of the issuance chart is today.
            List<Object> categories = (List<Object>) b.js("return echarts.getInstanceByDom(document.getElementById('chart-issuance')).getOption().xAxis[0].data");
            assertThat(categories).hasSize(7).last().isEqualTo(today.toString());
            assertThat(seriesValues(b, "chart-issuance", 0)).last().isEqualTo(new BigDecimal("600.00"));
            assertThat(seriesValues(b, "chart-issuance", 1)).last().isEqualTo(new BigDecimal(day.issuanceFees().toDecimalString()));
            assertThat(seriesValues(b, "chart-wealth", 0)).last().isEqualTo(new BigDecimal("300.00"));
            List<Object> spots = (List<Object>) b.js("return echarts.getInstanceByDom(document.getElementById('chart-spots')).getOption().xAxis[0].data");
            assertThat(spots).contains(spotName);
            int i = spots.indexOf(spotName);
            assertThat(seriesValues(b, "chart-spots", 0).get(i)).isEqualTo(new BigDecimal("90.00"));
            // The same numbers as text, in the tables under the charts.
            assertThat(b.text("#days tr[data-date='" + today + "']")).contains("600.00", "300.00");

            Path shot = b.screenshot("report");
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        }
    }

    private static List<BigDecimal> seriesValues(Browser b, String chart, int series) {
        List<?> raw = (List<?>) b.js("return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series[arguments[1]].data",
                chart, series);
        return raw.stream().map(v -> new BigDecimal(v.toString()).setScale(2, java.math.RoundingMode.UNNECESSARY)).toList();
    }

    @Test
    void theReportDownloadsAsCsvAndTheDownloadIsAudited() {
        ConsoleClient c = new ConsoleClient(platform.base()).loggedIn("alice", "alice-password-1");
        HttpResponse<String> csv = c.get("/console/reports/financial.csv?from=" + today + "&to=" + today);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("attachment"));
        assertThat(csv.body()).startsWith("section,name,type,opening,debits,credits,closing").contains("summary,issuance_volume,,,,,600.00");

        HttpResponse<String> daily = c.get("/console/reports/daily.csv?from=" + today.minusDays(1) + "&to=" + today);
        assertThat(daily.body().split("\r\n")).containsExactly(
                "date,issuance_volume,issuance_fees,payout_fees,investment_yield,net_income,wealth_position",
                daily.body().split("\r\n")[1],
                today + ",600.00," + report(today, today).issuanceFees().toDecimalString() + ","
                        + report(today, today).payoutFees().toDecimalString() + ",0.00,"
                        + report(today, today).netIncome().toDecimalString() + ",300.00");
        assertThat(platform.count("SELECT count(*) FROM host.audit_log WHERE action = 'report.exported' AND actor = 'console:alice'"))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void theBalancesPageShowsTheWealthPositionAgainstTheRail() {
        ConsoleClient c = new ConsoleClient(platform.base()).loggedIn("alice", "alice-password-1");
        String page = c.get("/console/balances").body();
        assertThat(page).contains("id=\"wealth\"", "platform:huijinbao:wealth", "300.00");
    }
}
