package org.ticketledger.verify.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ticketledger.verify.UnableToCallServerException;
import org.ticketledger.verify.spi.HttpRequest;
import org.ticketledger.verify.spi.HttpResponse;
import org.ticketledger.verify.spi.HttpTransport;

/**
 * Speaks the HTTP side of DEVICE-API.md: builds requests with the standard headers, sends them
 * through the pluggable transport, classifies answers (JSON, problem+json, status), and reads the
 * server time from {@code serverTime} or the {@code Date} header. No retries here. Not API.
 * Thread-safe.
 */
public final class DeviceHttp {

    private static final Logger LOG = Logger.getLogger(DeviceHttp.class.getName());
    public static final String PREFIX = "device/v1/";

    private final URI base;
    private final HttpTransport transport;
    private final String userAgent;
    private final Clock deviceClock;

    public DeviceHttp(URI serverUrl, HttpTransport transport, String userAgent, Clock deviceClock) {
        String s = serverUrl.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.transport = transport;
        this.userAgent = userAgent;
        this.deviceClock = deviceClock;
    }

    /**
     * Sends one request and classifies the answer; throws {@link UnableToCallServerException} when
     * no answer arrived (status 0) or a 2xx answer is not the JSON promised. 4xx/5xx answers are
     * returned with their problem for the caller to judge.
     */
    public ApiResponse call(String method, String path, Optional<JsonBuilder> body, Optional<String> bearer,
            Map<String, String> extraHeaders, Duration timeout) {
        URI uri = base.resolve(PREFIX + path);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json, application/problem+json");
        headers.put("User-Agent", userAgent);
        headers.put("X-Request-Id", UUID.randomUUID().toString());
        byte[] bytes = new byte[0];
        if (body.isPresent()) {
            bytes = body.get().toBytes();
            headers.put("Content-Type", "application/json; charset=utf-8");
        }
        if (bearer.isPresent()) {
            headers.put("Authorization", "Bearer " + bearer.get());
        }
        headers.putAll(extraHeaders);
        HttpRequest request = new HttpRequest(method, uri, headers, bytes, timeout);
        long sent = deviceClock.millis();
        HttpResponse response;
        try {
            response = transport.send(request);
        } catch (IOException e) {
            LOG.log(Level.FINE, "no answer to " + request, e);
            throw new UnableToCallServerException("no answer from the server to " + method + " " + path + ": " + e,
                    0, null, e);
        } catch (RuntimeException e) {
            // A third-party transport may throw unchecked exceptions for network trouble.
            throw new UnableToCallServerException("transport failed on " + method + " " + path + ": " + e, 0, null, e);
        }
        long received = deviceClock.millis();
        int status = response.status();
        byte[] responseBody = response.body();
        Instant dateHeader = dateHeader(response).orElse(null);
        if (status >= 200 && status < 300) {
            JsonObject json = null;
            if (responseBody.length > 0) {
                try {
                    json = JsonObject.of(Json.parse(responseBody), path);
                } catch (JsonException e) {
                    throw new UnableToCallServerException("unreadable answer to " + method + " " + path + ": "
                            + e.getMessage(), status, null, e);
                }
            }
            Instant serverTime = dateHeader;
            if (json != null && json.has("serverTime")) {
                try {
                    serverTime = json.instant("serverTime");
                } catch (JsonException e) {
                    throw new UnableToCallServerException("bad serverTime in answer to " + path, status, null, e);
                }
            }
            return new ApiResponse(status, json, null, serverTime, sent, received);
        }
        if (status == 304) {
            return new ApiResponse(status, null, null, dateHeader, sent, received);
        }
        Problem problem = Problem.from(status, responseBody);
        LOG.fine(() -> method + " " + path + " -> " + problem);
        // Only our own problem answers carry trustworthy time: a proxy's 502 page may come from a
        // machine with another clock.
        boolean fromDeviceApi = response.header("Content-Type").map(t -> t.startsWith("application/problem+json")).orElse(false);
        Instant serverTime = problem.serverTime().orElse(fromDeviceApi ? dateHeader : null);
        return new ApiResponse(status, null, problem, serverTime, sent, received);
    }

    private static Optional<Instant> dateHeader(HttpResponse response) {
        Optional<String> date = response.header("Date");
        if (!date.isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** An exception for an answer that broke the contract or signalled server trouble. */
    public static UnableToCallServerException failure(String what, ApiResponse r) {
        return new UnableToCallServerException(what + " failed: HTTP " + r.status() + " " + r.problemCode()
                + " (" + r.problemDetail() + ")", r.status(), r.problem().isPresent() ? r.problemCode() : null, null);
    }
}
