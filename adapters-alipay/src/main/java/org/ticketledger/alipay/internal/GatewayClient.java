package org.ticketledger.alipay.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signed requests to the Alipay gateway and returns verified replies. Layout as Alipay's
 * Java SDK: system parameters and {@code sign} in the URL query, {@code biz_content} in a
 * form-encoded body. Thread-safe; {@link #close()} stops its threads.
 *
 * <p>Retries inside one call happen only where repeating cannot move money twice: read-only
 * calls (queries, balance) are retried on transport errors and 5xx; money-moving calls only when
 * the connection could not even be opened (the request never left). Every other failure is
 * returned as {@link NoAnswer}, for the caller to resolve by a query.
 */
public final class GatewayClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);

    /** Whether a call moves money (then it is never re-sent blindly) or only reads. */
    public enum Kind { MOVES_MONEY, READ_ONLY }

    /** The reply to a call. */
    public sealed interface Reply {
    }

    /** A reply whose signature verified; {@code fields} is the signed response node. */
    public record Answered(String node, ObjectNode fields) implements Reply {
        public Answered {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(fields, "fields");
        }

        /** A field as text, or empty when absent, null or empty. */
        public Optional<String> text(String name) {
            var v = fields.get(name);
            return v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty()
                    ? Optional.empty() : Optional.of(v.asText());
        }

        /** {@code code}, or empty. */
        public String code() {
            return text("code").orElse("");
        }

        /** {@code sub_code}, or empty. */
        public String subCode() {
            return text("sub_code").orElse("");
        }

        /** {@code sub_msg}, else {@code msg}, else empty. */
        public String message() {
            return text("sub_msg").or(() -> text("msg")).orElse("");
        }

        /** {@code code/sub_code} for people and logs. */
        public String rawCode() {
            return subCode().isEmpty() ? code() : code() + "/" + subCode();
        }
    }

    /** No trustworthy reply: timeout, transport error, 5xx, or a reply that did not verify. */
    public record NoAnswer(String cause) implements Reply {
        public NoAnswer {
            Objects.requireNonNull(cause, "cause");
        }
    }

    private final URI gateway;
    private final String appId;
    private final PrivateKey appKey;
    private final PublicKey alipayKey;
    private final Clock clock;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final FailsafeExecutor<HttpResponse<String>> moving;
    private final FailsafeExecutor<HttpResponse<String>> reading;

    public GatewayClient(URI gateway, String appId, PrivateKey appKey, PublicKey alipayKey, Clock clock,
                         Duration connectTimeout, Duration requestTimeout, int readRetries) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.appId = Objects.requireNonNull(appId, "appId");
        this.appKey = Objects.requireNonNull(appKey, "appKey");
        this.alipayKey = Objects.requireNonNull(alipayKey, "alipayKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        // The overall deadline bounds a call with its retries; each attempt has requestTimeout.
        Duration overall = requestTimeout.multipliedBy(readRetries + 1L).plus(connectTimeout).plusSeconds(1);
        Timeout<HttpResponse<String>> deadline = Timeout.<HttpResponse<String>>builder(overall).withInterrupt().build();
        RetryPolicy<HttpResponse<String>> notSent = RetryPolicy.<HttpResponse<String>>builder()
                .handle(ConnectException.class, HttpConnectTimeoutException.class)
                .withMaxRetries(2)
                .withDelay(Duration.ofMillis(50))
                .build();
        RetryPolicy<HttpResponse<String>> readAgain = RetryPolicy.<HttpResponse<String>>builder()
                .handle(IOException.class)
                .handleResultIf(r -> r.statusCode() >= 500)
                .withMaxRetries(readRetries)
                .withDelay(Duration.ofMillis(50))
                .build();
        this.moving = Failsafe.with(deadline).compose(notSent);
        this.reading = Failsafe.with(deadline).compose(readAgain);
    }

    /**
     * Calls {@code method} with {@code bizContent}.
     *
     * @param extra     further system parameters (e.g. {@code notify_url}); empty values are left out
     * @param requestId our request id, for logs only
     */
    public Reply call(String method, ObjectNode bizContent, Map<String, String> extra, Kind kind, String requestId) {
        String biz;
        try {
            biz = SignedReply.JSON.writeValueAsString(bizContent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write biz_content", e);
        }
        Map<String, String> system = new LinkedHashMap<>();
        system.put("app_id", appId);
        system.put("method", method);
        system.put("format", "json");
        system.put("charset", "UTF-8");
        system.put("sign_type", Rsa2.SIGN_TYPE);
        system.put("timestamp", AlipayFormats.time(clock.instant()));
        system.put("version", "1.0");
        extra.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                system.put(k, v);
            }
        });
        Map<String, String> all = new LinkedHashMap<>(system);
        all.put("biz_content", biz);
        system.put("sign", Rsa2.sign(appKey, Rsa2.requestSignContent(all)));

        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "?" + FormCodec.encode(system)))
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(FormCodec.encode(Map.of("biz_content", biz)),
                        StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            FailsafeExecutor<HttpResponse<String>> policy = kind == Kind.MOVES_MONEY ? moving : reading;
            response = policy.get(() -> http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (TimeoutExceededException e) {
            return noAnswer(method, requestId, "timed out");
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return noAnswer(method, requestId, "interrupted");
            }
            return noAnswer(method, requestId, describe(cause));
        } catch (RuntimeException e) {
            return noAnswer(method, requestId, describe(e));
        }
        if (response.statusCode() != 200) {
            return noAnswer(method, requestId, "HTTP " + response.statusCode());
        }
        SignedReply.Check check = SignedReply.check(response.body(), method, alipayKey);
        if (check instanceof SignedReply.Refused refused) {
            return noAnswer(method, requestId, refused.reason());
        }
        SignedReply.Verified verified = (SignedReply.Verified) check;
        Answered answered = new Answered(verified.node(), verified.fields());
        LOG.debug("alipay {} for {}: {}", method, requestId, answered.rawCode());
        return answered;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static Reply noAnswer(String method, String requestId, String cause) {
        LOG.warn("alipay {} for {}: no trustworthy answer ({})", method, requestId, cause);
        return new NoAnswer(cause);
    }

    /** The failure's kind only: exception messages may quote URLs or data. */
    private static String describe(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (t instanceof ConnectException) {
            return "cannot connect";
        }
        if (t instanceof IOException) {
            return "transport error (" + t.getClass().getSimpleName() + ")";
        }
        return "failure (" + t.getClass().getSimpleName() + ")";
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "alipay-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
