package org.ticketledger.example.idempotency;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ticketledger.example.auth.AuthFilter;
import org.ticketledger.example.auth.NonceStore;
import org.ticketledger.example.auth.RequestSigning;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.Problem;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Problems;
import org.ticketledger.example.http.RouteFilter;
import org.ticketledger.example.http.RouteSpec;
import org.ticketledger.example.http.Routes;

/**
 * Makes every money-moving route idempotent by {@code Idempotency-Key}: the same key with the same
 * request (method, path with query, body bytes) replays the first response with
 * {@code Idempotent-Replayed: true}; with a different request it is refused with
 * {@link ProblemType#IDEMPOTENCY_KEY_REUSED}. Keys are scoped to the authenticated principal.
 *
 * <p>Not stored, so the key may be used again: responses that say the request was never acted on
 * (malformed or invalid input, rate limit) and server errors (the outcome is not known to the
 * caller; the money-moving code below is itself idempotent by request id, so a retry is safe).
 * Thread-safe.
 */
public final class IdempotencyFilter implements RouteFilter {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";
    /** Set on replayed responses. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private static final String CLAIM = "tl.idempotencyClaim";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Set<ProblemType> NOT_ACTED_ON = EnumSet.of(ProblemType.MALFORMED_JSON, ProblemType.BAD_REQUEST,
            ProblemType.PAYLOAD_TOO_LARGE, ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.VALIDATION_FAILED,
            ProblemType.RATE_LIMITED, ProblemType.SERVICE_UNAVAILABLE, ProblemType.INTERNAL_ERROR);

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration lease;

    private IdempotencyFilter(IdempotencyStore store, Clock clock, Duration lease) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
    }

    /** A filter over {@code store}; an unfinished claim may be taken over after {@code lease}. */
    public static IdempotencyFilter of(IdempotencyStore store, Clock clock, Duration lease) {
        return new IdempotencyFilter(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(lease, "lease"));
    }

    @Override
    public void apply(Context ctx, RouteSpec route, Handler next) throws Exception {
        if (!route.moneyMoving()) {
            next.handle(ctx);
            return;
        }
        String key = ctx.header(HEADER);
        // A nonce the authentication left to us is recorded before anything else, as it would have been there.
        Optional<NonceStore.Use> nonce = AuthFilter.deferredNonce(ctx);
        if (key == null || !KEY.matcher(key).matches()) {
            if (nonce.isPresent() && !store.firstUse(nonce.get())) {
                throw AuthFilter.replayedNonce();
            }
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REQUIRED, key == null
                    ? "this request moves money: send an Idempotency-Key header (a new random value per operation)"
                    : "the Idempotency-Key must be 1-128 printable ASCII characters");
        }
        String principal = Routes.principal(ctx).id();
        String pathAndQuery = ctx.req().getRequestURI() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        String hash = RequestSigning.sha256Hex((ctx.method().name() + "\n" + pathAndQuery + "\n"
                + RequestSigning.sha256Hex(ctx.bodyAsBytes())).getBytes(StandardCharsets.UTF_8));
        IdempotencyStore.Claim claim = store.claim(principal, key, hash, ctx.method().name(), pathAndQuery, clock.instant(), lease,
                nonce);
        if (claim instanceof IdempotencyStore.Claim.ReplayedNonce) {
            throw AuthFilter.replayedNonce();
        } else if (claim instanceof IdempotencyStore.Claim.Replay r) {
            replay(ctx, r.response());
        } else if (claim instanceof IdempotencyStore.Claim.Mismatch m) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was already used for a "
                    + "different request (" + m.method() + " " + m.path() + " or another body); use a new key for a new operation");
        } else if (claim instanceof IdempotencyStore.Claim.InProgress) {
            throw new ApiException(Problem.of(ProblemType.IDEMPOTENCY_IN_PROGRESS,
                    "a request with this Idempotency-Key is still being processed; retry shortly"), Map.of("Retry-After", "1"));
        } else {
            run(ctx, next, principal, key);
        }
    }

    /**
     * The granted claim of the request being handled, for a handler whose operation commits the
     * answer itself ({@link OpenClaim#completeOn}); empty if the route is not money-moving.
     */
    public static Optional<OpenClaim> claim(Context ctx) {
        return Optional.ofNullable(ctx.attribute(CLAIM));
    }

    /** A granted claim that the handler may complete inside its own transaction. */
    public final class OpenClaim {
        private final String principal;
        private final String key;
        private volatile boolean completed;

        private OpenClaim(String principal, String key) {
            this.principal = principal;
            this.key = key;
        }

        /**
         * Stores the response {@code ctx} holds now (status, content type, Location, body; set them
         * first) on {@code connection}, inside the caller's transaction; once it commits the filter
         * leaves the record alone, and the handler must not change the response.
         */
        public void completeOn(Connection connection, Context ctx) throws SQLException {
            store.completeOn(connection, principal, key, response(ctx, ctx.statusCode()), clock.instant());
            completed = true;
        }

        /** Whether {@link #completeOn} ran (and, since the handler returned normally, committed). */
        public boolean completed() {
            return completed;
        }
    }

    private void run(Context ctx, Handler next, String principal, String key) throws Exception {
        ProblemType problem = null;
        OpenClaim open = new OpenClaim(principal, key);
        ctx.attribute(CLAIM, open);
        try {
            next.handle(ctx);
        } catch (ApiException e) {
            problem = e.problem().type();
            Problems.write(ctx, e.problem(), e.headers());
        } catch (Exception | Error e) {
            store.release(principal, key);
            throw e;
        }
        int status = ctx.statusCode();
        if (status >= 500 || (problem != null && NOT_ACTED_ON.contains(problem))) {
            store.release(principal, key);
            return;
        }
        if (open.completed()) {
            return;
        }
        store.complete(principal, key, response(ctx, status), clock.instant());
    }

    private static IdempotencyStore.StoredResponse response(Context ctx, int status) {
        String contentType = Optional.ofNullable(ctx.res().getContentType()).orElse("application/json");
        String body = Optional.ofNullable(ctx.result()).orElse("");
        return new IdempotencyStore.StoredResponse(status, contentType, Optional.ofNullable(ctx.res().getHeader("Location")), body);
    }

    private static void replay(Context ctx, IdempotencyStore.StoredResponse r) {
        r.location().ifPresent(l -> ctx.header("Location", l));
        ctx.header(REPLAYED, "true");
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }
}
