package org.ticketledger.verify.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * An application/problem+json answer (RFC 9457) reduced to what the SDK acts on: the stable
 * {@code code} (falling back to the last path segment of {@code type}) and the detail. Not API.
 */
public final class Problem {

    private final int status;
    private final String code;
    private final String detail;
    private final Instant serverTime;

    public Problem(int status, String code, String detail, Instant serverTime) {
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.serverTime = serverTime;
    }

    static Problem from(int status, byte[] body) {
        try {
            JsonObject o = JsonObject.of(Json.parse(body), "problem");
            String code = o.optString("code").orElseGet(() -> {
                String type = o.optString("type").orElse("");
                int slash = type.lastIndexOf('/');
                return slash >= 0 && slash < type.length() - 1 ? type.substring(slash + 1) : "http-" + status;
            });
            String detail = o.optString("detail").orElse(o.optString("title").orElse("HTTP " + status));
            Instant serverTime = null;
            try {
                serverTime = o.optInstant("serverTime").orElse(null);
            } catch (JsonException ignored) {
                // a malformed extension member does not spoil the problem itself
            }
            return new Problem(status, code, detail, serverTime);
        } catch (RuntimeException notJson) {
            return new Problem(status, "http-" + status, "HTTP " + status, null);
        }
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    /** The {@code serverTime} extension member, if the problem carried one. */
    public Optional<Instant> serverTime() {
        return Optional.ofNullable(serverTime);
    }

    @Override
    public String toString() {
        return status + " " + code + ": " + detail;
    }
}
