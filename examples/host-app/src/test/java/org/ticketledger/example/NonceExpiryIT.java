package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.auth.NonceStore;
import org.ticketledger.example.auth.RequestSigning;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.testing.MutableClock;

/** Nonces are purged only once the timestamp window alone refuses their request. */
class NonceExpiryIT {

    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(b -> b.clock(CLOCK));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aPurgedNonceCannotBeReplayedBecauseItsTimestampHasExpired() throws Exception {
        ApiKeys.IssuedKey key = platform.app().apiKeys().issue("d-expiry");
        SignedHttpClient client = platform.distributor(key, CLOCK);
        long ts = CLOCK.instant().getEpochSecond();
        String nonce = RequestSigning.newNonce();
        assertThat(client.send("GET", "/distributor/v1/ping", "", Map.of(), ts, nonce).statusCode()).isEqualTo(200);

        NonceStore store = NonceStore.of(platform.jdbi());
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(store.purge(CLOCK.instant())).as("still inside the window: kept").isZero();
        problem(client.send("GET", "/distributor/v1/ping", "", Map.of(), ts, nonce), 401, "replayed-nonce");

        CLOCK.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(store.purge(CLOCK.instant())).isEqualTo(1);
        problem(client.send("GET", "/distributor/v1/ping", "", Map.of(), ts, nonce), 401, "stale-timestamp");
    }
}
