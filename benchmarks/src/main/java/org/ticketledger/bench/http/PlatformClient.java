package org.ticketledger.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.example.auth.SignedHttpClient;

/**
 * A client of the platform's HTTP API for harnesses: admin calls with a bearer token and
 * distributor calls signed with an API key, each retried through crashes and outages of the app
 * (transport errors, 5xx, 429, a request with the same Idempotency-Key still in progress) until a
 * deadline — safe because every money-moving call carries the same Idempotency-Key each time.
 * Thread-safe.
 */
public final class PlatformClient {

    /** Shared JSON mapper. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String adminToken;
    private final Duration patience;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rekeys = new AtomicLong();

    /** A client of the platform at {@code base}; calls give up after {@code patience} of retrying. */
    public PlatformClient(URI base, String adminToken, Duration patience) {
        this.base = Objects.requireNonNull(base, "base");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    public URI base() {
        return base;
    }

    /** How many calls were repeated after a transport error or a transient answer. */
    public long retries() {
        return retries.get();
    }

    /** How many operations went on under a new Idempotency-Key because the old one stayed claimed by a dead request. */
    public long rekeys() {
        return rekeys.get();
    }

    /** An answer: status, parsed body (missing node when not JSON) and raw body. */
    public record Reply(int status, JsonNode json, String body) {
        /** The problem type slug (e.g. {@code sold-out}), or empty text when not a problem. */
        public String problem() {
            String type = json.path("type").asText("");
            int slash = type.lastIndexOf('/');
            return slash < 0 ? type : type.substring(slash + 1);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Throws unless the status is {@code expected}. */
        public Reply expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected " + expected + ", got " + status + ": " + body);
            }
            return this;
        }
    }

    /** A thrown-away answer that says the call must be repeated. */
    static boolean transient_(int status, String problem) {
        return status >= 500 || status == 429 || (status == 409 && problem.equals("idempotency-in-progress"));
    }

    /** An admin call, retried through transient failures; {@code body} may be null. */
    public Reply admin(String method, String path, JsonNode body) {
        // One key for every repetition: a repeated money-moving admin call is the same call.
        String key = "adm-" + java.util.UUID.randomUUID();
        return retrying(method + " " + path, () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + adminToken);
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else if (method.equals("POST")) {
                b.header("Idempotency-Key", key).method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        });
    }

    /** A distributor's signed client. */
    public Distributor distributor(String id, String keyId, String secret) {
        return new Distributor(id, SignedHttpClient.of(base, keyId, secret));
    }

    /** One distributor's calls. Thread-safe. */
    public final class Distributor {
        private final String id;
        private final SignedHttpClient client;

        Distributor(String id, SignedHttpClient client) {
            this.id = id;
            this.client = client;
        }

        public String id() {
            return id;
        }

        /** A signed POST (a null body sends none) with an Idempotency-Key, repeated (same key, fresh nonce) through transient failures. */
        public Reply post(String path, JsonNode body, String idempotencyKey) {
            return post(path, body, idempotencyKey, null);
        }

        /**
         * The same, but when the platform keeps saying the key is in progress for longer than
         * {@code rekeyAfter} (the request that claimed it died with the app, and the claim's lease
         * has not run out), goes on under a new key: the operation's own identity (the distributor
         * order id, the ticket) keeps it from happening twice.
         */
        public Reply post(String path, JsonNode body, String idempotencyKey, Duration rekeyAfter) {
            String json;
            try {
                json = body == null ? "" : JSON.writeValueAsString(body);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            String[] key = {idempotencyKey};
            long[] stuckSince = {0};
            int[] round = {0};
            return retrying("POST " + path, () -> {
                HttpResponse<String> r = client.post(path, json, key[0]);
                if (rekeyAfter != null && r.statusCode() == 409 && r.body().contains("idempotency-in-progress")) {
                    long now = System.nanoTime();
                    if (stuckSince[0] == 0) {
                        stuckSince[0] = now;
                    } else if (now - stuckSince[0] > rekeyAfter.toNanos()) {
                        key[0] = idempotencyKey + "~" + (++round[0]);
                        stuckSince[0] = 0;
                        rekeys.incrementAndGet();
                    }
                }
                return r;
            });
        }

        /** A signed GET, repeated through transient failures. */
        public Reply get(String pathAndQuery) {
            return retrying("GET " + pathAndQuery, () -> client.get(pathAndQuery));
        }
    }

    private interface Call {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    private Reply retrying(String what, Call call) {
        long deadline = System.nanoTime() + patience.toNanos();
        long wait = 50;
        String last = "";
        while (true) {
            try {
                HttpResponse<String> r = call.send();
                Reply reply = new Reply(r.statusCode(), parse(r.body()), r.body());
                if (!transient_(reply.status(), reply.problem())) {
                    return reply;
                }
                last = r.statusCode() + " " + reply.problem();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + what, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " still failing after " + patience + ": " + last);
            }
            retries.incrementAndGet();
            AppProcess.sleep(wait);
            wait = Math.min(1000, wait * 2);
        }
    }

    static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
