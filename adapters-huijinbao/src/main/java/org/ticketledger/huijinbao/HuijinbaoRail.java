package org.ticketledger.huijinbao;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.huijinbao.internal.Codes;
import org.ticketledger.huijinbao.internal.Operation;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.huijinbao.internal.Wire;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.PositionResult;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;
import org.ticketledger.payment.WealthRail;

/**
 * The Huijinbao (汇金宝) payment rail with its wealth-plan capability, speaking HJB-API v1
 * (adapters-huijinbao/PROTOCOL.md) over {@code java.net.http}.
 *
 * <p>Every request is signed with the shared secret and every reply must carry a valid signature
 * bound to the request it answers; a reply that fails any check is treated as no reply at all, so
 * the outcome is {@link RailOutcome.Unknown}, never a guess. Reads are retried within the call
 * ({@code readAttempts}). Writes are sent once by default; with {@code writeAttempts > 1} an
 * unanswered write is retried within the call, always with the same request id and only after a
 * status query has shown that the rail does not have the order. Whatever is still unresolved is
 * returned as Unknown for the caller to {@link #query} before any retry of its own.
 *
 * <p>Methods never return null and never throw for rail-side failures. They throw
 * {@link IllegalArgumentException} for instructions this rail cannot carry (another rail, another
 * currency, an identity that is not a Huijinbao account number) and {@link IllegalStateException}
 * after {@link #close}. The secret never appears in logs, exception messages or {@link #toString}.
 * Thread-safe.
 */
public final class HuijinbaoRail implements PaymentRail, WealthRail {

    private static final Logger LOG = LoggerFactory.getLogger(HuijinbaoRail.class);

    /** Account numbers as PROTOCOL.md defines them; they appear in URL paths, so nothing needs escaping. */
    static final Pattern ACCOUNT_NO = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final byte[] NO_BODY = new byte[0];
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final URI baseUri;
    private final String origin;
    private final String basePath;
    private final String keyId;
    private final SecretKey key;
    private final String platformAccount;
    private final Optional<PlanId> defaultPlan;
    private final Duration requestTimeout;
    private final Duration callTimeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService executor;
    private final HttpClient http;
    private final RetryPolicy<Reply> readRetry;
    private final RetryPolicy<Reply> writeRetry;
    private final Timeout<Reply> callTimeoutPolicy;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HuijinbaoRail(Builder b) {
        this.baseUri = b.baseUri;
        this.origin = b.baseUri.getScheme() + "://" + b.baseUri.getRawAuthority();
        String path = b.baseUri.getRawPath() == null ? "" : b.baseUri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.keyId = b.keyId;
        this.key = b.key;
        this.platformAccount = b.platformAccount;
        this.defaultPlan = b.defaultPlan;
        this.requestTimeout = b.requestTimeout;
        this.callTimeout = b.callTimeout;
        this.clock = b.clock;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "huijinbao-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.readRetry = retryPolicy(b.readAttempts, b.retryDelay);
        this.writeRetry = retryPolicy(b.writeAttempts, b.retryDelay);
        this.callTimeoutPolicy = Timeout.of(b.callTimeout);
    }

    private static RetryPolicy<Reply> retryPolicy(int attempts, Duration delay) {
        return RetryPolicy.<Reply>builder()
                .handleResultIf(HuijinbaoRail::isRetryable)
                .withMaxAttempts(attempts)
                .withBackoff(delay, delay.multipliedBy(10))
                .build();
    }

    /** A builder; base URI, key id, secret and platform account are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RailId id() {
        return RailId.HUIJINBAO;
    }

    /** The Huijinbao account the platform collects into, pays out from and invests from. */
    public String platformAccount() {
        return platformAccount;
    }

    /** The wealth plan configured as the platform's default, if any. */
    public Optional<PlanId> defaultPlan() {
        return defaultPlan;
    }

    /** Where requests go. */
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public Optional<WealthRail> wealth() {
        return Optional.of(this);
    }

    // ---------------------------------------------------------------- transfers

