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
                            "{orderId}", "null", "%00", "\u0000", "a\u0000b"));
        }
        List<String> parts = new ArrayList<>();
        for (String name : op.queryParams()) {
            if (r.nextInt(3) > 0) {
                parts.add(name + "=" + enc(pick(r, "0", "1", "100", "200", "201", "500", "501", "-1", "abc", "", "1.5",
                        "99999999999999999999", "2000-01-01T00:00:00Z", "yesterday", "0_x", "9999999999999_", "DONE",
                        "PENDING", "MANUAL_REVIEW", "pending", "票", "\u0000")));
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

    /**
     * Broken HTTP — the request line, headers and framing rather than the content — from a fixed
     * list and from random byte damage to a valid signed order. Jetty refuses most of it before any
     * route; those answers must be problem documents too, and nothing may move.
     */
    @Test
    void brokenHttpIsAnsweredWithProblemsAndMovesNothing() throws Exception {
        long seed = Long.getLong("tl.fuzz.seed", new Random().nextLong());
        int tries = Math.max(50, Integer.getInteger("tl.fuzz.tries", 2000) / 10);
        Random r = new Random(seed);
        List<String> fixed = List.of(
                "BLAH\r\n\r\n",
                "GET /a%zzb HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /health?%zz=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Bad Header: 1\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(40_000) + "\r\n\r\n",
                "POST /admin/v1/platform HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "POST /admin/v1/platform HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n12345",
                "POST /admin/v1/platform HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "POST /admin/v1/platform HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
                "GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET health HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /health HTTP/1.1\r\n\r\n",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "\u0000\u0001\u0002\r\n\r\n");
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < fixed.size() + tries; i++) {
            byte[] raw = i < fixed.size() ? fixed.get(i).getBytes(StandardCharsets.ISO_8859_1) : damaged(validOrder(), r);
            Books before = Books.now(platform);
            List<RawAnswer> answers = RawAnswer.exchange(platform.base(), raw);
            boolean accepted = false;
            for (RawAnswer a : answers) {
                String what = "raw request " + i + " (seed " + seed + "): "
                        + new String(raw, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n") + " -> " + a;
                statuses.merge(a.status() == 0 ? "no answer" : (a.status() / 100) + "xx", 1, Integer::sum);
                if (a.status() != 0) {
                    assertThat(a.status()).as(what).isLessThan(500);
                }
                if (a.status() >= 400) {
                    assertThat(a.contentType()).as(what).startsWith("application/problem+json");
                    JsonNode problem;
                    try {
                        problem = Json.MAPPER.readTree(a.body());
                    } catch (IOException e) {
                        throw new AssertionError("not a problem document: " + what, e);
                    }
                    assertThat(problem.path("status").asInt()).as(what).isEqualTo(a.status());
                }
                accepted |= a.status() >= 200 && a.status() < 300;
            }
            if (!accepted) {
                assertThat(Books.now(platform)).as("nothing moved for raw request " + i + " (seed " + seed + ")").isEqualTo(before);
            }
        }
        System.out.println("fuzz: " + (fixed.size() + tries) + " broken requests, seed " + seed + ": " + statuses);
    }

    private static byte[] validOrder() {
        String body = TestPlatform.order("RAW-" + SEQ.incrementAndGet(), FIXTURE.get("productId"), 1, "100.00");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String path = "/distributor/v1/orders";
        StringBuilder sb = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: raw-" + SEQ.get() + "\r\nContent-Length: " + bytes.length + "\r\n");
        RequestSigning.headers(keyId, secret, "POST", path, java.time.Instant.now().getEpochSecond(), RequestSigning.newNonce(), bytes)
                .forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n").append(body);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] damaged(byte[] raw, Random r) {
        byte[] b = raw.clone();
        int kind = r.nextInt(5);
        if (kind == 0) {
            return java.util.Arrays.copyOf(b, r.nextInt(b.length)); // cut short
        }
        int flips = 1 + r.nextInt(kind == 1 ? 40 : 3);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(b.length);
            b[at] = switch (r.nextInt(4)) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) '\r';
                case 2 -> (byte) '\n';
                default -> (byte) ':';
            };
        }
        return b;
    }

    /** One answer on a raw connection; status 0 when nothing (parseable) came back. */
    record RawAnswer(int status, String contentType, String body, String head) {

        /** Sends {@code raw} and reads every answer until the server closes (a damaged request may be two). */
        static List<RawAnswer> exchange(URI base, byte[] raw) throws IOException {
            byte[] answer;
            try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(raw);
                s.getOutputStream().flush();
                s.shutdownOutput();
                try {
                    answer = s.getInputStream().readAllBytes();
                } catch (java.net.SocketException e) {
                    return List.of(new RawAnswer(0, "", "reset: " + e.getMessage(), ""));
                }
            }
            List<RawAnswer> answers = new ArrayList<>();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            int at = 0;
            while (at < text.length()) {
                if (!text.startsWith("HTTP/1.1 ", at)) {
                    answers.add(new RawAnswer(0, "", abbreviate(text.substring(at)), ""));
                    break;
                }
                int end = text.indexOf("\r\n\r\n", at);
                if (end < 0) {
                    answers.add(new RawAnswer(0, "", abbreviate(text.substring(at)), ""));
                    break;
                }
                int status = Integer.parseInt(text.substring(at + 9, at + 12));
                String contentType = "";
                long length = -1;
                boolean chunked = false;
                for (String line : text.substring(at, end).split("\r\n")) {
                    String l = line.toLowerCase(java.util.Locale.ROOT);
                    if (l.startsWith("content-type:")) {
                        contentType = line.substring(13).trim();
                    } else if (l.startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                        chunked = true;
                    }
                }
                int bodyStart = end + 4;
                StringBuilder body = new StringBuilder();
                if (chunked) {
                    int p = bodyStart;
                    while (true) {
                        int lineEnd = text.indexOf("\r\n", p);
                        int size = Integer.parseInt(text.substring(p, lineEnd).trim(), 16);
                        p = lineEnd + 2;
                        if (size == 0) {
                            at = text.indexOf("\r\n", p) + 2;
                            break;
                        }
                        body.append(text, p, p + size);
                        p += size + 2;
                    }
                } else {
                    int stop = length < 0 ? text.length() : (int) Math.min(text.length(), bodyStart + length);
                    body.append(text, bodyStart, stop);
                    at = stop;
                }
                answers.add(new RawAnswer(status, contentType,
                        new String(body.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), text.substring(0, end)));
            }
            return answers.isEmpty() ? List.of(new RawAnswer(0, "", "", "")) : answers;
        }
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
            // Refused again: for its nonce, or (before authentication) for what was wrong the first time.
            assertThat(again.statusCode()).as(again.body()).isIn(r.statusCode() < 300 ? List.of(401, 429) : List.of(400, 401, 413, 429));
            if (r.statusCode() < 300 && again.statusCode() == 401) {
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
            assertThat(r.statusCode()).as("without valid credentials: " + what).isIn(400, 401, 403, 404, 405, 413);
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
            // Pending totals straight from the rows: the journal writes a row whenever its pending
            // totals change, so only posted totals can lag behind the postings (design notes).
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
