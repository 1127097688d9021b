package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.testing.TestPlatform;

/** Per-distributor token buckets, configured through the admin API. */
class RateLimitIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aDistributorOverItsBurstGets429WithRetryAfterWhileOthersAreServed() throws Exception {
        TestPlatform.Onboarded d = platform.onboardDistributor("Slow Travel", "10.00");
        HttpResponse<String> set = platform.admin("PUT", "/admin/v1/distributors/" + d.distributorId() + "/rate-limit",
                "{\"perMinute\":1,\"burst\":2}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(TestPlatform.json(set).path("burst").asInt()).isEqualTo(2);
        SignedHttpClient slow = d.client();
        SignedHttpClient other = platform.distributor("d-other");

        assertThat(slow.get("/distributor/v1/ping").statusCode()).isEqualTo(200);
        assertThat(slow.post("/distributor/v1/ping", "{}", "rl-1").statusCode()).isEqualTo(200);
        HttpResponse<String> limited = slow.get("/distributor/v1/ping");
        problem(limited, 429, "rate-limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        // A second key of the same distributor shares the bucket.
        problem(platform.distributor(d.distributorId()).get("/distributor/v1/ping"), 429, "rate-limited");
        assertThat(other.get("/distributor/v1/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void aRateLimitedMoneyMovingRequestLeavesItsIdempotencyKeyFree() throws Exception {
        TestPlatform.Onboarded d = platform.onboardDistributor("Once Travel", "10.00");
        TestPlatform.expect(platform.admin("PUT", "/admin/v1/distributors/" + d.distributorId() + "/rate-limit",
                "{\"perMinute\":1,\"burst\":1}"), 200);
        SignedHttpClient c = d.client();
        assertThat(c.get("/distributor/v1/ping").statusCode()).isEqualTo(200);
        problem(c.post("/distributor/v1/ping", "{}", "rl-key"), 429, "rate-limited");
        assertThat(platform.count("SELECT count(*) FROM host.idempotency_keys WHERE idem_key = 'rl-key'")).isZero();
    }
}
