package org.ticketledger.example.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.example.HostApp;
import org.ticketledger.example.Platform;
import org.ticketledger.example.platform.Database;
import org.ticketledger.example.platform.MasterKey;
import org.ticketledger.ticketing.device.DevicePolicy;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.example.auth.AdminTokens;
import org.ticketledger.example.console.ConsoleSettings;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.Principal;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * A started host app on a fresh database of the shared embedded Postgres, with an operator and an
 * auditor token, plus plain and signed HTTP helpers. Close it after the test class.
 */
public final class TestPlatform implements AutoCloseable {

    public static final String OPERATOR_TOKEN = "operator-token-0123456789abcdef";
    public static final String AUDITOR_TOKEN = "auditor-token-0123456789abcdef";
    /** A second operator ("checker"), for maker-checker approvals. */
    public static final String CHECKER_TOKEN = "checker-token-0123456789abcdef";

    private final Platform platform;
    private final Jdbi jdbi;
    private final HostApp app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestPlatform(Platform platform) {
        this.platform = platform;
        this.jdbi = platform.database().jdbi();
        this.app = platform.app();
    }

    /** The whole platform (ticketing, Alipay sandbox) with background jobs off: tests drive them. */
    public static TestPlatform start() {
        return start(b -> { });
    }

    public static TestPlatform start(Consumer<Platform.Builder> customize) {
        Database db = Database.external(PostgresFixture.newDatabaseUrl(), PostgresFixture.server().user(), null, 12);
        Platform.Builder b = Platform.builder().database(db).masterKey(MasterKey.generate()).port(0)
                .jobSettings(JobSettings.fast()).backgroundJobs(false)
                // Fast password hashing: tests log operators in often; production keeps the default.
                .devicePolicy(DevicePolicy.defaults().withPasswordIterations(1_000))
                .adminTokens(AdminTokens.of(List.of(
                        new AdminTokens.Token("ops", OPERATOR_TOKEN, Principal.AdminRole.OPERATOR),
                        new AdminTokens.Token("audit", AUDITOR_TOKEN, Principal.AdminRole.AUDITOR),
                        new AdminTokens.Token("checker", CHECKER_TOKEN, Principal.AdminRole.OPERATOR))))
                // Few PBKDF2 rounds: tests log in often; production uses the default.
                .console(ConsoleSettings.defaults().withPasswordIterations(ConsoleSettings.MIN_ITERATIONS));
        customize.accept(b);
        return new TestPlatform(b.start());
    }

    public Platform platform() {
        return platform;
    }

