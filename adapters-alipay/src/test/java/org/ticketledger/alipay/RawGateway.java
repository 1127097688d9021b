package org.ticketledger.alipay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.alipay.internal.FormCodec;
import org.ticketledger.alipay.internal.Rsa2;

/** A bare signed-request client for testing the sandbox's gateway rules directly. */
public final class RawGateway {

    /** Where the parameters travel. */
    public enum Layout {
        /** Alipay's Java SDK: system parameters and sign in the query, biz_content in the body. */
        SDK,
        /** Everything in the form body (other public clients). */
        BODY
    }

    public record Response(int status, String body) {
    }

    private final URI gateway;
    private final String appId;
    private final PrivateKey key;
    private final java.time.Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public RawGateway(URI gateway, String appId, PrivateKey key, java.time.Clock clock) {
        this.gateway = gateway;
        this.appId = appId;
        this.key = key;
        this.clock = clock;
    }

    public Response call(String method, String biz) {
        return call(method, biz, Layout.SDK, clock.instant(), p -> { });
    }

    /** Signs the parameters, lets {@code tweak} change them afterwards (to break things), and posts. */
    public Response call(String method, String biz, Layout layout, Instant timestamp, Consumer<Map<String, String>> tweak) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("app_id", appId);
        p.put("method", method);
        p.put("format", "json");
        p.put("charset", "utf-8");
        p.put("sign_type", "RSA2");
        p.put("timestamp", AlipayFormats.time(timestamp));
        p.put("version", "1.0");
        p.put("biz_content", biz);
        p.put("sign", Rsa2.sign(key, Rsa2.requestSignContent(p)));
        tweak.accept(p);
        String uri = gateway.toString();
        String body;
        if (layout == Layout.SDK) {
            Map<String, String> system = new LinkedHashMap<>(p);
            String bizContent = system.remove("biz_content");
            uri = uri + "?" + FormCodec.encode(system);
            body = bizContent == null ? "" : FormCodec.encode(Map.of("biz_content", bizContent));
        } else {
            body = FormCodec.encode(p);
        }
        return post(URI.create(uri), body);
    }

    public Response post(URI uri, String form) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