    @Override
    public RailOutcome collect(Instruction instruction) {
        return transfer(Operation.COLLECT, InstructionType.COLLECT, instruction);
    }

    @Override
    public RailOutcome payout(Instruction instruction) {
        return transfer(Operation.PAYOUT, InstructionType.PAYOUT, instruction);
    }

    private RailOutcome transfer(Operation op, InstructionType expected, Instruction instruction) {
        Objects.requireNonNull(instruction, "instruction");
        requireOpen();
        if (instruction.type() != expected) {
            throw new IllegalArgumentException(op + " needs a " + expected + " instruction, got " + instruction.type());
        }
        if (!RailId.HUIJINBAO.equals(instruction.party().rail())) {
            throw new IllegalArgumentException("the party's account is at " + instruction.party().rail()
                    + ", not at HUIJINBAO");
        }
        if (instruction.party().identityType() != IdentityType.ACCOUNT_NO) {
            throw new IllegalArgumentException("Huijinbao identifies parties by ACCOUNT_NO, not "
                    + instruction.party().identityType());
        }
        String accountNo = instruction.party().identity();
        if (!ACCOUNT_NO.matcher(accountNo).matches()) {
            // A malformed account number in a party's settings is a business problem, not a bug here.
            return new RailOutcome.Declined(org.ticketledger.payment.DeclineReason.ACCOUNT_INVALID,
                    Codes.ACCOUNT_UNKNOWN, "not a Huijinbao account number: \"" + accountNo + "\"");
        }
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("request_id", instruction.requestId().value());
        body.put("platform_account", platformAccount);
        body.put("account_no", accountNo);
        body.put("amount", Wire.yuan(instruction.amount()));
        body.put("currency", Wire.CURRENCY);
        body.put("title", instruction.title());
        return write(op, instruction.requestId(), body,
                new Expected("account_no", accountNo, Optional.of(instruction.amount())));
    }

    // ---------------------------------------------------------------- wealth

    @Override
    public RailOutcome subscribe(WealthInstruction instruction) {
        return wealthWrite(Operation.SUBSCRIBE, instruction);
    }

    @Override
    public RailOutcome redeem(WealthInstruction instruction) {
        return wealthWrite(Operation.REDEEM, instruction);
    }

    private RailOutcome wealthWrite(Operation op, WealthInstruction instruction) {
        Objects.requireNonNull(instruction, "instruction");
        requireOpen();
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("request_id", instruction.requestId().value());
        body.put("platform_account", platformAccount);
        body.put("plan_id", instruction.plan().value());
        body.put("amount", Wire.yuan(instruction.amount()));
        body.put("currency", Wire.CURRENCY);
        return write(op, instruction.requestId(), body,
                new Expected("plan_id", instruction.plan().value(), Optional.of(instruction.amount())));
    }

