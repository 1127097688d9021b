package org.ticketledger.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.time.Duration;
import java.time.Instant;
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
import org.ticketledger.example.platform.ShiftableClock;
import org.ticketledger.example.webhook.WebhookSigning;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.verify.LoginResult;
import org.ticketledger.verify.OperatorCredentials;
import org.ticketledger.verify.ProvisionResult;
import org.ticketledger.verify.RedeemResult;
import org.ticketledger.verify.SyncResult;
import org.ticketledger.verify.VerifierClient;
import org.ticketledger.verify.spi.HttpTransport;

/**
 * {@code ./ticketledger demo}: the business flows end to end on a throw-away platform (embedded
 * PostgreSQL, the Alipay and Huijinbao sandboxes), through the real HTTP APIs: onboarding,
 * publishing a single ticket and a combo, sync, an issuance that finds the distributor short (SMS,
 * top-up, reapply), a combo issuance whose invest into the wealth plan waits for funds until the
 * admin tops up and retries, redemption at two gate devices with the real device SDK (online,
 * offline and synced later, a combo at both spots and one at a single spot), the payouts and the
 * withdrawals from the plan, then expiry with yield (the platform runs on a {@link ShiftableClock}
 * the demo moves past the combo's expiry), the webhooks, the financial report, the account
 * statement, the trial balance and the reconciliation of ledger against rails and wealth plan.
 * Returns 0 only if the books balance and every difference is zero.
 */
public final class PlatformDemo {

    private static final String ADMIN = "demo-admin-token-0123456789abcdef";
    private static final String ADMIN_PHONE = "13800000000";
    /** The wealth plan the combo's money is invested in (opened in the Huijinbao sandbox at 3.00 % a year). */
    private static final PlanId PLAN = PlanId.of("HJB-WM-DEMO");
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /**
     * The SDK logs its offline fallback (java.util.logging, INFO, with the network error); the demo
     * tells that story itself. Held here so that the level is not lost with a collected logger.
     */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("org.ticketledger.verify");

    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private URI base;
    private Platform platform;
    private final Map<String, String> spotNames = new java.util.HashMap<>();

    private PlatformDemo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo, printing to {@code out}; 0 if the books balance and reconcile, 1 otherwise. */
    public static int run(PrintStream out) throws Exception {
        return new PlatformDemo(out).run();
    }

