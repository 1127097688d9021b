package org.ticketledger.example.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.http.Problem;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.RouteFilter;
import org.ticketledger.example.http.RouteSpec;
import org.ticketledger.example.http.Routes;

/**
 * Authenticates every route by its declared {@link Access}: distributors by HMAC-signed request
 * (see {@link RequestSigning}), admins by bearer token; device routes check the device's access
 * token themselves ({@link RouteSpec#selfAuthenticating()}). Each family accepts only its own
 * credentials. For distributors the order is: headers present and well-formed,
 * key live, timestamp inside the window, signature valid, rate limit, then the nonce is recorded —
 * last, so that a refused request does not burn the caller's nonce and only genuine requests fill
 * the table (on money-moving routes, with {@link #deferringMoneyMovingNonces}, together with the
 * idempotency claim that follows). Thread-safe.
 */
public final class AuthFilter implements RouteFilter {

    /** How far a signed timestamp may be from the server clock. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Extra time a nonce is kept beyond its window, for clock differences between instances. */
    static final Duration NONCE_SLACK = Duration.ofMinutes(1);

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final String DEFERRED_NONCE = "tl.deferredNonce";
    private static final String HMAC_CHALLENGE = RequestSigning.ALGORITHM + " realm=\"distributor\"";

    private final AdminTokens adminTokens;
    private final ApiKeys apiKeys;
    private final NonceStore nonces;
    private final RateLimiter limiter;
    private final RateLimiter.Limit defaultLimit;
    private final Clock clock;
    private final boolean deferMoneyMovingNonces;

    private AuthFilter(AdminTokens adminTokens, ApiKeys apiKeys, NonceStore nonces, RateLimiter limiter,
                       RateLimiter.Limit defaultLimit, Clock clock, boolean deferMoneyMovingNonces) {
        this.adminTokens = adminTokens;
        this.apiKeys = apiKeys;
        this.nonces = nonces;
        this.limiter = limiter;
        this.defaultLimit = defaultLimit;
        this.clock = clock;
        this.deferMoneyMovingNonces = deferMoneyMovingNonces;
    }

    /** A filter over the given credential stores; {@code defaultLimit} applies to distributors without their own. */
    public static AuthFilter of(AdminTokens adminTokens, ApiKeys apiKeys, NonceStore nonces, RateLimiter limiter,
                                RateLimiter.Limit defaultLimit, Clock clock) {
        return new AuthFilter(Objects.requireNonNull(adminTokens, "adminTokens"), Objects.requireNonNull(apiKeys, "apiKeys"),
                Objects.requireNonNull(nonces, "nonces"), Objects.requireNonNull(limiter, "limiter"),
                Objects.requireNonNull(defaultLimit, "defaultLimit"), Objects.requireNonNull(clock, "clock"), false);
    }

    /**
     * This filter, except that on money-moving routes it leaves the nonce of a distributor request
     * to the next filter ({@link #deferredNonce}), which must record it before anything else
     * happens: the idempotency filter records it with its claim, one statement instead of two.
     */
    public AuthFilter deferringMoneyMovingNonces() {
        return new AuthFilter(adminTokens, apiKeys, nonces, limiter, defaultLimit, clock, true);
    }

    /** The nonce this filter left to be recorded with the request's next write, if it did. */
    public static Optional<NonceStore.Use> deferredNonce(Context ctx) {
        return Optional.ofNullable(ctx.attribute(DEFERRED_NONCE));
    }

    /** The refusal of a request whose nonce was used before. */
    public static ApiException replayedNonce() {
        return unauthenticated(ProblemType.REPLAYED_NONCE, "this nonce was already used with this key", HMAC_CHALLENGE);
    }

    @Override
    public void apply(Context ctx, RouteSpec route, Handler next) throws Exception {
        Principal p = switch (route.access()) {
            case PUBLIC -> new Principal.Anonymous();
            case DISTRIBUTOR -> distributor(ctx, route);
            case ADMIN, ADMIN_READ -> admin(ctx, route);
            // Device routes check the device's token themselves and answer in DEVICE-API.md's terms
            // (RouteSpec allows DEVICE only on self-authenticating routes).
            case DEVICE -> new Principal.Anonymous();
        };
        Routes.principal(ctx, p);
        next.handle(ctx);
    }

