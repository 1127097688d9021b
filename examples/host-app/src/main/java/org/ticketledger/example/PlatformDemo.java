package org.ticketledger.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.example.auth.AdminTokens;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.platform.Database;
import org.ticketledger.example.platform.MasterKey;
import org.ticketledger.example.webhook.WebhookSigning;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;

/**
 * {@code ./ticketledger demo}: the single-ticket business flow end to end on a throw-away platform
 * (embedded PostgreSQL, Alipay sandbox), through the real HTTP APIs: onboarding, publishing, sync,
 * an issuance that finds the distributor short (SMS, top-up, reapply), redemption at the gate, the
 * payout to the scenic spot, webhooks, then the account statement, the trial balance and the
 * reconciliation of ledger against rail. Returns 0 only if the books balance and the difference is
 * zero. The redemption is called in-process: the device API comes with the device SDK.
 */
public final class PlatformDemo {

    private static final String ADMIN = "demo-admin-token-0123456789abcdef";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private URI base;

    private PlatformDemo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo, printing to {@code out}; 0 if the books balance and reconcile, 1 otherwise. */
    public static int run(PrintStream out) throws Exception {
        return new PlatformDemo(out).run();
    }

    private int run() throws Exception {
        out.println("TicketLedger demo: a fresh platform on an embedded PostgreSQL with the Alipay sandbox");
        try (Platform platform = Platform.builder().database(Database.temporary(8)).masterKey(MasterKey.generate()).port(0)
                .adminTokens(AdminTokens.of(List.of(new AdminTokens.Token("demo", ADMIN, Principal.AdminRole.OPERATOR))))
                .jobSettings(JobSettings.fast()).backgroundJobs(false).start();
             WebhookReceiver receiver = WebhookReceiver.start()) {
            base = platform.app().baseUri();
            AlipaySandbox alipay = platform.rails().alipaySandbox().orElseThrow();
            out.println("  API " + base + "   OpenAPI " + base + "/openapi.json   Alipay sandbox " + alipay.gatewayUri());

            section("1. Onboarding (admin API)");
            ObjectNode platformReq = Json.object().put("name", "West Lake Tickets").put("currency", "CNY")
                    .put("adminPhone", "13800000000").put("timeZone", ZONE.getId());
            platformReq.putArray("settlementAccounts").addObject().put("rail", "ALIPAY").put("identityType", "USER_ID")
                    .put("identity", alipay.platformUserId());
            admin("POST", "/admin/v1/platform", platformReq, 201);
            say("platform \"West Lake Tickets\" settles on Alipay account " + alipay.platformUserId());
            admin("PUT", "/admin/v1/fees/ISSUANCE", Json.object().put("basisPoints", 100).put("min", "1.00"), 200);
            admin("PUT", "/admin/v1/fees/PAYOUT", Json.object().put("basisPoints", 100), 200);
            say("fees: issuance 1 % (at least 1.00) on top of the distributor price; payout 1 % of the spot's price");
            var spotAccount = alipay.openAccount("westlake@spot.example", "West Lake Scenic Area", Money.cny(0));
            ObjectNode spotReq = Json.object().put("name", "West Lake").put("contactPhone", "13900000001");
            spotReq.putObject("receivingAccount").put("rail", "ALIPAY").put("identityType", "USER_ID")
                    .put("identity", spotAccount.userId()).put("holderName", "West Lake Scenic Area");
            String spotId = admin("POST", "/admin/v1/scenic-spots", spotReq, 201).path("id").asText();
            say("scenic spot West Lake (" + spotId + ") receives on Alipay " + spotAccount.userId());
            PartyAccount payer = alipay.openParty("happy@dist.example", "Happy Travel", Money.parseCny("50.00"));
            ObjectNode distReq = Json.object().put("name", "Happy Travel").put("contactPhone", "13900001001");
            distReq.putObject("paymentAccount").put("rail", "ALIPAY").put("identityType", "USER_ID")
                    .put("identity", payer.identity()).put("holderName", "Happy Travel")
                    .put("agreementNo", payer.agreementNo().orElseThrow());
            JsonNode dist = admin("POST", "/admin/v1/distributors", distReq, 201);
            String distributorId = dist.path("distributor").path("id").asText();
            SignedHttpClient distributor = SignedHttpClient.of(base, dist.path("apiKey").path("keyId").asText(),
                    dist.path("apiKey").path("secret").asText());
            say("distributor Happy Travel (" + distributorId + ") pays by Alipay agreement from " + payer.identity()
                    + ", which holds 50.00; API key " + dist.path("apiKey").path("keyId").asText());
            JsonNode hook = ok(distributor.send("PUT", "/distributor/v1/webhook",
                    Json.write(Json.object().put("url", receiver.url().toString())), Map.of()), 200);
            receiver.secret = hook.path("secret").asText();
            say("Happy Travel receives webhooks at " + receiver.url());

            section("2. Publishing (admin API)");
            LocalDate today = LocalDate.now(ZONE);
            ObjectNode draft = Json.object().put("spotId", spotId).put("name", "West Lake day pass")
                    .put("description", "Entry for one day").put("distributorPrice", "100.00").put("scenicPrice", "90.00")
                    .put("validFrom", today.toString()).put("validUntil", today.plusDays(90).toString()).put("validDays", 1)
                    .put("usageRules", "One entry");
            String productId = admin("POST", "/admin/v1/products", draft, 201).path("id").asText();
            say("\"West Lake day pass\" (" + productId + "): distributors pay D = 100.00, the spot receives S = 90.00");

            section("3. Sync (distributor API)");
            JsonNode page = ok(distributor.get("/distributor/v1/products?cursor=0"), 200);
            say("Happy Travel syncs " + page.path("items").size() + " product(s); next cursor " + page.path("nextCursor").asText());

            section("4. Issuance with insufficient balance, SMS, top-up, reapply");
            String order = Json.write(Json.object().put("distributorOrderId", "HT-1001").put("productId", productId)
                    .put("visitDate", today.toString()).put("quantity", 1).put("unitPrice", "100.00"));
            HttpResponse<String> first = distributor.post("/distributor/v1/orders", order, "HT-1001-create");
            JsonNode awaiting = ok(first, 202);
            String orderId = awaiting.path("id").asText();
            say("POST /distributor/v1/orders -> " + first.statusCode() + " " + awaiting.path("state").asText() + ": total "
                    + awaiting.path("total").asText() + " but the account holds 50.00");
            platform.ticketing().runDueWork();
            for (JsonNode sms : admin("GET", "/admin/v1/notifications?subject=" + orderId, null, 200).path("items")) {
                say("SMS to " + sms.path("recipient").asText() + ": " + sms.path("body").asText());
            }
            alipay.fund(payer.identity(), Money.parseCny("100.00"));
            say("Happy Travel tops up 100.00 on Alipay (now " + alipay.balance(payer.identity()).toDecimalString() + ")");
            HttpResponse<String> reapplied = distributor.post("/distributor/v1/orders/" + orderId + "/reapply", "", "HT-1001-reapply");
            JsonNode issued = ok(reapplied, 201);
            JsonNode ticket = issued.path("tickets").get(0);
            say("POST .../reapply -> " + reapplied.statusCode() + " " + issued.path("state").asText() + ": charged "
                    + issued.path("total").asText() + ", ticket " + ticket.path("number").asText());
            platform.webhooks().runOnce();
            HttpResponse<String> replay = distributor.post("/distributor/v1/orders/" + orderId + "/reapply", "", "HT-1001-reapply");
            say("the same reapply again (same Idempotency-Key) -> " + replay.statusCode() + ", Idempotent-Replayed: "
                    + replay.headers().firstValue("Idempotent-Replayed").orElse("no") + "; nothing charged twice");

            section("5. Redemption at the gate");
            RedeemResult redeemed = platform.ticketing().tickets().redeem(
                    new RedeemRequest(ticket.path("number").asText(), spotId, "gate-1"));
            if (!(redeemed instanceof RedeemResult.Redeemed r)) {
                throw new IllegalStateException("redemption refused: " + redeemed);
            }
            say("ticket " + ticket.path("number").asText() + " redeemed at West Lake; payout " + r.payout().id() + " of "
                    + r.payout().net().toDecimalString() + " (fee " + r.payout().fee().toDecimalString() + ") queued");

            section("6. Payout");
            for (int i = 0; i < 5 && !platform.ticketing().runDueWork().idle(); i++) {
                // the payout job sends the transfer and records the outcome
            }
            JsonNode payout = admin("GET", "/admin/v1/payouts/" + r.payout().id(), null, 200);
            say("payout " + payout.path("state").asText() + ": " + payout.path("net").asText() + " to West Lake; its Alipay account holds "
                    + alipay.balance(spotAccount.userId()).toDecimalString());

            section("7. Webhooks");
            platform.webhooks().runOnce();
            for (String line : receiver.received) {
                say(line);
            }

            section("Statement");
            JsonNode tb = admin("GET", "/admin/v1/trial-balance", null, 200);
            out.printf("  %-46s %10s %10s %10s%n", "account", "debits", "credits", "balance");
            for (JsonNode a : tb.path("accounts")) {
                out.printf("  %-46s %10s %10s %10s%n", a.path("account").asText(), a.path("debits").asText(),
                        a.path("credits").asText(), a.path("balance").asText());
            }
            out.printf("  %-46s %10s %10s%n", "total", tb.path("totalDebits").asText(), tb.path("totalCredits").asText());
            boolean trial = tb.path("balanced").asBoolean();
            out.println("  trial balance: " + (trial ? "balanced" : "NOT BALANCED"));
            JsonNode rec = admin("GET", "/admin/v1/reconciliation", null, 200);
            for (JsonNode line : rec.path("lines")) {
                out.println("  reconciliation " + line.path("rail").asText() + ": ledger " + line.path("ledgerBalance").asText()
                        + ", rail " + line.path("railBalance").asText("?") + ", difference " + line.path("difference").asText("?"));
            }
            boolean reconciled = rec.path("balanced").asBoolean();
            out.println("  reconciliation: " + (reconciled ? "zero difference" : "DIFFERENCE FOUND"));
            return trial && reconciled ? 0 : 1;
        }
    }

