package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.auth.RequestSigning;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.testing.TestPlatform;

/** Distributor HMAC and admin bearer authentication, failure by failure, over real HTTP. */
class AuthenticationIT {

    static TestPlatform platform;
    static ApiKeys.IssuedKey key;
    static SignedHttpClient distributor;
    static String dauth;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        dauth = platform.onboardDistributor("Auth Travel", "1.00").distributorId();
        key = platform.app().apiKeys().issue(dauth);
        distributor = SignedHttpClient.of(platform.base(), key.keyId(), key.secret());
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static HttpResponse<String> signedWith(Map<String, String> headers, String method, String path, String body) {
        String[] flat = headers.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        String[] all = java.util.Arrays.copyOf(flat, flat.length + 4);
        all[flat.length] = "Content-Type";
        all[flat.length + 1] = "application/json";
        all[flat.length + 2] = "Idempotency-Key";
        all[flat.length + 3] = "k-" + RequestSigning.newNonce();
        return platform.send(method, path, body, all);
    }

    @Test
    void aCorrectlySignedRequestIsAccepted() throws Exception {
        HttpResponse<String> r = distributor.get("/distributor/v1/ping");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestPlatform.json(r).path("distributorId").asText()).isEqualTo(dauth);
    }

    @Test
    void signedQueryStringsAreAccepted() throws Exception {
        assertThat(distributor.get("/distributor/v1/ping?probe=a%20b&x=1").statusCode()).isEqualTo(200);
    }

    @Test
    void missingHeadersAre401WithAFieldPerHeader() {
        var p = problem(platform.get("/distributor/v1/ping"), 401, "authentication-required");
        assertThat(p.path("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder(
                "#/header/X-TL-Key", "#/header/X-TL-Timestamp", "#/header/X-TL-Nonce", "#/header/X-TL-Signature");
        Map<String, String> h = new java.util.HashMap<>(RequestSigning.headers(key.keyId(), key.secret(), "GET",
                "/distributor/v1/ping", now(), RequestSigning.newNonce(), new byte[0]));
        h.remove("X-TL-Nonce");
        var q = problem(signedWith(h, "GET", "/distributor/v1/ping", null), 401, "authentication-required");
        assertThat(q.path("errors").findValuesAsText("pointer")).containsExactly("#/header/X-TL-Nonce");
        assertThat(platform.get("/distributor/v1/ping").headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("TL1-HMAC-SHA256"));
    }

    @Test
    void malformedHeadersAre401() {
        Map<String, String> h = new java.util.HashMap<>(RequestSigning.headers(key.keyId(), key.secret(), "GET",
                "/distributor/v1/ping", now(), "short", new byte[0]));
        problem(signedWith(h, "GET", "/distributor/v1/ping", null), 401, "authentication-required");
        h = new java.util.HashMap<>(RequestSigning.headers(key.keyId(), key.secret(), "GET",
                "/distributor/v1/ping", now(), RequestSigning.newNonce(), new byte[0]));
        h.put("X-TL-Timestamp", "99999999999999999999");
        problem(signedWith(h, "GET", "/distributor/v1/ping", null), 401, "authentication-required");
    }

    @Test
    void aWrongSignatureIs401() {
        Map<String, String> h = RequestSigning.headers(key.keyId(), "tls_not-the-secret", "GET", "/distributor/v1/ping",
                now(), RequestSigning.newNonce(), new byte[0]);
        problem(signedWith(h, "GET", "/distributor/v1/ping", null), 401, "invalid-signature");
    }

    @Test
    void aTamperedBodyOrPathOrMethodIs401() {
        String body = "{\"echo\":\"a\"}";
        Map<String, String> h = RequestSigning.headers(key.keyId(), key.secret(), "POST", "/distributor/v1/ping",
                now(), RequestSigning.newNonce(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        problem(signedWith(h, "POST", "/distributor/v1/ping", "{\"echo\":\"b\"}"), 401, "invalid-signature");
        h = RequestSigning.headers(key.keyId(), key.secret(), "GET", "/distributor/v1/ping?x=1",
                now(), RequestSigning.newNonce(), new byte[0]);
        problem(signedWith(h, "GET", "/distributor/v1/ping?x=2", null), 401, "invalid-signature");
        h = RequestSigning.headers(key.keyId(), key.secret(), "GET", "/distributor/v1/ping",
                now(), RequestSigning.newNonce(), new byte[0]);
        problem(signedWith(h, "POST", "/distributor/v1/ping", "{}"), 401, "invalid-signature");
    }

    @Test
    void staleAndFutureTimestampsAre401() throws Exception {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        Clock future = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6));
        problem(platform.distributor(key, past).get("/distributor/v1/ping"), 401, "stale-timestamp");
        problem(platform.distributor(key, future).get("/distributor/v1/ping"), 401, "stale-timestamp");
        Clock edge = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-4));
        assertThat(platform.distributor(key, edge).get("/distributor/v1/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void aReplayedNonceIs401EvenWithAFreshSignature() throws Exception {
        String nonce = RequestSigning.newNonce();
        assertThat(distributor.send("GET", "/distributor/v1/ping", "", Map.of(), now(), nonce).statusCode()).isEqualTo(200);
        problem(distributor.send("GET", "/distributor/v1/ping", "", Map.of(), now(), nonce), 401, "replayed-nonce");
        // A new signature over a different request does not make the nonce usable again.
        problem(distributor.send("GET", "/distributor/v1/ping?other", "", Map.of(), now() - 1, nonce), 401, "replayed-nonce");
        assertThat(platform.count("SELECT count(*) FROM host.nonces WHERE nonce = '" + nonce + "'")).isEqualTo(1);
    }

    @Test
    void onAMoneyMovingRouteTheNonceIsRecordedWithTheIdempotencyClaim() throws Exception {
        String nonce = RequestSigning.newNonce();
        assertThat(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of("Idempotency-Key", "nonce-first"), now(), nonce)
                .statusCode()).isEqualTo(200);
        assertThat(platform.count("SELECT count(*) FROM host.nonces WHERE nonce = '" + nonce + "'")).isEqualTo(1);
        // Replayed under another key, or under none: the replay is refused and nothing is claimed.
        problem(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of("Idempotency-Key", "nonce-second"), now(), nonce),
                401, "replayed-nonce");
        problem(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of(), now(), nonce), 401, "replayed-nonce");
        assertThat(platform.count("SELECT count(*) FROM host.idempotency_keys WHERE idem_key = 'nonce-second'")).isZero();
        // A request refused for its missing key still spends its (genuine) nonce, as on any other route.
        String other = RequestSigning.newNonce();
        problem(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of(), now(), other), 400, "idempotency-key-required");
        assertThat(platform.count("SELECT count(*) FROM host.nonces WHERE nonce = '" + other + "'")).isEqualTo(1);
        problem(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of("Idempotency-Key", "nonce-third"), now(), other),
                401, "replayed-nonce");
    }

    @Test
    void aRefusedRequestDoesNotBurnItsNonce() throws Exception {
        String nonce = RequestSigning.newNonce();
        SignedHttpClient wrong = SignedHttpClient.of(platform.base(), key.keyId(), "tls_wrong");
        problem(wrong.send("GET", "/distributor/v1/ping", "", Map.of(), now(), nonce), 401, "invalid-signature");
        assertThat(distributor.send("GET", "/distributor/v1/ping", "", Map.of(), now(), nonce).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownAndRevokedKeysAre401() throws Exception {
        problem(SignedHttpClient.of(platform.base(), "tlk_unknown", "x").get("/distributor/v1/ping"), 401, "invalid-credentials");
        ApiKeys.IssuedKey doomed = platform.app().apiKeys().issue(dauth);
        SignedHttpClient c = SignedHttpClient.of(platform.base(), doomed.keyId(), doomed.secret());
        assertThat(c.get("/distributor/v1/ping").statusCode()).isEqualTo(200);
        HttpResponse<String> revoke = platform.admin("DELETE", "/admin/v1/api-keys/" + doomed.keyId(), null);
        assertThat(revoke.statusCode()).isEqualTo(204);
        problem(c.get("/distributor/v1/ping"), 401, "invalid-credentials");
        problem(platform.admin("DELETE", "/admin/v1/api-keys/" + doomed.keyId(), null), 404, "not-found");
    }

    @Test
    void adminTokensDoNotOpenTheDistributorApi() {
        problem(platform.get("/distributor/v1/ping", "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN),
                401, "authentication-required");
    }

    @Test
    void distributorSignaturesDoNotOpenTheAdminApi() throws Exception {
        problem(distributor.get("/admin/v1/distributors/" + dauth + "/api-keys"), 401, "authentication-required");
        problem(distributor.send("POST", "/admin/v1/distributors/" + dauth + "/api-keys", "", Map.of()), 401, "authentication-required");
    }

    @Test
    void adminBearerFailuresAre401() {
        problem(platform.get("/admin/v1/distributors/" + dauth + "/api-keys"), 401, "authentication-required");
        problem(platform.get("/admin/v1/distributors/" + dauth + "/api-keys", "Authorization", "Bearer wrong-token-000000000000000"),
                401, "invalid-credentials");
        problem(platform.get("/admin/v1/distributors/" + dauth + "/api-keys", "Authorization", "Basic " + TestPlatform.OPERATOR_TOKEN),
                401, "authentication-required");
        assertThat(platform.get("/admin/v1/distributors/" + dauth + "/api-keys").headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"admin\"");
    }

    @Test
    void auditorsMayReadButNotWrite() {
        HttpResponse<String> read = platform.get("/admin/v1/distributors/" + dauth + "/api-keys",
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(read).path("items").findValuesAsText("keyId")).contains(key.keyId());
        assertThat(read.body()).doesNotContain(key.secret());
        int before = platform.app().apiKeys().list(dauth).size();
        problem(platform.send("POST", "/admin/v1/distributors/" + dauth + "/api-keys", null,
                "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN), 403, "forbidden");
        assertThat(platform.app().apiKeys().list(dauth)).hasSize(before);
    }

    @Test
    void issuedKeysWorkAtOnce() throws Exception {
        String id = platform.onboardDistributor("New Travel", "1.00").distributorId();
        HttpResponse<String> r = platform.admin("POST", "/admin/v1/distributors/" + id + "/api-keys", null);
        assertThat(r.statusCode()).isEqualTo(201);
        var k = TestPlatform.json(r);
        SignedHttpClient c = SignedHttpClient.of(platform.base(), k.path("keyId").asText(), k.path("secret").asText());
        assertThat(TestPlatform.json(c.get("/distributor/v1/ping")).path("distributorId").asText()).isEqualTo(id);
        problem(platform.admin("POST", "/admin/v1/distributors/not-onboarded/api-keys", null), 404, "not-found");
    }
}
