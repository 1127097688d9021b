package org.ticketledger.example.http;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Request ids: taken from {@code X-Request-Id} when the caller sent a well-formed one (so a
 * distributor can correlate), generated otherwise, echoed in the response header, in every problem
 * document and in every log line of the request (MDC key {@code requestId}). Thread-safe.
 */
public final class RequestIds {

    /** The header in both directions. */
    public static final String HEADER = "X-Request-Id";

    private static final String ATTRIBUTE = "tl.requestId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestIds() {
    }

    /** Assigns the request id of {@code ctx} and sets the response header. */
    public static String assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && VALID.matcher(given).matches() ? given : generate();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }

    /** The request id of {@code ctx}, assigning one if the before-handler did not run. */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : assign(ctx);
    }

    /** A new random id: {@code req_} and 20 base-36 characters (~103 bits). */
    public static String generate() {
        char[] c = new char[20];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "req_" + new String(c);
    }
}