    private Principal.Admin admin(Context ctx, RouteSpec route) {
        String challenge = "Bearer realm=\"admin\"";
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() == 7) {
            throw unauthenticated(ProblemType.AUTHENTICATION_REQUIRED, "send an admin token as Authorization: Bearer <token>", challenge);
        }
        Principal.Admin admin = adminTokens.find(auth.substring(7).trim())
                .orElseThrow(() -> unauthenticated(ProblemType.INVALID_CREDENTIALS, "unknown admin token", challenge));
        if (route.access() == Access.ADMIN && admin.role() != Principal.AdminRole.OPERATOR) {
            throw new ApiException(ProblemType.FORBIDDEN, "the " + admin.role().name().toLowerCase(java.util.Locale.ROOT)
                    + " role may not " + route.method() + " " + route.path());
        }
        return admin;
    }

    private Principal.Distributor distributor(Context ctx, RouteSpec route) {
        String keyId = ctx.header(RequestSigning.KEY);
        String ts = ctx.header(RequestSigning.TIMESTAMP);
        String nonce = ctx.header(RequestSigning.NONCE);
        String signature = ctx.header(RequestSigning.SIGNATURE);
        List<FieldError> errors = new ArrayList<>();
        check(errors, RequestSigning.KEY, keyId, KEY_ID, "an API key id");
        check(errors, RequestSigning.TIMESTAMP, ts, TIMESTAMP, "Unix time in seconds");
        check(errors, RequestSigning.NONCE, nonce, NONCE, "16-64 characters [A-Za-z0-9_-], new for every request");
        check(errors, RequestSigning.SIGNATURE, signature, SIGNATURE, "64 lowercase hex characters");
        if (!errors.isEmpty()) {
            throw new ApiException(new Problem(ProblemType.AUTHENTICATION_REQUIRED,
                    "distributor requests must be signed with an API key", errors),
                    Map.of("WWW-Authenticate", HMAC_CHALLENGE));
        }
        ApiKeys.ActiveKey key = apiKeys.active(keyId)
                .orElseThrow(() -> unauthenticated(ProblemType.INVALID_CREDENTIALS, "unknown or revoked API key", HMAC_CHALLENGE));
        Instant now = clock.instant();
        long timestamp = Long.parseLong(ts);
        if (Math.abs(now.getEpochSecond() - timestamp) > WINDOW.toSeconds()) {
            throw unauthenticated(ProblemType.STALE_TIMESTAMP, "the timestamp " + ts + " is more than "
                    + WINDOW.toSeconds() + " s from the server time " + now.getEpochSecond(), HMAC_CHALLENGE);
        }
        String pathAndQuery = ctx.req().getRequestURI() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        String expected = RequestSigning.sign(key.secret(), RequestSigning.stringToSign(
                keyId, ctx.method().name(), pathAndQuery, timestamp, nonce, ctx.bodyAsBytes()));
        if (!RequestSigning.matches(expected, signature)) {
            throw unauthenticated(ProblemType.INVALID_SIGNATURE, "the signature does not match the request "
                    + "(method, path with query, timestamp, nonce and body digest)", HMAC_CHALLENGE);
        }
        long retryAfter = limiter.acquire(key.distributorId(), key.limit().orElse(defaultLimit));
        if (retryAfter > 0) {
            throw new ApiException(Problem.of(ProblemType.RATE_LIMITED, "rate limit of distributor " + key.distributorId()
                    + " exceeded; retry in " + retryAfter + " s"), Map.of("Retry-After", Long.toString(retryAfter)));
        }
        Instant keepUntil = Instant.ofEpochSecond(timestamp).plus(WINDOW).plus(NONCE_SLACK);
        if (deferMoneyMovingNonces && route.moneyMoving()) {
            ctx.attribute(DEFERRED_NONCE, new NonceStore.Use(keyId, nonce, keepUntil));
        } else if (!nonces.firstUse(keyId, nonce, keepUntil)) {
            throw replayedNonce();
        }
        return new Principal.Distributor(key.distributorId(), keyId);
    }

    private static void check(List<FieldError> errors, String header, String value, Pattern pattern, String expected) {
        if (value == null) {
            errors.add(new FieldError("#/header/" + header, "missing; expected " + expected));
        } else if (!pattern.matcher(value).matches()) {
            errors.add(new FieldError("#/header/" + header, "malformed; expected " + expected));
        }
    }

    private static ApiException unauthenticated(ProblemType type, String detail, String challenge) {
        return new ApiException(Problem.of(type, detail), Map.of("WWW-Authenticate", challenge));
    }
}