    private int run() throws Exception {
        SDK_LOG.setLevel(java.util.logging.Level.WARNING);
        out.println("TicketLedger demo: a fresh platform on an embedded PostgreSQL with the Alipay and Huijinbao sandboxes");
        // One clock for the whole platform (ticketing, journal, Huijinbao's business days, the API's
        // signature window): the demo moves it to show expiry and yield without waiting weeks.
        ShiftableClock clock = new ShiftableClock();
        try (Platform platform = Platform.builder().database(Database.temporary(8)).masterKey(MasterKey.generate()).port(0)
                .adminTokens(AdminTokens.of(List.of(new AdminTokens.Token("demo", ADMIN, Principal.AdminRole.OPERATOR))))
                .clock(clock).jobSettings(JobSettings.fast()).backgroundJobs(false).start();
             WebhookReceiver receiver = WebhookReceiver.start()) {
            base = platform.app().baseUri();
            this.platform = platform;
            AlipaySandbox alipay = platform.rails().alipaySandbox().orElseThrow();
            HuijinbaoSandbox hjb = platform.rails().huijinbaoSandbox().orElseThrow();
            out.println("  API " + base + "   OpenAPI " + base + "/openapi.json   Alipay sandbox " + alipay.gatewayUri()
                    + "   Huijinbao sandbox " + hjb.baseUri());

            section("1. Onboarding (admin API)");
            ObjectNode platformReq = Json.object().put("name", "West Lake Tickets").put("currency", "CNY")
                    .put("adminPhone", ADMIN_PHONE).put("timeZone", ZONE.getId());
            ArrayNode settlement = platformReq.putArray("settlementAccounts");
            settlement.addObject().put("rail", "ALIPAY").put("identityType", "USER_ID").put("identity", alipay.platformUserId());
            settlement.addObject().put("rail", "HUIJINBAO").put("identityType", "ACCOUNT_NO").put("identity", hjb.platformAccount());
            admin("POST", "/admin/v1/platform", platformReq, 201);
            say("platform \"West Lake Tickets\" settles on Alipay account " + alipay.platformUserId() + " and Huijinbao account "
                    + hjb.platformAccount() + " (which holds " + hjb.platformBalance().toDecimalString() + ")");
            admin("PUT", "/admin/v1/fees/ISSUANCE", Json.object().put("basisPoints", 100).put("min", "1.00"), 200);
            admin("PUT", "/admin/v1/fees/PAYOUT", Json.object().put("basisPoints", 100), 200);
            say("fees: issuance 1 % (at least 1.00) on top of the distributor price; payout 1 % of the spot's price");
            var spotAccount = alipay.openAccount("westlake@spot.example", "West Lake Scenic Area", Money.cny(0));
            ObjectNode spotReq = Json.object().put("name", "West Lake").put("contactPhone", "13900000001");
            spotReq.putObject("receivingAccount").put("rail", "ALIPAY").put("identityType", "USER_ID")
                    .put("identity", spotAccount.userId()).put("holderName", "West Lake Scenic Area");
            String spotId = admin("POST", "/admin/v1/scenic-spots", spotReq, 201).path("id").asText();
            spotNames.put(spotId, "West Lake");
            say("scenic spot West Lake (" + spotId + ") receives on Alipay " + spotAccount.userId());
            PartyAccount templeAccount = hjb.openAccount("LINGYIN0001", Money.cny(0));
            ObjectNode templeReq = Json.object().put("name", "Lingyin Temple").put("contactPhone", "13900000002");
            templeReq.putObject("receivingAccount").put("rail", "HUIJINBAO").put("identityType", "ACCOUNT_NO")
                    .put("identity", templeAccount.identity());
            String templeId = admin("POST", "/admin/v1/scenic-spots", templeReq, 201).path("id").asText();
            spotNames.put(templeId, "Lingyin Temple");
            say("scenic spot Lingyin Temple (" + templeId + ") receives on Huijinbao " + templeAccount.identity());
            PartyAccount payer = alipay.openParty("happy@dist.example", "Happy Travel", Money.parseCny("50.00"));
            ObjectNode distReq = Json.object().put("name", "Happy Travel").put("contactPhone", "13900001001");
            distReq.putObject("paymentAccount").put("rail", "ALIPAY").put("identityType", "USER_ID")
                    .put("identity", payer.identity()).put("holderName", "Happy Travel")
                    .put("agreementNo", payer.agreementNo().orElseThrow());
            JsonNode dist = admin("POST", "/admin/v1/distributors", distReq, 201);
            String distributorId = dist.path("distributor").path("id").asText();
            // The distributor signs with the platform's clock: after the jump below its timestamps stay in the window.
            SignedHttpClient distributor = SignedHttpClient.of(base, dist.path("apiKey").path("keyId").asText(),
                    dist.path("apiKey").path("secret").asText(), clock);
            say("distributor Happy Travel (" + distributorId + ") pays by Alipay agreement from " + payer.identity()
                    + ", which holds 50.00; API key " + dist.path("apiKey").path("keyId").asText());
            JsonNode hook = ok(distributor.send("PUT", "/distributor/v1/webhook",
                    Json.write(Json.object().put("url", receiver.url().toString())), Map.of()), 200);
            receiver.secret = hook.path("secret").asText();
            say("Happy Travel receives webhooks at " + receiver.url());

            section("2. Publishing (admin API): a single ticket and a combo");
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
            LocalDate firstDay = today;
            ObjectNode draft = Json.object().put("spotId", spotId).put("name", "West Lake day pass")
                    .put("description", "Entry for one day").put("distributorPrice", "100.00").put("scenicPrice", "90.00")
                    .put("validFrom", today.toString()).put("validUntil", today.plusDays(90).toString()).put("validDays", 1)
                    .put("usageRules", "One entry");
            String productId = admin("POST", "/admin/v1/products", draft, 201).path("id").asText();
            say("\"West Lake day pass\" (" + productId + "): distributors pay D = 100.00, the spot receives S = 90.00");
            hjb.openPlan(PLAN, 300);
            LocalDate expiresOn = today.plusDays(45);
            ObjectNode combo = Json.object().put("name", "West Lake + Lingyin Temple").put("description", "Both, once each")
                    .put("distributorPrice", "150.00").put("validFrom", today.toString())
                    .put("validUntil", today.plusDays(29).toString()).put("validDays", 7)
                    .put("expiresOn", expiresOn.toString()).put("planId", PLAN.value()).put("usageRules", "Once per spot, any order");
            combo.putArray("spots").addObject().put("spotId", spotId).put("scenicPrice", "60.00");
            ((ArrayNode) combo.get("spots")).addObject().put("spotId", templeId).put("scenicPrice", "70.00");
            String comboId = admin("POST", "/admin/v1/combos", combo, 201).path("id").asText();
            say("combo \"West Lake + Lingyin Temple\" (" + comboId + "): D = 150.00; West Lake receives 60.00, Lingyin Temple "
                    + "70.00, the platform keeps 20.00 once both are used");
            say("its money is invested in Huijinbao wealth plan " + PLAN + " (3.00 % a year) until the spots are paid; the combo "
                    + "expires on " + expiresOn + ", when the plan is redeemed with its yield");

            section("3. Sync (distributor API)");
            JsonNode page = ok(distributor.get("/distributor/v1/products?cursor=0"), 200);
            for (JsonNode p : page.path("items")) {
                say(p.path("kind").asText() + " " + p.path("id").asText() + " \"" + p.path("name").asText() + "\" at "
                        + p.path("distributorPrice").asText() + ", valid at " + p.path("spots").size() + " spot(s)"
                        + (p.has("expiresOn") ? ", expires " + p.path("expiresOn").asText() : ""));
            }
            say("Happy Travel syncs " + page.path("items").size() + " products; next cursor " + page.path("nextCursor").asText());

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
            alipay.fund(payer.identity(), Money.parseCny("600.00"));
            say("Happy Travel tops up 600.00 on Alipay (now " + alipay.balance(payer.identity()).toDecimalString() + ")");
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

            section("5. Combo issuance; its money goes into the wealth plan");
            String comboOrder = Json.write(Json.object().put("distributorOrderId", "HT-1002").put("productId", comboId)
                    .put("visitDate", today.toString()).put("quantity", 2).put("unitPrice", "150.00"));
            HttpResponse<String> comboResponse = distributor.post("/distributor/v1/orders", comboOrder, "HT-1002-create");
            JsonNode comboIssued = ok(comboResponse, 201);
            String comboOrderId = comboIssued.path("id").asText();
            JsonNode combo1 = comboIssued.path("tickets").get(0);
            JsonNode combo2 = comboIssued.path("tickets").get(1);
            say("POST /distributor/v1/orders (combo, 2 visitors) -> " + comboResponse.statusCode() + " "
                    + comboIssued.path("state").asText() + ": charged " + comboIssued.path("total").asText()
                    + " on Alipay, combo tickets " + combo1.path("number").asText() + " and " + combo2.path("number").asText());
            drain();
            platform.webhooks().runOnce();
            JsonNode invest = admin("GET", "/admin/v1/wealth/instructions?orderId=" + comboOrderId, null, 200).path("items").get(0);
            String investId = invest.path("id").asText();
            say("invest " + investId + " of " + invest.path("amount").asText() + " into " + PLAN + ": "
                    + invest.path("state").asText() + " - the platform's Huijinbao account holds "
                    + hjb.platformBalance().toDecimalString() + " (the money came in on Alipay)");
            for (JsonNode sms : admin("GET", "/admin/v1/notifications?subject=" + investId, null, 200).path("items")) {
                say("SMS to the admin " + sms.path("recipient").asText() + ": " + sms.path("body").asText());
            }
            say("admin's queue: GET /admin/v1/wealth/instructions?state=AWAITING_FUNDS -> "
                    + admin("GET", "/admin/v1/wealth/instructions?state=AWAITING_FUNDS", null, 200).path("items").size() + " waiting");
            hjb.fundPlatform(Money.parseCny("500.00"));
            admin("POST", "/admin/v1/platform/funding", Json.object().put("rail", "HUIJINBAO").put("amount", "500.00")
                    .put("reference", "HJB-TOPUP-1"), 201);
            say("the treasurer moves 500.00 into the Huijinbao account; the admin books it (POST /admin/v1/platform/funding)");
            int retried = admin("POST", "/admin/v1/wealth/instructions/retry-awaiting-funds", null, 200).path("retried").asInt();
            drain();
            JsonNode invested = admin("GET", "/admin/v1/wealth/instructions/" + investId, null, 200);
            say("POST /admin/v1/wealth/instructions/retry-awaiting-funds -> " + retried + " retried; the invest is "
                    + invested.path("state").asText() + " (request " + invested.path("requestId").asText() + ")");
            say("plan " + PLAN + " holds " + admin("GET", "/admin/v1/wealth/plans/" + PLAN, null, 200).path("invested").asText()
                    + " by the books and " + hjb.position(PLAN).principal().toDecimalString() + " at Huijinbao");

            section("6. Redemption at the gates (device API, with verification-sdk's VerifierClient)");
            String qr = admin("POST", "/admin/v1/devices/provisioning-tokens",
                    Json.object().put("spotId", spotId).put("gate", "North gate"), 201).path("qrText").asText();
            say("the admin prints a one-time provisioning QR code for West Lake, North gate (" + abbreviate(qr) + ")");
            ObjectNode operator = Json.object().put("username", "li.wei").put("name", "Li Wei").put("password", "correct horse");
            operator.putArray("spotIds").add(spotId).add(templeId);
            admin("POST", "/admin/v1/operators", operator, 201);
            say("and creates the gate operator li.wei for both spots (password stored as a salted PBKDF2 hash)");
            GateNetwork network = new GateNetwork();
            Path deviceDir = Files.createTempDirectory("ticketledger-demo-gate");
            Path templeDir = Files.createTempDirectory("ticketledger-demo-temple");
            try (VerifierClient gate = VerifierClient.builder().serverUrl(base).dataDirectory(deviceDir.toFile())
                    .transport(network).zone(ZONE).build();
                 VerifierClient templeGate = VerifierClient.builder().serverUrl(base).dataDirectory(templeDir.toFile())
                         .zone(ZONE).build()) {
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

                RedeemResult c1 = gate.redeem(combo1.path("code").asText());
                RedeemResult c2 = gate.redeem(combo2.path("code").asText());
                say("combo tickets at West Lake: " + combo1.path("number").asText() + " " + c1.mode() + " " + c1.code() + ", "
                        + combo2.path("number").asText() + " " + c2.mode() + " " + c2.code());
                String templeQr = admin("POST", "/admin/v1/devices/provisioning-tokens",
                        Json.object().put("spotId", templeId).put("gate", "Main gate"), 201).path("qrText").asText();
                if (!(templeGate.provision(templeQr) instanceof ProvisionResult.Provisioned)
                        || !(templeGate.login(OperatorCredentials.password("li.wei", "correct horse")) instanceof LoginResult.LoggedIn)) {
                    throw new IllegalStateException("the Lingyin Temple gate could not be set up");
                }
                templeGate.sync();
                RedeemResult t1 = templeGate.redeem(combo1.path("code").asText());
                say("at Lingyin Temple (a second gate, same operator): " + combo1.path("number").asText() + " " + t1.mode() + " "
                        + t1.code() + "; " + combo2.path("number").asText() + "'s visitor never goes there");
                JsonNode seen = ok(distributor.get("/distributor/v1/tickets/" + combo2.path("number").asText()), 200);
                say("Happy Travel looks up " + combo2.path("number").asText() + ": " + seen.path("state").asText() + ", "
                        + seen.path("spotsRedeemed").asInt() + " of " + seen.path("spotsTotal").asInt() + " spots redeemed ("
                        + spotStates(seen) + ")");
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
                deleteTree(templeDir);
            }

            section("7. Payouts, and withdrawals from the plan");
            drain();
            platform.webhooks().runOnce();
            Map<String, String> numbers = new java.util.HashMap<>();
            for (JsonNode t : List.of(ticket, ticket2, combo1, combo2)) {
                numbers.put(t.path("id").asText(), t.path("number").asText());
            }
            for (String o : List.of(orderId, comboOrderId)) {
                for (JsonNode payout : spotPayouts(o)) {
                    JsonNode now = admin("GET", "/admin/v1/payouts/" + payout.path("id").asText(), null, 200);
                    say("payout " + now.path("id").asText() + " for ticket " + numbers.getOrDefault(now.path("ticketId").asText(), "?")
                            + " " + now.path("state").asText() + ": " + now.path("net").asText() + " to "
                            + spotNames.getOrDefault(now.path("partyId").asText(), "?") + " on " + now.path("rail").asText()
                            + " (fee " + now.path("fee").asText() + ")");
                }
            }
            say("West Lake's Alipay account holds " + alipay.balance(spotAccount.userId()).toDecimalString()
                    + "; Lingyin Temple's Huijinbao account holds " + hjb.balance(templeAccount.identity()).toDecimalString());
            for (JsonNode w : admin("GET", "/admin/v1/wealth/instructions?orderId=" + comboOrderId, null, 200).path("items")) {
                if (w.path("kind").asText().equals("WITHDRAW")) {
                    say("withdraw " + w.path("amount").asText() + " from " + PLAN + " after ticket "
                            + numbers.getOrDefault(w.path("ticketId").asText(), "?") + " was used at "
                            + spotNames.getOrDefault(w.path("spotId").asText(), "?") + ": " + w.path("state").asText());
                }
            }
            say("plan " + PLAN + " still holds " + admin("GET", "/admin/v1/wealth/plans/" + PLAN, null, 200).path("invested").asText()
                    + ": the part of " + combo2.path("number").asText() + " nobody used");

            section("8. Expiry with yield");
            JsonNode open = admin("GET", "/admin/v1/wealth/plans/" + PLAN, null, 200);
            Instant expiresAt = Instant.parse(open.path("expiresAt").asText());
            clock.advance(Duration.between(clock.instant(), expiresAt).plusMinutes(5));
            LocalDate lastDay = LocalDate.ofInstant(clock.instant(), ZONE);
            say("the demo's clock jumps " + java.time.temporal.ChronoUnit.DAYS.between(firstDay, lastDay) + " days to " + lastDay
                    + ", just past the combo's expiry (Huijinbao has accrued " + hjb.position(PLAN).accruedYield().toDecimalString()
                    + " of yield meanwhile)");
            JsonNode closed = drainUntilClosed();
            say("plan " + PLAN + " " + closed.path("state").asText() + ": the redeem-all returned " + closed.path("principal").asText()
                    + " of principal and " + closed.path("yield").asText() + " of yield");
            for (JsonNode y : admin("GET", "/admin/v1/wealth/plans/" + PLAN + "/yields", null, 200).path("items")) {
                say("yield of ticket " + numbers.getOrDefault(y.path("ticketId").asText(), "?") + ": " + y.path("yield").asText()
                        + " (weight " + y.path("weight").asText() + " fen-days)");
            }
            JsonNode expired = ok(distributor.get("/distributor/v1/tickets/" + combo2.path("number").asText()), 200);
            say("ticket " + combo2.path("number").asText() + " is " + expired.path("state").asText() + " (" + spotStates(expired)
                    + "): the 90.00 nobody used is breakage");

            section("9. Webhooks (each delivered as it happened, with the ticket's state then)");
            platform.webhooks().runOnce();
            for (JsonNode event : receiver.received) {
                JsonNode t = event.path("ticket");
                say("webhook " + event.path("type").asText() + " " + event.path("id").asText() + ": ticket "
                        + t.path("number").asText() + (event.has("spotId") ? " at " + spotNames.getOrDefault(
                        event.path("spotId").asText(), "?") : "") + " is " + t.path("state").asText()
                        + (receiver.valid.contains(event.path("id").asText()) ? " (signature verified)" : " (BAD SIGNATURE)"));
            }

            section("10. Financial report (GET /admin/v1/reports/financial?from=" + firstDay + "&to=" + lastDay + ")");
            JsonNode report = admin("GET", "/admin/v1/reports/financial?from=" + firstDay + "&to=" + lastDay, null, 200);
            JsonNode summary = report.path("summary");
            for (String k : List.of("issuance_volume", "issuance_fees", "payout_fees", "margin", "investment_yield", "breakage",
                    "net_income", "unredeemed_tickets", "scenic_payables", "wealth_position", "settlement_cash")) {
                out.printf("  %-54s %10s%n", k, summary.path(k).asText());
            }
            for (JsonNode sp : report.path("spots")) {
                say("spot " + spotNames.getOrDefault(sp.path("spot_id").asText(), "?") + ": redeemed " + sp.path("redeemed").asText()
                        + ", settled " + sp.path("settled").asText() + ", outstanding " + sp.path("outstanding").asText());
            }
            String csv = adminText("/admin/v1/reports/financial?from=" + firstDay + "&to=" + lastDay + "&format=csv");
            say("the same as CSV (&format=csv or Accept: text/csv): " + csv.split("\r\n").length + " rows, e.g. \""
                    + csv.lines().filter(l -> l.startsWith("summary,breakage")).findFirst().orElse("?") + "\"");
            boolean reportBalanced = report.path("trial_balance").path("balanced").asBoolean();

            section("Statement");
            JsonNode tb = admin("GET", "/admin/v1/trial-balance", null, 200);
            out.printf("  %-54s %10s %10s %10s%n", "account", "debits", "credits", "balance");
            for (JsonNode a : tb.path("accounts")) {
                out.printf("  %-54s %10s %10s %10s%n", a.path("account").asText(), a.path("debits").asText(),
                        a.path("credits").asText(), a.path("balance").asText());
            }
            out.printf("  %-54s %10s %10s%n", "total", tb.path("totalDebits").asText(), tb.path("totalCredits").asText());
            boolean trial = tb.path("balanced").asBoolean() && reportBalanced
                    && tb.path("totalDebits").asText().equals(report.path("trial_balance").path("debits").asText());
            out.println("  trial balance: " + (trial ? "balanced" : "NOT BALANCED"));
            JsonNode rec = admin("GET", "/admin/v1/reconciliation", null, 200);
            for (JsonNode line : rec.path("lines")) {
                out.println("  reconciliation " + line.path("rail").asText() + ": ledger " + line.path("ledgerBalance").asText()
                        + ", rail " + line.path("railBalance").asText("?") + ", difference " + line.path("difference").asText("?"));
            }
            for (JsonNode line : rec.path("wealth")) {
                out.println("  reconciliation wealth " + line.path("planId").asText("total") + ": ledger "
                        + line.path("ledger").asText() + ", rail " + line.path("rail").asText("?") + ", difference "
                        + line.path("difference").asText("?"));
            }
            boolean reconciled = rec.path("balanced").asBoolean();
            out.println("  reconciliation: " + (reconciled ? "zero difference" : "DIFFERENCE FOUND"));
            return trial && reconciled ? 0 : 1;
        }
    }

