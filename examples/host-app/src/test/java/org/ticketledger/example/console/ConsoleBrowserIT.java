package org.ticketledger.example.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.testing.Browser;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;

/**
 * The console in a real headless Chromium against the whole platform (background jobs on, Alipay
 * sandbox): an operator finds a payout stuck for funds, tops up, retries and watches it land; a
 * large payout goes through a second admin; hostile names stay text.
 */
class ConsoleBrowserIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        platform = TestPlatform.start(b -> b.backgroundJobs(true).jobSettings(JobSettings.fast())
                .console(ConsoleSettings.defaults().withPasswordIterations(ConsoleSettings.MIN_ITERATIONS)
                        .withApprovalThreshold(Money.parseCny("1000.00"))));
        platform.consoleAdmin("alice", "alice-password-1", Principal.AdminRole.OPERATOR);
        platform.consoleAdmin("bob", "bob-password-123", Principal.AdminRole.OPERATOR);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @BeforeEach
    void installed() {
        Browser.assumeInstalled();
    }

    /** A redeemed ticket whose payout waits for funds: the platform's Alipay account was emptied. Returns its payout. */
    private Money beforeFault;

    private Payout payoutShortOfFunds(String spotName, String distributorPrice, String scenicPrice) throws Exception {
        String spot = platform.onboardSpot(spotName);
        String product = platform.publish(spot, distributorPrice, scenicPrice);
        var d = platform.onboardDistributor(spotName + " Travel", "50000.00");
        JsonNode order = TestPlatform.json(TestPlatform.expect(d.client().post("/distributor/v1/orders",
                TestPlatform.order("B-" + spot, product, 1, distributorPrice), "b-" + spot), 201));
        beforeFault = platform.sandbox().platformBalance();
        platform.sandbox().setPlatformBalance(Money.cny(0));
        RedeemResult r = platform.platform().ticketing().tickets().redeem(
                new RedeemRequest(order.path("tickets").get(0).path("number").asText(), spot, "gate-1"));
        String payoutId = ((RedeemResult.Redeemed) r).payout().id();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Payout p = platform.platform().ticketing().payouts().payout(payoutId).orElseThrow();
            if (p.state() == PayoutState.AWAITING_FUNDS) {
                return p;
            }
            platform.drain();
        }
        throw new AssertionError("payout " + payoutId + " never waited for funds");
    }

    /** The top-up: the platform's sandbox account holds again what the fault took (so the books still agree). */
    private void topUpSandbox() {
        platform.sandbox().setPlatformBalance(beforeFault);
    }

    @Test
    void anOperatorFindsAPayoutShortOfFundsTopsUpRetriesAndWatchesItReachDone() throws Exception {
        Payout stuck = payoutShortOfFunds("West Lake", "100.00", "90.00");
        try (Browser b = Browser.open(platform.base(), 1366, 900)) {
            b.login("alice", "alice-password-1");
            assertThat(b.text("#current-user")).isEqualTo("alice");
            b.find("nav.main a[href='/console/queues/payouts']").click();
            WebElement row = b.find("#queue tr[data-id='" + stuck.id() + "']");
            assertThat(row.getText()).contains("West Lake", "89.10");
            row.findElement(By.cssSelector("a")).click();

            assertThat(b.text("#payout-state")).isEqualTo("AWAITING_FUNDS");
            // The SMS the administrator got, and the history that led here.
            assertThat(b.text("#sms")).contains("13800000000");
            assertThat(b.all("#history tr[data-event='payout.awaiting-funds']")).isNotEmpty();

            Money before = platform.sandbox().platformBalance();
            assertThat(before).isEqualTo(Money.cny(0));
            topUpSandbox();
            b.find("#retry").click();
            assertThat(b.text(".flash.ok")).contains("Payout sent again");
            b.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("payout-state"), "DONE"));
            assertThat(b.text("#payout-facts")).contains(stuck.net().toDecimalString());
            assertThat(b.text("#subject-audit")).contains("console:alice", "payout.retry");
        }
        assertThat(platform.platform().ticketing().payouts().payout(stuck.id()).orElseThrow().state()).isEqualTo(PayoutState.DONE);
    }

    @Test
    void aLargePayoutIsRetriedOnlyAfterASecondAdminApproves() throws Exception {
        Payout stuck = payoutShortOfFunds("Yellow Mountain", "2500.00", "2000.00");
        assertThat(stuck.net().isGreaterThan(Money.parseCny("1000.00"))).isTrue();
        topUpSandbox();
        try (Browser b = Browser.open(platform.base(), 1366, 900)) {
            b.login("alice", "alice-password-1").go("/console/payouts/" + stuck.id());
            assertThat(b.text("#needs-approval")).contains("1000.00 CNY");
            b.find("#retry").click();
            assertThat(b.text(".flash.ok")).contains("another admin must approve");
            assertThat(platform.platform().ticketing().payouts().payout(stuck.id()).orElseThrow().state())
                    .isEqualTo(PayoutState.AWAITING_FUNDS);

            // The maker sees the request but cannot approve it.
            b.find("nav.main a[href='/console/approvals']").click();
            WebElement mine = b.find("#pending-approvals tr[data-subject='" + stuck.id() + "']");
            assertThat(mine.findElements(By.cssSelector("button.approve"))).isEmpty();
            assertThat(mine.getText()).contains("Your request", "1980.00", "console:alice");
            b.logout();

            b.login("bob", "bob-password-123").go("/console/approvals");
            b.find("#pending-approvals tr[data-subject='" + stuck.id() + "'] button.approve").click();
            b.waitForPath("/console/payouts/" + stuck.id());
            assertThat(b.text(".flash.ok")).contains("Approved and sent");
            b.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("payout-state"), "DONE"));
            assertThat(b.text("#payout-approvals")).contains("console:alice", "console:bob", "Approved and carried out");

            b.go("/console/audit?q=" + stuck.id());
            String audit = b.text("#audit");
            assertThat(audit).contains("approval.requested", "approval.approved", "payout.retry", "console:alice", "console:bob");
        }
    }

    @Test
    void hostileNamesAndDescriptionsAreShownAsText() throws Exception {
        String spot = platform.onboardSpot("Xss Spot");
        String script = "<script>window.__xss = 'product'</script>";
        String img = "<img src=x onerror=\"window.__xss='distributor'\">";
        var req = Json.object().put("spotId", spot).put("name", script).put("description", "<b onmouseover=alert(1)>bold</b>")
                .put("distributorPrice", "10.00").put("scenicPrice", "9.00").put("validFrom", TestPlatform.today().toString())
                .put("validUntil", TestPlatform.today().plusDays(30).toString()).put("validDays", 1);
        String product = TestPlatform.json(TestPlatform.expect(platform.admin("POST", "/admin/v1/products", Json.write(req)), 201))
                .path("id").asText();
        var d = platform.onboardDistributor(img, "100.00");
        JsonNode order = TestPlatform.json(TestPlatform.expect(d.client().post("/distributor/v1/orders",
                TestPlatform.order("X-1", product, 1, "10.00"), "x-1"), 201));
        try (Browser b = Browser.open(platform.base(), 1366, 900)) {
            b.login("alice", "alice-password-1").go("/console/orders/" + order.path("id").asText());
            assertThat(b.text("#product-name")).isEqualTo(script);
            assertThat(b.text("#distributor-name")).contains(img);
            assertThat(b.text("#product-description")).isEqualTo("<b onmouseover=alert(1)>bold</b>");
            assertThat(b.all("#product-description b")).isEmpty();
            assertThat(b.js("return window.__xss === undefined")).isEqualTo(true);
            // A hostile query is echoed as text too.
            b.go("/console/audit?q=" + java.net.URLEncoder.encode("\"><script>window.__xss='q'</script>",
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(b.js("return window.__xss === undefined")).isEqualTo(true);
            assertThat(b.find("input[name=q]").getAttribute("value")).isEqualTo("\"><script>window.__xss='q'</script>");
        }
    }

    @Test
    void theLanguageSwitchesToChineseAndBack() {
        try (Browser b = Browser.open(platform.base(), 1024, 768)) {
            b.login("alice", "alice-password-1").waitForText("h1", "Overview");
            b.find("#lang-switch").click();
            b.waitForText("h1", "概览");
            assertThat(b.text("nav.main")).contains("付款", "审批", "报表");
            b.go("/console/balances");
            assertThat(b.text("h1")).isEqualTo("余额");
            b.find("#lang-switch").click();
            b.waitForText("h1", "Balances");
            assertThat(b.path()).isEqualTo("/console/balances");
        }
    }

    @Test
    void onATabletTheNavigationWrapsAndTablesScrollInsideThePage() {
        try (Browser b = Browser.open(platform.base(), 768, 1024)) {
            b.login("alice", "alice-password-1").go("/console/balances");
            long pageWidth = (Long) b.js("return document.documentElement.scrollWidth");
            long viewport = (Long) b.js("return document.documentElement.clientWidth");
            assertThat(pageWidth).as("no sideways scrolling of the page").isLessThanOrEqualTo(viewport);
            List<WebElement> links = b.all("nav.main a");
            assertThat(links).allSatisfy(a -> assertThat(a.isDisplayed()).isTrue());
            b.screenshot("balances-tablet");
        }
    }
}
