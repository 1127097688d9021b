package org.ticketledger.verify.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP answer: status, headers (names case-insensitive) and body bytes. Immutable and thread-safe.
 */
public final class HttpResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    /** Creates a response; throws IllegalArgumentException for a status outside 100..599. */
    public HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> e : Objects.requireNonNull(headers, "headers").entrySet()) {
            if (e.getKey() != null) { // HttpURLConnection reports the status line under a null key
                copy.put(e.getKey(), Collections.unmodifiableList(new java.util.ArrayList<>(e.getValue())));
            }
        }
        this.headers = Collections.unmodifiableMap(copy);
        this.body = Objects.requireNonNull(body, "body").clone();
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** All headers; names compare case-insensitively; unmodifiable. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.<String>empty() : Optional.of(values.get(0));
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + body.length + " bytes]";
    }
}