    /** Runs the due work until a round finds nothing to do. */
    private void drain() {
        for (int i = 0; i < 10 && !platform.ticketing().runDueWork().idle(); i++) {
            // the jobs send transfers and instructions and record the outcomes
        }
    }

    /** Runs the due work until the plan has closed (the expiry job, then the redeem-all), at most ~10 s. */
    private JsonNode drainUntilClosed() throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            drain();
            JsonNode plan = admin("GET", "/admin/v1/wealth/plans/" + PLAN, null, 200);
            if (!plan.path("state").asText().equals("OPEN") && !plan.path("state").asText().equals("CLOSING")) {
                return plan;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("plan " + PLAN + " did not close");
    }

    /** "West Lake redeemed, Lingyin Temple not". */
    private String spotStates(JsonNode ticket) {
        List<String> parts = new java.util.ArrayList<>();
        for (JsonNode s : ticket.path("spots")) {
            parts.add(spotNames.getOrDefault(s.path("spotId").asText(), "?") + (s.path("redeemed").asBoolean() ? " redeemed" : " not"));
        }
        return String.join(", ", parts);
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
        // A fresh Idempotency-Key on every POST: routes that move money require one, the others ignore it.
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + ADMIN)
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        return ok(http.send(b.build(), HttpResponse.BodyHandlers.ofString()), expected);
    }

    /** A GET of a non-JSON admin resource (CSV). */
    private String adminText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + ADMIN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
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
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final java.util.Set<String> valid = java.util.concurrent.ConcurrentHashMap.newKeySet();
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
                if (valid) {
                    r.valid.add(event.path("id").asText());
                }
                r.received.add(event);
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
