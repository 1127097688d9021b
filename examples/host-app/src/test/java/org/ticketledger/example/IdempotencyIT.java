package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.idempotency.IdempotencyStore;
import org.ticketledger.example.testing.TestPlatform;

/** Idempotency-Key on money-moving POSTs: required, replayed, refused when reused for another request. */
class IdempotencyIT {

    static TestPlatform platform;
    static SignedHttpClient distributor;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        distributor = platform.distributor("d-idem");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aMoneyMovingPostWithoutAKeyIs400() throws Exception {
        problem(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of()), 400, "idempotency-key-required");
        problem(distributor.send("POST", "/distributor/v1/ping", "{}", Map.of("Idempotency-Key", "x".repeat(129))),
                400, "idempotency-key-required");
    }

    @Test
    void theSameKeyAndBodyReplayTheFirstResponse() throws Exception {
        HttpResponse<String> first = distributor.post("/distributor/v1/ping", "{\"echo\":\"one\"}", "idem-replay");
        HttpResponse<String> second = distributor.post("/distributor/v1/ping", "{\"echo\":\"one\"}", "idem-replay");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(second.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
    }

    @Test
    void theSameKeyWithADifferentBodyIs422() throws Exception {
        assertThat(distributor.post("/distributor/v1/ping", "{\"echo\":\"a\"}", "idem-conflict").statusCode()).isEqualTo(200);
        var p = problem(distributor.post("/distributor/v1/ping", "{\"echo\":\"b\"}", "idem-conflict"), 422, "idempotency-key-reused");
        assertThat(p.path("detail").asText()).contains("POST /distributor/v1/ping");
        problem(distributor.post("/distributor/v1/ping?variant=1", "{\"echo\":\"a\"}", "idem-conflict"), 422, "idempotency-key-reused");
    }

    @Test
    void keysAreScopedToTheDistributor() throws Exception {
        SignedHttpClient other = platform.distributor("d-idem-other");
        assertThat(distributor.post("/distributor/v1/ping", "{\"echo\":\"mine\"}", "idem-shared").statusCode()).isEqualTo(200);
        HttpResponse<String> theirs = other.post("/distributor/v1/ping", "{\"echo\":\"theirs\"}", "idem-shared");
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(TestPlatform.json(theirs).path("distributorId").asText()).isEqualTo("d-idem-other");
        assertThat(theirs.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void anotherKeyOfTheSameDistributorReplaysToo() throws Exception {
        SignedHttpClient secondKey = platform.distributor("d-idem");
        HttpResponse<String> first = distributor.post("/distributor/v1/ping", "{\"echo\":\"k\"}", "idem-two-keys");
        HttpResponse<String> again = secondKey.post("/distributor/v1/ping", "{\"echo\":\"k\"}", "idem-two-keys");
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
    }

    @Test
    void concurrentDuplicatesRunOnceAndTheRestReplayOrWait() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> distributor.post("/distributor/v1/ping", "{\"echo\":\"race\"}", "idem-race"));
            }
            List<Integer> statuses = new ArrayList<>();
            int fresh = 0;
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                HttpResponse<String> r = f.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 200 && r.headers().firstValue("Idempotent-Replayed").isEmpty()) {
                    fresh++;
                }
            }
            assertThat(statuses).allMatch(s -> s == 200 || s == 409);
            assertThat(fresh).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAbandonedClaimCanBeTakenOverAfterItsLease() {
        IdempotencyStore store = IdempotencyStore.of(platform.jdbi());
        Instant t = Instant.now();
        assertThat(store.claim("p", "k-lease", "h", "POST", "/x", t, Duration.ofSeconds(60)))
                .isInstanceOf(IdempotencyStore.Claim.Granted.class);
        assertThat(store.claim("p", "k-lease", "h", "POST", "/x", t.plusSeconds(30), Duration.ofSeconds(60)))
                .isInstanceOf(IdempotencyStore.Claim.InProgress.class);
        assertThat(store.claim("p", "k-lease", "h", "POST", "/x", t.plusSeconds(61), Duration.ofSeconds(60)))
                .isInstanceOf(IdempotencyStore.Claim.Granted.class);
        assertThat(store.claim("p", "k-lease", "other", "POST", "/x", t.plusSeconds(62), Duration.ofSeconds(60)))
                .isInstanceOf(IdempotencyStore.Claim.Mismatch.class);
    }

    @Test
    void recordsOlderThanTheRetentionArePurged() {
        IdempotencyStore store = IdempotencyStore.of(platform.jdbi());
        Instant t = Instant.now().minus(Duration.ofDays(3));
        store.claim("p", "k-old", "h", "POST", "/x", t, Duration.ofSeconds(60));
        store.complete("p", "k-old", new IdempotencyStore.StoredResponse(200, "application/json", java.util.Optional.empty(), "{}"), t);
        assertThat(store.purge(Instant.now().minus(Duration.ofDays(1)))).isGreaterThanOrEqualTo(1);
        assertThat(store.claim("p", "k-old", "new", "POST", "/x", Instant.now(), Duration.ofSeconds(60)))
                .isInstanceOf(IdempotencyStore.Claim.Granted.class);
    }
}
