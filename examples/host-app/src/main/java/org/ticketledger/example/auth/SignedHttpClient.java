package org.ticketledger.example.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal distributor client: signs each request with an API key the way the platform expects
 * and sends it with {@code java.net.http}. Meant for tests, examples and integrators who want a
 * reference; it does not retry. Thread-safe.
 */
public final class SignedHttpClient {

    private final HttpClient http;
    private final URI base;
    private final String keyId;
    private final String secret;
    private final Clock clock;

    private SignedHttpClient(URI base, String keyId, String secret, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = Objects.requireNonNull(base, "base");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A client for the platform at {@code base} (e.g. {@code http://localhost:8080}). */
    public static SignedHttpClient of(URI base, String keyId, String secret) {
        return new SignedHttpClient(base, keyId, secret, Clock.systemUTC());
    }

    /** The same, with a clock for the timestamp (tests of the time window). */
    public static SignedHttpClient of(URI base, String keyId, String secret, Clock clock) {
        return new SignedHttpClient(base, keyId, secret, clock);
    }

    /** A signed GET of {@code pathAndQuery}. */
    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, "", Map.of());
    }

    /** A signed POST of a JSON body with an Idempotency-Key. */
    public HttpResponse<String> post(String pathAndQuery, String json, String idempotencyKey)
            throws IOException, InterruptedException {
        return send("POST", pathAndQuery, json, Map.of("Idempotency-Key", idempotencyKey));
    }

    /** A signed request with a fresh nonce and the current time. */
    public HttpResponse<String> send(String method, String pathAndQuery, String body, Map<String, String> extraHeaders)
            throws IOException, InterruptedException {
        return send(method, pathAndQuery, body, extraHeaders, clock.instant().getEpochSecond(), RequestSigning.newNonce());
    }

    /** A signed request with the given timestamp and nonce (tests of replay and clock skew). */
    public HttpResponse<String> send(String method, String pathAndQuery, String body, Map<String, String> extraHeaders,
                                     long timestamp, String nonce) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
        RequestSigning.headers(keyId, secret, method, pathAndQuery, timestamp, nonce, bytes).forEach(b::header);
        extraHeaders.forEach(b::header);
        if (bytes.length > 0) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
