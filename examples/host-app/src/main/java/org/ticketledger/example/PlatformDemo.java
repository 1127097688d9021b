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
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.ticketledger.verify.LoginResult;
import org.ticketledger.verify.OperatorCredentials;
import org.ticketledger.verify.ProvisionResult;
import org.ticketledger.verify.RedeemResult;
import org.ticketledger.verify.SyncResult;
import org.ticketledger.verify.VerifierClient;
import org.ticketledger.verify.spi.HttpTransport;

/**
 * {@code ./ticketledger demo}: the single-ticket business flow end to end on a throw-away platform
 * (embedded PostgreSQL, Alipay sandbox), through the real HTTP APIs: onboarding, publishing, sync,
 * an issuance that finds the distributor short (SMS, top-up, reapply), redemption at a gate device
 * (provisioned with a QR token, operator login, key sync, one online and one offline redemption,
 * synced later) with the real device SDK, the payouts to the scenic spot, webhooks, then the account
 * statement, the trial balance and the reconciliation of ledger against rail. Returns 0 only if the
 * books balance and the difference is zero.
 */
public final class PlatformDemo {

    private static final String ADMIN = "demo-admin-token-0123456789abcdef";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /**
     * The SDK logs its offline fallback (java.util.logging, INFO, with the network error); the demo
     * tells that story itself. Held here so that the level is not lost with a collected logger.
     */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("org.ticketledger.verify");

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
        SDK_LOG.setLevel(java.util.logging.Level.WARNING);
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
                    .put("visitDate", today.toString()).put("quantity", 2).put("unitPrice", "100.00"));
            HttpResponse<String> first = distributor.post("/distributor/v1/orders", order, "HT-1001-create");
            JsonNode awaiting = ok(first, 202);
            String orderId = awaiting.path("id").asText();
            say("POST /distributor/v1/orders (2 visitors) -> " + first.statusCode() + " " + awaiting.path("state").asText()
                    + ": total " + awaiting.path("total").asText() + " but the account holds 50.00");
            platform.ticketing().runDueWork();
            for (JsonNode sms : admin("GET", "/admin/v1/notifications?subject=" + orderId, null, 200).path("items")) {
                say("SMS to " + sms.path("recipient").asText() + ": " + sms.path("body").asText());
            }
            alipay.fund(payer.identity(), Money.parseCny("200.00"));
            say("Happy Travel tops up 200.00 on Alipay (now " + alipay.balance(payer.identity()).toDecimalString() + ")");
            HttpResponse<String> reapplied = distributor.post("/distributor/v1/orders/" + orderId + "/reapply", "", "HT-1001-reapply");
            JsonNode issued = ok(reapplied, 201);
            JsonNode ticket = issued.path("tickets").get(0);
            JsonNode ticket2 = issued.path("tickets").get(1);
            say("POST .../reapply -> " + reapplied.statusCode() + " " + issued.path("state").asText() + ": charged "
                    + issued.path("total").asText() + ", tickets " + ticket.path("number").asText() + " and "
                    + ticket2.path("number").asText());
            say("each ticket carries a signed code for its QR: " + abbreviate(ticket.path("code").asText()));
            platform.webhooks().runOnce();
            HttpResponse<String> replay = distributor.post("/distributor/v1/orders/" + orderId + "/reapply", "", "HT-1001-reapply");
            say("the same reapply again (same Idempotency-Key) -> " + replay.statusCode() + ", Idempotent-Replayed: "
                    + replay.headers().firstValue("Idempotent-Replayed").orElse("no") + "; nothing charged twice");

            section("5. Redemption at the gate (device API, with verification-sdk's VerifierClient)");
            String qr = admin("POST", "/admin/v1/devices/provisioning-tokens",
                    Json.object().put("spotId", spotId).put("gate", "North gate"), 201).path("qrText").asText();
            say("the admin prints a one-time provisioning QR code for West Lake, North gate (" + abbreviate(qr) + ")");
            ObjectNode operator = Json.object().put("username", "li.wei").put("name", "Li Wei").put("password", "correct horse");
            operator.putArray("spotIds").add(spotId);
            admin("POST", "/admin/v1/operators", operator, 201);
            say("and creates the gate operator li.wei (password stored as a salted PBKDF2 hash)");
            GateNetwork network = new GateNetwork();
            Path deviceDir = Files.createTempDirectory("ticketledger-demo-gate");
            try (VerifierClient gate = VerifierClient.builder().serverUrl(base).dataDirectory(deviceDir.toFile())
                    .transport(network).zone(ZONE).build()) {
                ProvisionResult provisioned = gate.provision(qr);
                if (!(provisioned instanceof ProvisionResult.Provisioned device)) {
                    throw new IllegalStateException("provisioning refused: " + provisioned);
                }
                say("the gate scans it: device " + device.deviceId() + " at " + device.spot().name() + ", "
                        + device.gate().orElse("no gate"));
                LoginResult login = gate.login(OperatorCredentials.password("li.wei", "correct horse"));
                if (!(login instanceof LoginResult.LoggedIn)) {
                    throw new IllegalStateException("login refused: " + login);
                }
                SyncResult synced = gate.sync();
                say("Li Wei logs in; the gate syncs: key set version " + synced.keySetVersion() + " ("
                        + gate.keySet().keys().size() + " issuer key), revocations version " + synced.revocationVersion());
                String code = ticket.path("code").asText();
                say("verify offline, before admitting: " + gate.verify(code).code());
                RedeemResult online = gate.redeem(code);
                say("redeem ticket " + ticket.path("number").asText() + ": " + online.mode() + " " + online.code() + " - "
                        + online.reason());
                RedeemResult again = gate.redeem(code);
                say("the same code again: " + again.mode() + " " + again.code() + " - " + again.reason());

                network.down = true;
                RedeemResult offline = gate.redeem(ticket2.path("code").asText());
                say("the gate loses its network; redeem ticket " + ticket2.path("number").asText() + ": " + offline.mode() + " "
                        + offline.code() + " - " + offline.reason());
                say("payouts queued so far: " + spotPayouts(orderId).size() + " (the platform pays only what it has heard of)");
                network.down = false;
                SyncResult later = gate.sync();
                say("the network is back; the gate syncs: " + later.uploaded() + " record uploaded, " + later.recorded()
                        + " recorded, " + later.conflicts().size() + " conflicts; payouts queued now: " + spotPayouts(orderId).size());
                gate.heartbeat();
                for (JsonNode d : admin("GET", "/admin/v1/devices?spotId=" + spotId, null, 200).path("items")) {
                    JsonNode hb = d.path("heartbeat");
                    say("admin's device list: " + d.path("id").asText() + " " + d.path("state").asText() + " at "
                            + d.path("spot").path("name").asText() + ", " + d.path("gate").asText() + "; queue "
                            + hb.path("queueDepth").asText() + ", SDK " + hb.path("sdkVersion").asText()
                            + ", last sync " + hb.path("lastSyncAt").asText());
                }
            } finally {
                deleteTree(deviceDir);
            }

            section("6. Payouts");
            for (int i = 0; i < 5 && !platform.ticketing().runDueWork().idle(); i++) {
                // the payout job sends the transfers and records the outcomes
            }
            Map<String, String> numbers = Map.of(ticket.path("id").asText(), ticket.path("number").asText(),
                    ticket2.path("id").asText(), ticket2.path("number").asText());
            for (JsonNode payout : spotPayouts(orderId)) {
                JsonNode now = admin("GET", "/admin/v1/payouts/" + payout.path("id").asText(), null, 200);
                say("payout " + now.path("id").asText() + " for ticket " + numbers.getOrDefault(now.path("ticketId").asText(), "?")
                        + " " + now.path("state").asText()
                        + ": " + now.path("net").asText() + " to West Lake (fee " + now.path("fee").asText() + ")");
            }
            say("West Lake's Alipay account holds " + alipay.balance(spotAccount.userId()).toDecimalString());

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

    /** The scenic spot's payouts for the order's tickets, as the admin API lists them. */
    private List<JsonNode> spotPayouts(String orderId) throws IOException, InterruptedException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode p : admin("GET", "/admin/v1/orders/" + orderId, null, 200).path("payouts")) {
            if (p.path("kind").asText().equals("SCENIC_SETTLEMENT")) {
                out.add(p);
            }
        }
        return out;
    }

    /** Secrets and long codes are shown by their first characters only. */
    private static String abbreviate(String text) {
        return text.length() <= 16 ? text : text.substring(0, 16) + "...";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
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

    /** The gate's network: the SDK's own transport, with a switch the demo flips to show offline redemption. */
    private static final class GateNetwork implements HttpTransport {
        private final HttpTransport real = HttpTransport.urlConnection();
        volatile boolean down;

        @Override
        public org.ticketledger.verify.spi.HttpResponse send(org.ticketledger.verify.spi.HttpRequest request) throws IOException {
            if (down) {
                throw new IOException("network unreachable (demo)");
            }
            return real.send(request);
        }
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
