package org.ticketledger.huijinbao;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.huijinbao.internal.Wire;

/** Hand-built HJB-API requests, so tests can send what no well-behaved client would. */
final class RawClient {

    /** A request before it is sent; every part can be spoiled. */
    record Request(String method, String path, String body, String keyId, String secret, long timestamp, String nonce,
                   String signedPath, String signedBody) {

        Request withTimestamp(long ts) {
            return new Request(method, path, body, keyId, secret, ts, nonce, signedPath, signedBody);
        }

        Request withSecret(String s) {
            return new Request(method, path, body, keyId, s, timestamp, nonce, signedPath, signedBody);
        }

        Request withKeyId(String k) {
            return new Request(method, path, body, k, secret, timestamp, nonce, signedPath, signedBody);
        }

        /** Sends {@code otherBody} under the signature of the original body. */
        Request withBodySwappedAfterSigning(String otherBody) {
            return new Request(method, path, otherBody, keyId, secret, timestamp, nonce, signedPath, body);
        }

        /** Sends to {@code otherPath} under the signature for the original path. */
        Request withPathSwappedAfterSigning(String otherPath) {
            return new Request(method, otherPath, body, keyId, secret, timestamp, nonce, path, signedBody);
        }
    }

    /** A reply and whether its signature verifies for the request. */
    record Reply(int status, JsonNode body, boolean signed, boolean signatureValid) {
        String code() {
            return body.path("code").asText("");
        }
    }

    private static final AtomicLong NONCES = new AtomicLong(System.nanoTime());

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RawClient(URI base) {
        this.base = base;
    }

    static Request post(String path, String body, String keyId, String secret) {
        return new Request("POST", path, body, keyId, secret, Instant.now().getEpochSecond(), freshNonce(), path, body);
    }

    static Request get(String path, String keyId, String secret) {
        return new Request("GET", path, "", keyId, secret, Instant.now().getEpochSecond(), freshNonce(), path, "");
    }

    static String freshNonce() {
        return String.format("n%031x", NONCES.incrementAndGet());
    }

    Reply send(Request r) throws IOException, InterruptedException {
        String signature = Signing.sign(Signing.key(r.secret()), Signing.requestStringToSign(r.keyId(), r.method(),
                r.signedPath(), r.timestamp(), r.nonce(), r.signedBody().getBytes(StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(r.path()))
                .timeout(Duration.ofSeconds(5))
                .header(Signing.KEY_ID, r.keyId())
                .header(Signing.TIMESTAMP, Long.toString(r.timestamp()))
                .header(Signing.NONCE, r.nonce())
                .header(Signing.SIGNATURE, signature);
        if ("POST".equals(r.method())) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(r.body()));
        } else {
            b.GET();
        }
        HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        var sig = resp.headers().firstValue(Signing.SIGNATURE);
        boolean valid = sig.isPresent() && Signing.verify(Signing.key(r.secret()), Signing.replyStringToSign(r.keyId(),
                resp.statusCode(), r.method(), r.path(),
                Long.parseLong(resp.headers().firstValue(Signing.TIMESTAMP).orElse("0")), r.nonce(), resp.body()),
                sig.get());
        return new Reply(resp.statusCode(), Wire.JSON.readTree(resp.body()), sig.isPresent(), valid);
    }
}
