package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.auth.RateLimiter;
import org.ticketledger.example.auth.RequestSigning;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.testing.TestPlatform;

/**
 * Fuzzing every public route, driven by the platform's own {@code /openapi.json}: generated
 * requests with valid, boundary and malformed path parameters, queries and bodies (from each
 * route's schema), missing or wrong credentials (no key, a garbage token, the other API family's
 * credentials, a read-only token on a write, a bad signature, a stale timestamp, a replayed nonce)
 * and odd Idempotency-Keys. Whatever the request: never a 5xx, every refusal an RFC 9457 problem
 * document, and a refused request moves nothing — no journal entry, no hold, no movement on either
 * rail sandbox. Valid requests are allowed to succeed (and to move money, which becomes the new
 * baseline). Requests come from a seeded generator: {@code -Dtl.fuzz.tries=N} (2000 by default, about
 * 20 s) and {@code -Dtl.fuzz.seed=S} to replay a failure.
 */
class ApiFuzzIT {

    /** How a request is authenticated. */
    enum Auth { VALID, NONE, GARBAGE, OTHER_FAMILY, READ_ONLY, BAD_SIGNATURE, STALE, MALFORMED, REPLAY }

    /** One operation of the OpenAPI document. */
    record Op(String method, String path, String security, boolean moneyMoving, JsonNode body,
              List<String> pathParams, List<String> queryParams, Map<Integer, String> declaredErrorTypes) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A generated request. */
    record Case(Op op, Auth auth, Map<String, String> pathValues, String query, long bodySeed, String idempotencyKey,
                String contentType) {
    }

    private static TestPlatform platform;
    private static final List<Op> OPS = new ArrayList<>();
    private static final Map<String, String> FIXTURE = new LinkedHashMap<>();
    private static FuzzBodies bodies;
    private static String keyId;
    private static String secret;
    private static HttpClient http = newClient();
    private static String previous = "none";
    private static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start(b -> b.defaultRateLimit(new RateLimiter.Limit(10_000_000, 1_000_000)));
        TestPlatform.Onboarded d = platform.onboardDistributor("Fuzz Travel", "1000000.00");
        keyId = d.keyId();
        secret = d.secret();
        String spot = platform.onboardSpot("Fuzz Spot");
        String product = platform.publish(spot, "100.00", "90.00");
        JsonNode order = TestPlatform.json(TestPlatform.expect(
                d.client().post("/distributor/v1/orders", TestPlatform.order("FUZZ-1", product, 2, "100.00"), "fuzz-1"), 201));
        JsonNode refunded = TestPlatform.json(TestPlatform.expect(d.client().post("/distributor/v1/tickets/"
                + order.path("tickets").get(1).path("id").asText() + "/refund", "{\"reason\":\"fuzz\"}", "fuzz-r"), 200));
        FIXTURE.put("productId", product);
        FIXTURE.put("orderId", order.path("id").asText());
        FIXTURE.put("ticket", order.path("tickets").get(0).path("number").asText());
        // Admin routes may act on these (rate limits, accounts, key revocation): a second distributor,
        // so that the fuzzing distributor keeps its key and its rate limit.
        TestPlatform.Onboarded victim = platform.onboardDistributor("Fuzz Victim", "10.00");
        FIXTURE.put("distributorId", victim.distributorId());
        FIXTURE.put("partyId", victim.distributorId());
        FIXTURE.put("spotId", spot);
        FIXTURE.put("payoutId", refunded.path("payout").path("id").asText());
        FIXTURE.put("kind", "ISSUANCE");
        FIXTURE.put("keyId", victim.keyId());
        FIXTURE.put("visitDate", TestPlatform.today().toString());
        FIXTURE.put("unitPrice", "100.00");
        FIXTURE.put("rail", "ALIPAY");
        FIXTURE.put("identityType", "USER_ID");
        FIXTURE.put("currency", "CNY");
        FIXTURE.put("timeZone", "Asia/Shanghai");
        FIXTURE.put("validFrom", TestPlatform.today().toString());
        FIXTURE.put("validUntil", TestPlatform.today().plusDays(30).toString());
        FIXTURE.put("url", "http://127.0.0.1:9/hook");
        bodies = new FuzzBodies(FIXTURE);

