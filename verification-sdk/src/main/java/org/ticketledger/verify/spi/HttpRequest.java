package org.ticketledger.verify.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request the SDK wants sent: method, absolute URI, headers (one value each), optional
 * body, and the time the whole exchange may take. Immutable and thread-safe.
 */
public final class HttpRequest {

    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration timeout;

    /** Creates a request; throws IllegalArgumentException for a relative URI or a non-positive timeout. */
    public HttpRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("request URI must be absolute: " + uri);
        }
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        this.body = Objects.requireNonNull(body, "body").clone();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** GET, POST, ... */
    public String method() {
        return method;
    }

    /** The absolute URI including the query. */
    public URI uri() {
        return uri;
    }

    /** Request headers; unmodifiable. May contain {@code Authorization}: never log values. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A copy of the body (empty for GET). */
    public byte[] body() {
        return body.clone();
    }

    /** Body length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** Upper bound for connecting plus reading the answer. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return method + " " + uri; // never headers: they carry tokens
    }
}