    private void section(String title) {
        out.println();
        out.println(title);
    }

    private void say(String line) {
        out.println("  " + line);
    }

    private JsonNode admin(String method, String path, ObjectNode body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + ADMIN);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        return ok(http.send(b.build(), HttpResponse.BodyHandlers.ofString()), expected);
    }

    private static JsonNode ok(HttpResponse<String> r, int expected) throws IOException {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " answered "
                    + r.statusCode() + " (expected " + expected + "): " + r.body());
        }
        return r.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(r.body());
    }

    /** A distributor's webhook endpoint: checks each delivery's signature and notes what arrived. */
    private static final class WebhookReceiver implements AutoCloseable {
        private final HttpServer server;
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile String secret = "";

        private WebhookReceiver(HttpServer server) {
            this.server = server;
        }

        static WebhookReceiver start() throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver r = new WebhookReceiver(s);
            s.createContext("/hooks", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String ts = ex.getRequestHeaders().getFirst(WebhookSigning.TIMESTAMP);
                String sig = ex.getRequestHeaders().getFirst(WebhookSigning.SIGNATURE);
                boolean valid = ts != null && sig != null && WebhookSigning.sign(r.secret, Long.parseLong(ts), body).equals(sig);
                JsonNode event = Json.MAPPER.readTree(body);
                r.received.add("webhook " + event.path("type").asText() + " " + event.path("id").asText() + ": ticket "
                        + event.path("ticket").path("number").asText() + " is " + event.path("ticket").path("state").asText()
                        + (valid ? " (signature verified)" : " (BAD SIGNATURE)"));
                ex.sendResponseHeaders(valid ? 204 : 401, -1);
                ex.close();
            });
            s.start();
            return r;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