        JsonNode doc = TestPlatform.json(TestPlatform.expect(platform.get("/openapi.json"), 200));
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> o = ops.next();
                JsonNode op = o.getValue();
                List<String> pathParams = new ArrayList<>();
                List<String> queryParams = new ArrayList<>();
                boolean money = false;
                for (JsonNode param : op.path("parameters")) {
                    if (param.path("$ref").asText().endsWith("IdempotencyKey")) {
                        money = true;
                    } else if (param.path("in").asText().equals("path")) {
                        pathParams.add(param.path("name").asText());
                    } else if (param.path("in").asText().equals("query")) {
                        queryParams.add(param.path("name").asText());
                    }
                }
                String security = op.path("security").size() == 0 ? "none"
                        : op.path("security").get(0).fieldNames().next();
                JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
                // A route may declare an error answer in its own protocol (a rail callback answers
                // Alipay in text/plain); every other error answer must be a problem document.
                Map<Integer, String> declared = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> rs = op.path("responses").fields(); rs.hasNext(); ) {
                    Map.Entry<String, JsonNode> resp = rs.next();
                    if (resp.getKey().startsWith("4") && resp.getValue().path("content").size() > 0) {
                        declared.put(Integer.parseInt(resp.getKey()), resp.getValue().path("content").fieldNames().next());
                    }
                }
                OPS.add(new Op(o.getKey().toUpperCase(java.util.Locale.ROOT), p.getKey(), security, money,
                        schema.isMissingNode() ? null : schema, pathParams, queryParams, declared));
            }
        }
        assertThat(OPS).as("operations in /openapi.json").hasSizeGreaterThan(30);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    // ------------------------------------------------------------------ generators

    /** A request for one operation, from {@code r}: mostly valid credentials, sometimes not. */
    private static Case generate(Random r) {
        Op op = OPS.get(r.nextInt(OPS.size()));
        Auth[] all = Auth.values();
        Auth auth = r.nextInt(18) < 10 ? Auth.VALID : all[r.nextInt(all.length)];
        Map<String, String> pathValues = new LinkedHashMap<>();
        for (String name : op.pathParams()) {
            int k = r.nextInt(10);
            pathValues.put(name, k < 6 ? FIXTURE.getOrDefault(name, "x")
                    : k < 8 ? alphanumeric(r, 1 + r.nextInt(40))
                    : pick(r, " ", "票", "..", "%", "a%2Fb", "0", "-1", "x".repeat(600), "' OR '1'='1", "PAYOUT",
                            "{orderId}", "null", "%00"));
        }
        List<String> parts = new ArrayList<>();
        for (String name : op.queryParams()) {
            if (r.nextInt(3) > 0) {
                parts.add(name + "=" + enc(pick(r, "0", "1", "100", "200", "201", "500", "501", "-1", "abc", "", "1.5",
                        "99999999999999999999", "2000-01-01T00:00:00Z", "yesterday", "0_x", "9999999999999_", "DONE",
                        "PENDING", "MANUAL_REVIEW", "pending", "票")));
            }
        }
        if (r.nextInt(7) == 0) {
            parts.add(pick(r, "extra=1", "limit=10&limit=20", "q=%E4", "q=%FF%FE", "a=" + "b".repeat(3000)));
        }
        int k = r.nextInt(10);
        String key = k < 8 ? "fz-" + alphanumeric(r, 12) : k < 9 ? "fuzz-reused" : pick(r, "", " ", "x".repeat(129), "ключ", "a\tb");
        String contentType = r.nextInt(9) < 8 ? "application/json"
                : pick(r, "text/plain", "", "application/json; charset=utf-16", "application/x-www-form-urlencoded",
                        "application/problem+json");
        return new Case(op, auth, pathValues, String.join("&", parts), r.nextLong(), key, contentType);
    }

    private static String pick(Random r, String... values) {
        return values[r.nextInt(values.length)];
    }

    private static String alphanumeric(Random r, int length) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ the property

    @Test
    void noRequestGets5xxEveryRefusalIsAProblemAndMovesNothing() throws Exception {
        long seed = Long.getLong("tl.fuzz.seed", new Random().nextLong());
        int tries = Integer.getInteger("tl.fuzz.tries", 2000);
        Random r = new Random(seed);
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < tries; i++) {
            Case c = generate(r);
            try {
                int status = exercise(c);
                statuses.merge(c.op().security() + " " + (status / 100) + "xx", 1, Integer::sum);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("request " + (i + 1) + " of " + tries + " failed; replay with -Dtl.fuzz.seed=" + seed
                        + " -Dtl.fuzz.tries=" + (i + 1) + "\n" + c, e);
            }
        }
        System.out.println("fuzz: " + tries + " requests, seed " + seed + ", answers by route family and status class: " + statuses);
        assertThat(statuses.keySet()).as("some requests of each family got through, some were refused")
                .contains("distributorHmac 2xx", "distributorHmac 4xx", "adminBearer 2xx", "adminBearer 4xx");
    }

    /** Sends one generated request and checks the answer; returns its status. */
    private static int exercise(Case c) throws Exception {
        String path = c.op().path();
        for (Map.Entry<String, String> e : c.pathValues().entrySet()) {
            path = path.replace("{" + e.getKey() + "}", URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String pathAndQuery = c.query().isEmpty() ? path : path + "?" + c.query();
        String body = bodies.body(c.op().body(), c.bodySeed());
        long timestamp = java.time.Instant.now().getEpochSecond();
        String nonce = RequestSigning.newNonce();

        Books before = Books.now(platform);
        HttpResponse<String> r = send(c, pathAndQuery, body, timestamp, nonce);
        checkAnswer(c, r);
        if (r.statusCode() >= 400) {
            assertThat(Books.now(platform)).as("a refused " + c.op() + " moved nothing: " + r.body()).isEqualTo(before);
        }
        if (c.auth() == Auth.REPLAY && c.op().security().equals("distributorHmac")) {
            // The very same signed request again: the nonce is spent, whatever the first answer was.
            Books between = Books.now(platform);
            HttpResponse<String> again = send(c, pathAndQuery, body, timestamp, nonce);
            checkAnswer(c, again);
            assertThat(again.statusCode()).as(again.body()).isIn(401, 413, 429);
            if (again.statusCode() == 401) {
                assertThat(TestPlatform.json(again).path("type").asText()).endsWith("/replayed-nonce");
            }
            assertThat(Books.now(platform)).as("a replayed request moved nothing").isEqualTo(between);
        }
        return r.statusCode();
    }

    private static void checkAnswer(Case c, HttpResponse<String> r) {
        String what = c.op() + " (" + c.auth() + ") -> " + r.statusCode() + " " + abbreviate(r.body());
        assertThat(r.statusCode()).as(what).isLessThan(500);
        String declared = c.op().declaredErrorTypes().getOrDefault(r.statusCode(), "application/problem+json");
        if (r.statusCode() >= 400 && !declared.startsWith("application/problem+json")) {
            assertThat(r.headers().firstValue("Content-Type").orElse("none")).as(what).startsWith(declared);
        } else if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type").orElse("none")).as(what).startsWith("application/problem+json");
            JsonNode p = TestPlatform.json(r);
            assertThat(p.path("status").asInt()).as(what).isEqualTo(r.statusCode());
            assertThat(p.path("type").asText()).as(what).startsWith("https://ticketledger.org/problems/");
            assertThat(p.path("title").asText()).as(what).isNotBlank();
        }
        if (c.auth() != Auth.VALID && c.auth() != Auth.REPLAY && !c.op().security().equals("none")) {
            assertThat(r.statusCode()).as("without valid credentials: " + what).isIn(401, 403, 404, 405, 413);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static HttpResponse<String> send(Case c, String pathAndQuery, String body, long timestamp, String nonce)
            throws IOException, InterruptedException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.base() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(c.op().method(), bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes.length > 0 && !c.contentType().isEmpty()) {
            b.header("Content-Type", c.contentType());
        }
        if (c.op().moneyMoving() || SEQ.incrementAndGet() % 5 == 0) {
            if (!c.idempotencyKey().isEmpty() && c.idempotencyKey().chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                b.header("Idempotency-Key", c.idempotencyKey());
            }
        }
        String security = c.op().security();
        boolean distributor = security.equals("distributorHmac");
        switch (c.auth()) {
            case VALID, REPLAY -> {
                if (distributor) {
                    RequestSigning.headers(keyId, secret, c.op().method(), pathAndQuery, timestamp, nonce, bytes).forEach(b::header);
                } else if (security.equals("adminBearer")) {
                    b.header("Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN);
                }
            }
            case NONE -> {
            }
            case GARBAGE -> b.header("Authorization", "Bearer garbage-" + nonce);
            case OTHER_FAMILY -> {
                if (distributor) {
                    b.header("Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN);
                } else {
                    RequestSigning.headers(keyId, secret, c.op().method(), pathAndQuery, timestamp, nonce, bytes).forEach(b::header);
                }
            }
            case READ_ONLY -> {
                if (security.equals("adminBearer") && !c.op().method().equals("GET")) {
                    b.header("Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN);
                }
            }
            case BAD_SIGNATURE -> RequestSigning.headers(keyId, secret + "x", c.op().method(), pathAndQuery, timestamp, nonce, bytes)
                    .forEach(b::header);
            case STALE -> RequestSigning.headers(keyId, secret, c.op().method(), pathAndQuery, timestamp - 3600, nonce, bytes)
                    .forEach(b::header);
            case MALFORMED -> {
                b.header(RequestSigning.KEY, keyId).header(RequestSigning.TIMESTAMP, "soon").header(RequestSigning.NONCE, "n")
                        .header(RequestSigning.SIGNATURE, "zz");
            }
        }
        HttpRequest request = b.build();
        String what = c.op() + " " + c.auth() + " body " + (body == null ? 0 : body.length()) + " chars";
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The client may have reused a connection the server had closed after refusing the
            // previous request's body unread (413 before the upload ended): one more try on a
            // fresh connection. A server that fails twice fails the property.
            http = newClient();
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException again) {
                throw new IOException(what + " failed twice (previous request: " + previous + ")", again);
            }
        } finally {
            previous = what;
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** What a request could have moved: journal entries and holds, movements on either rail. */
    record Books(long entries, long pending, int alipayMovements, int huijinbaoMovements, long orders) {
        static Books now(TestPlatform p) {
            return new Books(number(p, "SELECT count(*) FROM ledger.entries"),
                    number(p, "SELECT coalesce(sum(debits_pending + credits_pending), 0) FROM ledger.balances"),
                    p.sandbox().transactions().size(),
                    p.platform().rails().huijinbaoSandbox().map(h -> h.orders().size()).orElse(0),
                    number(p, "SELECT count(*) FROM ticketing.orders"));
        }

        private static long number(TestPlatform p, String sql) {
            return p.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
        }
    }
}