    @Override
    public RailOutcome redeemAll(RequestId requestId, PlanId plan) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(plan, "plan");
        requireOpen();
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("request_id", requestId.value());
        body.put("platform_account", platformAccount);
        body.put("plan_id", plan.value());
        body.put("currency", Wire.CURRENCY);
        return write(Operation.REDEEM_ALL, requestId, body, new Expected("plan_id", plan.value(), Optional.empty()));
    }

    @Override
    public PositionResult position(PlanId plan) {
        Objects.requireNonNull(plan, "plan");
        requireOpen();
        Reply reply = read("/v1/wealth/plans/" + plan.value() + "/positions/" + platformAccount);
        if (!(reply instanceof Reply.Verified v) || v.status() != 200) {
            return new PositionResult.Unavailable(describe(reply));
        }
        JsonNode b = v.body();
        Optional<Money> principal = Wire.parseYuan(text(b, "principal"));
        Optional<Money> yield = Wire.parseYuan(text(b, "accrued_yield"));
        Optional<Instant> asOf = Wire.parseTime(text(b, "as_of"));
        if (!plan.value().equals(text(b, "plan_id")) || !platformAccount.equals(text(b, "account_no"))
                || principal.isEmpty() || yield.isEmpty() || asOf.isEmpty()) {
            return new PositionResult.Unavailable("position reply does not match the request or lacks fields");
        }
        return new PositionResult.Position(plan, principal.get(), yield.get(), asOf.get());
    }

    // ---------------------------------------------------------------- queries

    @Override
    public RailOutcome query(InstructionType type, RequestId requestId) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
        requireOpen();
        Operation op = Operation.of(type);
        return toOutcome(op, requestId, read(op.queryPath(requestId.value())), Optional.empty());
    }

    @Override
    public BalanceResult balance() {
        requireOpen();
        Reply reply = read("/v1/accounts/" + platformAccount + "/balance");
        if (!(reply instanceof Reply.Verified v) || v.status() != 200) {
            return new BalanceResult.Unavailable(describe(reply));
        }
        Optional<Money> available = Wire.parseYuan(text(v.body(), "available"));
        Optional<Instant> asOf = Wire.parseTime(text(v.body(), "as_of"));
        if (!platformAccount.equals(text(v.body(), "account_no")) || available.isEmpty() || asOf.isEmpty()) {
            return new BalanceResult.Unavailable("balance reply does not match the request or lacks fields");
        }
        return new BalanceResult.Available(available.get(), asOf.get());
    }

    /** Releases the HTTP client's threads; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // HttpClient is AutoCloseable from Java 21 on; on 17 its selector thread ends when it is unreachable.
            if ((Object) http instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing the HTTP client failed", e);
                }
            }
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "HuijinbaoRail[" + baseUri + ", key " + keyId + ", platform account " + platformAccount + "]";
    }

    // ---------------------------------------------------------------- machinery

    /** What the caller asked for, to check that a reply answers this request and no other. */
    private record Expected(String counterpartField, String counterpart, Optional<Money> amount) {
    }

    /** A reply whose signature checked out, or the reason there is none. */
    private sealed interface Reply {
        record Verified(int status, JsonNode body) implements Reply {
        }

        record Failed(String cause) implements Reply {
        }
    }

    private static boolean isRetryable(Reply reply) {
        if (reply instanceof Reply.Verified v) {
            // A replayed nonce means the same bytes arrived twice (a transport-level resend); a fresh
            // attempt with a new nonce is what the protocol expects.
            return v.status() >= 500 || (v.status() == 401 && Codes.NONCE_REPLAYED.equals(text(v.body(), "code")));
        }
        return true;
    }

    private RailOutcome write(Operation op, RequestId requestId, ObjectNode body, Expected expected) {
        byte[] bytes;
        try {
            bytes = Wire.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
        Reply reply;
        try {
            reply = Failsafe.with(callTimeoutPolicy).compose(writeRetry).get(ctx -> {
                if (!ctx.isFirstAttempt()) {
                    // Never resend blind: ask first, and resend only when the rail says it has no such order.
                    Reply status = exchange("GET", op.queryPath(requestId.value()), NO_BODY);
                    if (!isOrderNotFound(status)) {
                        return status;
                    }
                    LOG.debug("Huijinbao {} {}: not found after an unanswered attempt; sending it again", op, requestId);
                }
                return exchange("POST", op.writePath(), bytes);
            });
        } catch (TimeoutExceededException e) {
            reply = new Reply.Failed("no answer within " + callTimeout.toMillis() + " ms");
        } catch (FailsafeException e) {
            reply = new Reply.Failed("call failed: " + e.getClass().getSimpleName());
        }
        RailOutcome outcome = toOutcome(op, requestId, reply, Optional.of(expected));
        if (outcome instanceof RailOutcome.Unknown u) {
            LOG.warn("Huijinbao {} {}: outcome unknown ({}); query before any retry", op, requestId, u.cause());
        } else {
            LOG.debug("Huijinbao {} {}: {}", op, requestId, outcome.getClass().getSimpleName());
        }
        return outcome;
    }

    private Reply read(String path) {
        try {
            return Failsafe.with(callTimeoutPolicy).compose(readRetry).get(() -> exchange("GET", path, NO_BODY));
        } catch (TimeoutExceededException e) {
            return new Reply.Failed("no answer within " + callTimeout.toMillis() + " ms");
        } catch (FailsafeException e) {
            return new Reply.Failed("call failed: " + e.getClass().getSimpleName());
        }
    }

    private static boolean isOrderNotFound(Reply reply) {
        return reply instanceof Reply.Verified v && v.status() == 404
                && Codes.ORDER_NOT_FOUND.equals(text(v.body(), "code"));
    }

    /** One signed HTTP exchange; every failure becomes {@link Reply.Failed}, nothing is thrown. */
    private Reply exchange(String method, String path, byte[] body) {
        String target = basePath + path;
        long timestamp = clock.instant().getEpochSecond();
        String nonce = Signing.newNonce(random);
        String signature = Signing.sign(key, Signing.requestStringToSign(keyId, method, target, timestamp, nonce, body));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + target))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header(Signing.KEY_ID, keyId)
                .header(Signing.TIMESTAMP, Long.toString(timestamp))
                .header(Signing.NONCE, nonce)
                .header(Signing.SIGNATURE, signature);
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.GET();
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            LOG.debug("{} {}: no reply within {} ms", method, target, requestTimeout.toMillis());
            return new Reply.Failed("no reply within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            LOG.debug("{} {}: transport failure {}", method, target, e.getClass().getSimpleName());
            return new Reply.Failed("transport failure: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply.Failed("interrupted while waiting for the reply");
        }
        LOG.debug("{} {} -> HTTP {} in {} ms", method, target, response.statusCode(),
                (System.nanoTime() - started) / 1_000_000);
        return verify(method, target, nonce, response);
    }

    private Reply verify(String method, String target, String nonce, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Optional<String> replyKey = response.headers().firstValue(Signing.KEY_ID);
        Optional<String> replyNonce = response.headers().firstValue(Signing.NONCE);
        Optional<String> replyTime = response.headers().firstValue(Signing.TIMESTAMP);
        Optional<String> replySignature = response.headers().firstValue(Signing.SIGNATURE);
        if (replyKey.isEmpty() || replyNonce.isEmpty() || replyTime.isEmpty() || replySignature.isEmpty()) {
            return new Reply.Failed("unsigned reply (HTTP " + status + ")");
        }
        if (!keyId.equals(replyKey.get()) || !nonce.equals(replyNonce.get())) {
            return new Reply.Failed("reply is bound to another key or request (HTTP " + status + ")");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(replyTime.get());
        } catch (NumberFormatException e) {
            return new Reply.Failed("reply timestamp unreadable (HTTP " + status + ")");
        }
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > Signing.CLOCK_WINDOW.toSeconds()) {
            return new Reply.Failed("reply timestamp outside the clock window (HTTP " + status + ")");
        }
        String stringToSign = Signing.replyStringToSign(keyId, status, method, target, timestamp, nonce,
                response.body());
        if (!Signing.verify(key, stringToSign, replySignature.get())) {
            return new Reply.Failed("reply signature invalid (HTTP " + status + ")");
        }
        JsonNode json;
        try {
            json = Wire.JSON.readTree(response.body());
        } catch (IOException e) {
            return new Reply.Failed("reply body unreadable (HTTP " + status + ")");
        }
        if (json == null || !json.isObject()) {
            return new Reply.Failed("reply body is not a JSON object (HTTP " + status + ")");
        }
        return new Reply.Verified(status, json);
    }

    private RailOutcome toOutcome(Operation op, RequestId requestId, Reply reply, Optional<Expected> expected) {
        if (reply instanceof Reply.Failed f) {
            return new RailOutcome.Unknown(f.cause());
        }
        Reply.Verified v = (Reply.Verified) reply;
        JsonNode b = v.body();
        int status = v.status();
        String code = text(b, "code");
        if ((status == 200 || status == 422) && b.has("request_id")) {
            return order(op, requestId, b, expected);
        }
        if (status == 404 && Codes.ORDER_NOT_FOUND.equals(code) && expected.isEmpty()) {
            return new RailOutcome.NotFound("Huijinbao has no " + op + " under " + requestId);
        }
        if (status == 409 && code != null) {
            return new RailOutcome.Conflict(code, messageOf(b));
        }
        if (status == 400 && code != null) {
            // Nothing was recorded and the same request would be refused the same way: final.
            return new RailOutcome.Declined(Codes.declineReason(code), code, messageOf(b));
        }
        return new RailOutcome.Unknown("HTTP " + status + (code == null ? "" : " " + code));
    }

    private RailOutcome order(Operation op, RequestId requestId, JsonNode b, Optional<Expected> expected) {
        if (!requestId.value().equals(text(b, "request_id")) || !op.name().equals(text(b, "operation"))
                || !Wire.CURRENCY.equals(text(b, "currency"))) {
            return new RailOutcome.Unknown("reply describes another order");
        }
        if (expected.isPresent() && !expected.get().counterpart().equals(text(b, expected.get().counterpartField()))) {
            return new RailOutcome.Unknown("reply describes another order");
        }
        String status = text(b, "status");
        if ("FAILED".equals(status)) {
            String failure = text(b, "failure_code");
            if (failure == null || failure.isBlank()) {
                return new RailOutcome.Unknown("failed order without a failure code");
            }
            String message = Optional.ofNullable(text(b, "failure_message")).orElse("");
            return new RailOutcome.Declined(Codes.declineReason(failure), failure, message);
        }
        if ("PROCESSING".equals(status)) {
            return new RailOutcome.Pending("Huijinbao is still processing " + op + " " + requestId);
        }
        if (!"SUCCEEDED".equals(status)) {
            return new RailOutcome.Unknown("order status unreadable");
        }
        String txn = text(b, "txn_id");
        Optional<Money> amount = Wire.parseYuan(text(b, "amount"));
        Optional<Instant> at = Wire.parseTime(text(b, "completed_at"));
        if (txn == null || txn.isBlank() || amount.isEmpty() || at.isEmpty()) {
            return new RailOutcome.Unknown("succeeded order lacks txn_id, amount or completed_at");
        }
        if (expected.flatMap(Expected::amount).filter(a -> !a.equals(amount.get())).isPresent()) {
            return new RailOutcome.Unknown("reply amount differs from the request");
        }
        if (op != Operation.REDEEM_ALL) {
            return new RailOutcome.Succeeded(txn, amount.get(), at.get());
        }
        Optional<Money> principal = Wire.parseYuan(text(b, "principal"));
        Optional<Money> yield = Wire.parseYuan(text(b, "yield"));
        if (principal.isEmpty() || yield.isEmpty() || !principal.get().plus(yield.get()).equals(amount.get())) {
            return new RailOutcome.Unknown("redeem-all reply: amount is not principal plus yield");
        }
        return new RailOutcome.Succeeded(txn, amount.get(), at.get(), yield);
    }

    private static String describe(Reply reply) {
        if (reply instanceof Reply.Failed f) {
            return f.cause();
        }
        Reply.Verified v = (Reply.Verified) reply;
        String code = text(v.body(), "code");
        return "HTTP " + v.status() + (code == null ? "" : " " + code);
    }

    private static String messageOf(JsonNode b) {
        return Optional.ofNullable(text(b, "message")).orElse("");
    }

    private static String text(JsonNode node, String field) {
        JsonNode f = node.get(field);
        return f != null && f.isTextual() ? f.asText() : null;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this HuijinbaoRail is closed");
        }
    }

    /**
     * Configures a {@link HuijinbaoRail}; each setter checks its argument at once. Not thread-safe;
     * {@link #build()} may be called more than once.
     */
    public static final class Builder {

        private URI baseUri;
        private String keyId;
        private SecretKey key;
        private String platformAccount;
        private Optional<PlanId> defaultPlan = Optional.empty();
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(45);
        private Duration retryDelay = Duration.ofMillis(200);
        private int readAttempts = 3;
        private int writeAttempts = 1;
        private Clock clock = Clock.systemUTC();
        private boolean allowPlainHttp;

        private Builder() {
        }

        /** The gateway, e.g. {@code https://api.huijinbao.example/open}; the {@code /v1/...} paths are appended. */
        public Builder baseUri(URI uri) {
            Objects.requireNonNull(uri, "baseUri");
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("base URI must be http(s): " + uri);
            }
            if (uri.getRawAuthority() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("base URI needs a host and no query or fragment: " + uri);
            }
            this.baseUri = uri;
            return this;
        }

        public Builder baseUri(String uri) {
            return baseUri(URI.create(Objects.requireNonNull(uri, "baseUri")));
        }

        /** The key id Huijinbao issued with the secret. */
        public Builder keyId(String keyId) {
            if (!Signing.isValidKeyId(keyId)) {
                throw new IllegalArgumentException("key id must be 1-64 of [A-Za-z0-9_.-]");
            }
            this.keyId = keyId;
            return this;
        }

        /** The shared HMAC secret as Base64 text (at least 32 bytes decoded). Never logged. */
        public Builder secret(String base64Secret) {
            this.key = Signing.key(base64Secret);
            return this;
        }

        /** The platform's own Huijinbao account number. */
        public Builder platformAccount(String accountNo) {
            Objects.requireNonNull(accountNo, "platformAccount");
            if (!ACCOUNT_NO.matcher(accountNo).matches()) {
                throw new IllegalArgumentException("platform account must be 1-32 of [A-Za-z0-9_-]");
            }
            this.platformAccount = accountNo;
            return this;
        }

        /** The wealth plan the platform invests in by default (see {@link HuijinbaoRail#defaultPlan()}). */
        public Builder defaultPlan(PlanId plan) {
            this.defaultPlan = Optional.of(Objects.requireNonNull(plan, "defaultPlan"));
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one HTTP attempt may wait for its reply. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How long one call (all attempts and queries) may take before it answers Unknown. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /** The first pause between attempts; later pauses grow up to ten times this. */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = positive(delay, "retryDelay");
            return this;
        }

        /** Attempts per read (status query, balance, position), 1-10; default 3. */
        public Builder readAttempts(int attempts) {
            this.readAttempts = attempts(attempts, "readAttempts");
            return this;
        }

        /**
         * Attempts per write, 1-10; default 1, so an unanswered write comes back {@code Unknown} at
         * once and the caller's own durable retry (query, then resend) resolves it. With more, the
         * rail resolves it within the call: it queries first and resends the same request id only
         * when the rail has no such order.
         */
        public Builder writeAttempts(int attempts) {
            this.writeAttempts = attempts(attempts, "writeAttempts");
            return this;
        }

        private static int attempts(int attempts, String name) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException(name + " must be 1-10, was " + attempts);
            }
            return attempts;
        }

        /** The clock that stamps requests and judges reply timestamps (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Allows plain {@code http} to hosts other than loopback. Off by default: the protocol runs
         * over HTTPS, and plain HTTP is only for a sandbox on this machine.
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * The rail.
         *
         * @throws IllegalStateException if a required setting is missing or plain HTTP is used off loopback
         */
        public HuijinbaoRail build() {
            if (baseUri == null || keyId == null || key == null || platformAccount == null) {
                throw new IllegalStateException("HuijinbaoRail needs baseUri, keyId, secret and platformAccount");
            }
            if ("http".equals(baseUri.getScheme()) && !allowPlainHttp && !isLoopback(baseUri.getHost())) {
                throw new IllegalStateException("plain http is allowed for loopback only; use https for " + baseUri.getHost());
            }
            return new HuijinbaoRail(this);
        }

        private static boolean isLoopback(String host) {
            if (host == null) {
                return false;
            }
            if ("localhost".equalsIgnoreCase(host)) {
                return true;
            }
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            // Only literal addresses: no DNS lookups while configuring.
            if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                return false;
            }
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
