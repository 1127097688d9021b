package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.testing.TestPlatform;

/** Every kind of bad input ends in a 4xx problem document, never a 5xx, and writes nothing. */
class ProblemResponsesIT {

    static TestPlatform platform;
    static SignedHttpClient distributor;
    static String limitPath;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        TestPlatform.Onboarded d = platform.onboardDistributor("Problem Travel", "100.00");
        distributor = d.client();
        limitPath = "/admin/v1/distributors/" + d.distributorId() + "/rate-limit";
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** Asserts an RFC 9457 document of {@code slug} with {@code status}; returns it. */
    public static JsonNode problem(HttpResponse<String> r, int status, String slug) {
        return TestPlatform.problem(r, status, slug);
    }

    private static int rateLimitRows() {
        return platform.count("SELECT count(*) FROM host.rate_limits");
    }

    @Test
    void unknownRouteIsNotFoundProblem() {
        problem(platform.get("/no/such/route"), 404, "not-found");
        problem(platform.get("/distributor/v1/no-such-thing"), 404, "not-found");
    }

    @Test
    void wrongMethodIsMethodNotAllowedProblem() {
        problem(platform.send("DELETE", "/health", null), 405, "method-not-allowed");
        problem(platform.send("PUT", "/distributor/v1/ping", "{}"), 405, "method-not-allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"perMinute\":}", "not json", "{\"perMinute\":1}{}", "{\"perMinute\":1,\"perMinute\":2}", "[1,"})
    void malformedJsonIsA400AndWritesNothing(String body) {
        problem(platform.admin("PUT", limitPath, body), 400, "malformed-json");
        assertThat(rateLimitRows()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"perMinute\":\"60\",\"burst\":1}",                       // wrong type
            "{\"perMinute\":60.5,\"burst\":1}",                         // fraction
            "{\"perMinute\":99999999999999999999999999999,\"burst\":1}", // beyond long
            "{\"perMinute\":1e400,\"burst\":1}",                         // beyond double
            "{\"perMinute\":-1,\"burst\":1}",                            // out of range
            "{\"burst\":1}",                                             // missing field
            "{\"perMinute\":null,\"burst\":1}",                          // null
            "{\"perMinute\":60,\"burst\":1,\"extra\":true}",             // unknown field
            "[]", "42", "null"})
    void wellFormedButInvalidBodiesAre422AndWriteNothing(String body) {
        JsonNode p = problem(platform.admin("PUT", limitPath, body), 422, "validation-failed");
        assertThat(p.path("errors")).isNotEmpty();
        assertThat(rateLimitRows()).isZero();
    }

    @Test
    void fieldErrorsPointAtTheFields() {
        JsonNode p = problem(platform.admin("PUT", limitPath, "{\"perMinute\":\"x\",\"extra\":1}"),
                422, "validation-failed");
        assertThat(p.path("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder("/perMinute", "/burst", "/extra");
    }

    @Test
    void wrongContentTypeIs415() {
        problem(platform.send("PUT", limitPath, "perMinute=1",
                "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN, "Content-Type", "application/x-www-form-urlencoded"),
                415, "unsupported-media-type");
    }

    @Test
    void hugeBodyIs413() {
        String big = "{\"perMinute\":1,\"pad\":\"" + "x".repeat(1_200_000) + "\"}";
        HttpResponse<String> r = platform.admin("PUT", limitPath, big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(rateLimitRows()).isZero();
    }

    @Test
    void emptyBodyIsA400() {
        problem(platform.admin("PUT", limitPath, ""), 400, "malformed-json");
    }

    @Test
    void malformedPathParameterIsA400() {
        problem(platform.admin("PUT", "/admin/v1/distributors/%20bad%20/rate-limit", "{\"perMinute\":1,\"burst\":1}"),
                400, "bad-request");
    }

    @Test
    void signedMoneyMovingRouteRefusesBadBodiesWithoutStoringTheIdempotencyKey() throws Exception {
        problem(distributor.post("/distributor/v1/ping", "{oops", "key-bad-1"), 400, "malformed-json");
        problem(distributor.post("/distributor/v1/ping", "{\"echo\":5}", "key-bad-1"), 422, "validation-failed");
        // The key was never stored, so the corrected request may reuse it.
        HttpResponse<String> ok = distributor.post("/distributor/v1/ping", "{\"echo\":\"fixed\"}", "key-bad-1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(ok).path("echo").asText()).isEqualTo("fixed");
    }

    @Test
    void requestIdIsEchoedWhenWellFormedAndReplacedOtherwise() {
        HttpResponse<String> given = platform.get("/health", "X-Request-Id", "client-req.42");
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("client-req.42");
        HttpResponse<String> bad = platform.get("/health", "X-Request-Id", "has spaces and {braces}");
        assertThat(bad.headers().firstValue("X-Request-Id")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
        JsonNode p = problem(platform.get("/nowhere", "X-Request-Id", "trace-7"), 404, "not-found");
        assertThat(p.path("requestId").asText()).isEqualTo("trace-7");
    }

    @Test
    void noRouteAnswersA5xxToGarbage() throws Exception {
        String[] bodies = {"", "{", "[]", "\"\"", "{\"echo\":" + "1".repeat(70) + "}", "{\"echo\":{\"a\":[1,2,{}]}}",
                "\u00ff\u00fe", "{\"echo\":\"\\ud800\"}"};
        String[] queries = {"", "?state=%00&limit=-1&cursor=%FF&updatedSince=x&partyId=&subject=&recipient=",
                "?limit=99999999999999999999&cursor=-1&state=DONE"};
        for (var route : platform.app().routes()) {
            for (int i = 0; i < bodies.length; i++) {
                String body = bodies[i];
                String path = route.path().replaceAll("\\{[^}]+}", i % 2 == 0 ? "x" : "%2e%2e") + queries[i % queries.length];
                HttpResponse<String> plain = platform.send(route.method(), path, body,
                        "Content-Type", "application/json", "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN,
                        "Idempotency-Key", "garbage-" + body.hashCode());
                assertThat(plain.statusCode()).as(route.method() + " " + path + " " + body).isLessThan(500);
                HttpResponse<String> signed = distributor.send(route.method(), path, body,
                        Map.of("Idempotency-Key", "garbage-" + body.hashCode()));
                assertThat(signed.statusCode()).as("signed " + route.method() + " " + path + " " + body).isLessThan(500);
            }
        }
    }
}
