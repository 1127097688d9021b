package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.testing.TestPlatform;

/** What the fuzz suite found, pinned down: each was a 5xx or a lost answer. */
class FuzzFindingsIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        platform.onboardPlatform();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void fundingBeyondWhatAnAccountCanHoldIsRefusedAndBooksNothing() {
        String max = "{\"rail\":\"ALIPAY\",\"amount\":\"92233720368547758.07\",\"reference\":\"%s\"}";
        TestPlatform.expect(fund(max.formatted("huge-1")), 201);
        int entries = platform.count("SELECT count(*) FROM ledger.entries");

        problem(fund(max.formatted("huge-2")), 422, "amount-out-of-range");

        assertThat(platform.count("SELECT count(*) FROM ledger.entries")).isEqualTo(entries);
        assertThat(TestPlatform.json(platform.admin("GET", "/admin/v1/trial-balance", null)).path("balanced").asBoolean()).isTrue();
    }

    @Test
    void nulCharactersAreRefusedBeforeTheyReachTheDatabase() throws Exception {
        TestPlatform.Onboarded d = platform.onboardDistributor("Nul Travel", "10.00");
        String spot = platform.onboardSpot("Nul Spot");
        String product = platform.publish(spot, "100.00", "90.00");
        var p = problem(d.client().send("PUT", "/distributor/v1/products/" + product + "/overlay",
                "{\"name\":\"a\\u0000b\",\"retailPrice\":\"120.00\"}", java.util.Map.of()), 422, "validation-failed");
        assertThat(p.path("errors").findValuesAsText("pointer")).contains("/name");
        problem(d.client().get("/distributor/v1/orders/o-%00"), 400, "bad-request");
        problem(platform.get("/admin/v1/orders?cursor=%00", "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN), 400, "bad-request");
    }

    private static HttpResponse<String> fund(String body) {
        return platform.send("POST", "/admin/v1/platform/funding", body, "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN,
                "Content-Type", "application/json", "Idempotency-Key", "fund-" + body.hashCode());
    }

    @Test
    void aBodyOnARouteThatTakesNoneDoesNotCostTheAnswer() throws Exception {
        // Answering while a large upload is still unread used to end in a TCP reset that ate the answer.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"big\":\"" + "x".repeat(300_000) + "\"}";
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(platform.base().resolve("/metrics")).timeout(Duration.ofSeconds(30))
                    .method("GET", HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("# TYPE tl_http_requests_total counter");
        }
    }
}