    public HostApp app() {
        return app;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The single integer a counting query returns. */
    public int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    public URI base() {
        return app.baseUri();
    }

    /** A distributor client with a freshly issued key. */
    public SignedHttpClient distributor(String distributorId) {
        ApiKeys.IssuedKey k = app.apiKeys().issue(distributorId);
        return SignedHttpClient.of(base(), k.keyId(), k.secret());
    }

    public SignedHttpClient distributor(ApiKeys.IssuedKey k, Clock clock) {
        return SignedHttpClient.of(base(), k.keyId(), k.secret(), clock);
    }

    /** A plain request; {@code headers} alternate name, value. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** A request with the checker's token (the second operator). */
    public HttpResponse<String> checker(String method, String path, String body) {
        return body == null
                ? send(method, path, null, "Authorization", "Bearer " + CHECKER_TOKEN, "Idempotency-Key", "k-" + SEQ.incrementAndGet())
                : send(method, path, body, "Authorization", "Bearer " + CHECKER_TOKEN, "Content-Type", "application/json",
                        "Idempotency-Key", "k-" + SEQ.incrementAndGet());
    }

    /** An operator request with a fresh Idempotency-Key (for money-moving admin POSTs). */
    public HttpResponse<String> adminOnce(String method, String path, String body) {
        return body == null
                ? send(method, path, null, "Authorization", "Bearer " + OPERATOR_TOKEN, "Idempotency-Key", "k-" + SEQ.incrementAndGet())
                : send(method, path, body, "Authorization", "Bearer " + OPERATOR_TOKEN, "Content-Type", "application/json",
                        "Idempotency-Key", "k-" + SEQ.incrementAndGet());
    }

    public HttpResponse<String> admin(String method, String path, String body) {
        return body == null
                ? send(method, path, null, "Authorization", "Bearer " + OPERATOR_TOKEN)
                : send(method, path, body, "Authorization", "Bearer " + OPERATOR_TOKEN, "Content-Type", "application/json");
    }

    /** Creates a console administrator (operator unless {@code role} says otherwise). */
    public void consoleAdmin(String username, String password, Principal.AdminRole role) {
        var r = platform.console().admins().create(username, password, role, "test");
        if (!(r instanceof org.ticketledger.example.console.ConsoleAdmins.CreateResult.Created)) {
            throw new AssertionError("could not create console admin " + username + ": " + r);
        }
    }

    // ------------------------------------------------------------------ business set-up through the admin API

    private boolean platformOnboarded;
    private static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

    /** A distributor onboarded through the admin API, with its sandbox payment account and signed client. */
    public record Onboarded(String distributorId, String keyId, String secret, SignedHttpClient client, PartyAccount payer) {
    }

    public AlipaySandbox sandbox() {
        return platform.rails().alipaySandbox().orElseThrow();
    }

    /** Onboards the platform on the Alipay sandbox with 1 % fees (once per instance). */
    public synchronized void onboardPlatform() {
        onboardPlatform(false);
    }

    /**
     * Onboards the platform with 1 % fees (once per instance) on the Alipay sandbox and, with
     * {@code huijinbao}, on the Huijinbao sandbox's platform account too (needed for combos).
     */
    public synchronized void onboardPlatform(boolean huijinbao) {
        if (platformOnboarded) {
            return;
        }
        ObjectNode req = Json.object().put("name", "Test Platform").put("currency", "CNY").put("adminPhone", "13800000000")
                .put("timeZone", "Asia/Shanghai");
        var accounts = req.putArray("settlementAccounts");
        accounts.addObject().put("rail", "ALIPAY").put("identityType", "USER_ID").put("identity", sandbox().platformUserId());
        if (huijinbao) {
            accounts.addObject().put("rail", "HUIJINBAO").put("identityType", "ACCOUNT_NO")
                    .put("identity", platform.rails().huijinbaoSandbox().orElseThrow().platformAccount());
        }
        expect(admin("POST", "/admin/v1/platform", Json.write(req)), 201);
        expect(admin("PUT", "/admin/v1/fees/ISSUANCE", "{\"basisPoints\":100,\"min\":\"1.00\"}"), 200);
        expect(admin("PUT", "/admin/v1/fees/PAYOUT", "{\"basisPoints\":100}"), 200);
        platformOnboarded = true;
    }

    /**
     * Onboards the platform on Alipay and Huijinbao (the wealth rail, where combos are invested)
     * and funds its Huijinbao account with {@code huijinbaoFunding}, booked as platform funding.
     */
    public synchronized void onboardPlatformOnBothRails(String huijinbaoFunding) {
        onboardPlatform(true);
        platform.rails().huijinbaoSandbox().orElseThrow().fundPlatform(Money.parseCny(huijinbaoFunding));
        expect(send("POST", "/admin/v1/platform/funding", "{\"rail\":\"HUIJINBAO\",\"amount\":\"" + huijinbaoFunding
                        + "\",\"reference\":\"hjb-opening\"}", "Authorization", "Bearer " + OPERATOR_TOKEN,
                "Content-Type", "application/json", "Idempotency-Key", "hjb-opening"), 201);
    }

    /** Onboards a distributor whose Alipay sandbox account holds {@code balance}. */
    public Onboarded onboardDistributor(String name, String balance) {
        onboardPlatform();
        int n = SEQ.incrementAndGet();
        PartyAccount payer = sandbox().openParty("d" + n + "@dist.example", name, Money.parseCny(balance));
        ObjectNode req = Json.object().put("name", name).put("contactPhone", String.format("139%08d", n));
        req.putObject("paymentAccount").put("rail", "ALIPAY").put("identityType", "USER_ID").put("identity", payer.identity())
                .put("holderName", name).put("agreementNo", payer.agreementNo().orElseThrow());
        JsonNode d = json(expect(admin("POST", "/admin/v1/distributors", Json.write(req)), 201));
        String keyId = d.path("apiKey").path("keyId").asText();
        String secret = d.path("apiKey").path("secret").asText();
        return new Onboarded(d.path("distributor").path("id").asText(), keyId, secret,
                SignedHttpClient.of(base(), keyId, secret), payer);
    }

    /** Onboards a scenic spot with an empty sandbox account; returns its id. */
    public String onboardSpot(String name) {
        onboardPlatform();
        var account = sandbox().openAccount("s" + SEQ.incrementAndGet() + "@spot.example", name, Money.cny(0));
        ObjectNode req = Json.object().put("name", name).put("contactPhone", "13900000001");
        req.putObject("receivingAccount").put("rail", "ALIPAY").put("identityType", "USER_ID").put("identity", account.userId())
                .put("holderName", name);
        return json(expect(admin("POST", "/admin/v1/scenic-spots", Json.write(req)), 201)).path("id").asText();
    }

    /** Publishes a single-ticket product valid from today for 90 days; returns its id. */
    public String publish(String spotId, String distributorPrice, String scenicPrice) {
        java.time.LocalDate today = today();
        ObjectNode req = Json.object().put("spotId", spotId).put("name", "Day pass").put("distributorPrice", distributorPrice)
                .put("scenicPrice", scenicPrice).put("validFrom", today.toString()).put("validUntil", today.plusDays(90).toString())
                .put("validDays", 1);
        return json(expect(admin("POST", "/admin/v1/products", Json.write(req)), 201)).path("id").asText();
    }

    public static java.time.LocalDate today() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    }

    /** An order body for one product. */
    public static String order(String ref, String productId, int quantity, String unitPrice) {
        return Json.write(Json.object().put("distributorOrderId", ref).put("productId", productId)
                .put("visitDate", today().toString()).put("quantity", quantity).put("unitPrice", unitPrice));
    }

    /** Runs ticketing's due work until idle (payouts, SMS, retries). */
    public void drain() {
        for (int i = 0; i < 10 && !platform.ticketing().runDueWork().idle(); i++) {
            // keep going
        }
    }

    public static HttpResponse<String> expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError(r.request().method() + " " + r.request().uri() + " -> " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    /** Asserts an RFC 9457 document of {@code slug} with {@code status}; returns it. */
    public static JsonNode problem(HttpResponse<String> r, int status, String slug) {
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> org.assertj.core.api.Assertions.assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = json(r);
        org.assertj.core.api.Assertions.assertThat(p.path("type").asText()).isEqualTo("https://ticketledger.org/problems/" + slug);
        org.assertj.core.api.Assertions.assertThat(p.path("status").asInt()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(p.path("title").asText()).isNotBlank();
        org.assertj.core.api.Assertions.assertThat(p.path("detail").asText()).isNotBlank();
        org.assertj.core.api.Assertions.assertThat(p.path("requestId").asText())
                .isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        org.assertj.core.api.Assertions.assertThat(p.path("errors").isArray()).isTrue();
        return p;
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    public static Map<String, List<String>> headers(HttpResponse<String> r) {
        return r.headers().map();
    }

    @Override
    public void close() {
        platform.close();
    }
}
