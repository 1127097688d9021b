package org.ticketledger.huijinbao.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.huijinbao.internal.Codes;
import org.ticketledger.huijinbao.internal.Operation;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.huijinbao.internal.Wire;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * Serves HJB-API v1: authenticates each request (key id, clock window, signature, nonce), applies
 * any armed fault, hands the request to the {@link SandboxBank} and signs the reply. Thread-safe:
 * requests run concurrently, the bank serialises them.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final int MAX_BODY = 64 * 1024;

    private static final Pattern ORDER = Pattern.compile("/v1/orders/([a-z-]+)/([^/]+)");
    private static final Pattern BALANCE = Pattern.compile("/v1/accounts/([^/]+)/balance");
    private static final Pattern POSITION = Pattern.compile("/v1/wealth/plans/([^/]+)/positions/([^/]+)");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ACCOUNT_NO = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String keyId;
    private final SecretKey key;
    private final SandboxBank bank;
    private final FaultQueue faults;
    private final Clock transportClock;
    private final Map<String, Long> seenNonces = new ConcurrentHashMap<>();
    /** The second the nonces were last swept in: a sweep walks them all, so at most one per second. */
    private final java.util.concurrent.atomic.AtomicLong noncesSweptAt = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger inFlight;

    ApiHandler(String keyId, SecretKey key, SandboxBank bank, FaultQueue faults, Clock transportClock,
               AtomicInteger inFlight) {
        this.keyId = keyId;
        this.key = key;
        this.bank = bank;
        this.faults = faults;
        this.transportClock = transportClock;
        this.inFlight = inFlight;
    }

    /** A request that passed authentication: what a reply must be bound to. */
    private record Authentic(String method, String target, String nonce) {
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            serve(ex);
        } catch (IOException e) {
            // The client went away (timed out); what was processed stays processed.
            LOG.debug("reply not delivered: {}", e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.error("sandbox bug while serving {}", ex.getRequestURI().getRawPath(), e);
        } finally {
            ex.close();
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String target = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        Optional<byte[]> body = readBody(ex.getRequestBody());

        String reqKey = ex.getRequestHeaders().getFirst(Signing.KEY_ID);
        String reqTime = ex.getRequestHeaders().getFirst(Signing.TIMESTAMP);
        String nonce = ex.getRequestHeaders().getFirst(Signing.NONCE);
        String signature = ex.getRequestHeaders().getFirst(Signing.SIGNATURE);
        if (!keyId.equals(reqKey)) {
            // Without a known key there is nothing to sign a reply with.
            sendUnsigned(ex, 401, SandboxBank.error(401, Codes.KEY_UNKNOWN, "unknown or missing key id"));
            return;
        }
        if (!Signing.isValidNonce(nonce) || reqTime == null || !reqTime.matches("[0-9]{1,12}") || signature == null) {
            sendUnsigned(ex, 401, SandboxBank.error(401, Codes.SIGNATURE_INVALID,
                    "missing or malformed authentication headers"));
            return;
        }
        Authentic auth = new Authentic(method, target, nonce);
        long timestamp = Long.parseLong(reqTime);
        long nowSeconds = transportClock.instant().getEpochSecond();
        if (Math.abs(nowSeconds - timestamp) > Signing.CLOCK_WINDOW.toSeconds()) {
            send(ex, auth, SandboxBank.error(401, Codes.TIMESTAMP_OUT_OF_WINDOW,
                    "timestamp is more than 300 seconds from the server's clock"), false);
            return;
        }
        if (body.isEmpty()) {
            send(ex, auth, SandboxBank.error(400, Codes.INVALID_REQUEST, "body larger than 64 KiB"), false);
            return;
        }
        String stringToSign = Signing.requestStringToSign(reqKey, method, target, timestamp, nonce, body.get());
        if (!Signing.verify(key, stringToSign, signature)) {
            send(ex, auth, SandboxBank.error(401, Codes.SIGNATURE_INVALID, "signature does not verify"), false);
            return;
        }
        // Only signed requests may use up a nonce, so forgeries cannot block a genuine request.
        forgetOldNonces(nowSeconds);
        if (seenNonces.putIfAbsent(nonce, timestamp) != null) {
            send(ex, auth, SandboxBank.error(401, Codes.NONCE_REPLAYED, "nonce was used before"), false);
            return;
        }
        route(ex, auth, body.get());
    }

    private void route(HttpExchange ex, Authentic auth, byte[] body) throws IOException {
        String path = auth.target().contains("?") ? auth.target().substring(0, auth.target().indexOf('?')) : auth.target();
        Optional<Operation> write = Operation.byWritePath(path);
        if (write.isPresent()) {
            if (!"POST".equals(auth.method())) {
                send(ex, auth, SandboxBank.error(405, Codes.METHOD_NOT_ALLOWED, "use POST"), false);
                return;
            }
            SandboxOperation op = SandboxOperation.valueOf(write.get().name());
            Optional<Fault> fault = faults.take(op);
            if (before(ex, auth, fault)) {
                return;
            }
            SandboxBank.Reply reply = parseWrite(write.get(), body)
                    .map(params -> bank.write(params, fault.filter(Fault::isRefusal).map(f -> f.kind().name())))
                    .orElseGet(() -> SandboxBank.error(400, Codes.INVALID_REQUEST, invalidReason(write.get(), body)));
            after(ex, auth, reply, fault);
            return;
        }
        if (!"GET".equals(auth.method())) {
            send(ex, auth, SandboxBank.error(404, Codes.NOT_FOUND, "no such resource"), false);
            return;
        }
        Matcher m;
        if ((m = ORDER.matcher(path)).matches()) {
            Optional<Operation> op = Operation.bySegment(m.group(1));
            if (op.isEmpty() || !REQUEST_ID.matcher(m.group(2)).matches()) {
                send(ex, auth, SandboxBank.error(404, Codes.NOT_FOUND, "no such resource"), false);
                return;
            }
            String requestId = m.group(2);
            read(ex, auth, SandboxOperation.ORDER_QUERY, () -> bank.order(op.get(), requestId));
        } else if ((m = BALANCE.matcher(path)).matches()) {
            String account = m.group(1);
            read(ex, auth, SandboxOperation.BALANCE, () -> bank.balance(account));
        } else if ((m = POSITION.matcher(path)).matches() && PLAN_ID.matcher(m.group(1)).matches()) {
            PlanId plan = PlanId.of(m.group(1));
            String account = m.group(2);
            read(ex, auth, SandboxOperation.POSITION, () -> bank.position(plan, account));
        } else {
            send(ex, auth, SandboxBank.error(404, Codes.NOT_FOUND, "no such resource"), false);
        }
    }

    private void read(HttpExchange ex, Authentic auth, SandboxOperation op,
                      java.util.function.Supplier<SandboxBank.Reply> action) throws IOException {
        Optional<Fault> fault = faults.take(op);
        if (before(ex, auth, fault)) {
            return;
        }
        after(ex, auth, action.get(), fault);
    }

    /** Applies the part of a fault that comes before processing; true when the request is answered already. */
    private boolean before(HttpExchange ex, Authentic auth, Optional<Fault> fault) throws IOException {
        if (fault.isEmpty()) {
            return false;
        }
        Fault f = fault.get();
        LOG.info("sandbox fault {} on {} {}", f.kind(), auth.method(), auth.target());
        switch (f.kind()) {
            case DELAY -> {
                try {
                    Thread.sleep(f.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
                return false;
            }
            case SERVER_ERROR -> {
                send(ex, auth, SandboxBank.error(500, Codes.INTERNAL_ERROR, "injected server error"), false);
                return true;
            }
            case UNAVAILABLE -> {
                send(ex, auth, SandboxBank.error(503, Codes.TRY_AGAIN, "injected: service unavailable"), false);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Sends the reply, or loses or mangles it as the fault says. */
    private void after(HttpExchange ex, Authentic auth, SandboxBank.Reply reply, Optional<Fault> fault)
            throws IOException {
        Fault.Kind kind = fault.map(Fault::kind).orElse(null);
        if (kind == Fault.Kind.LOST_REPLY) {
            // Closing before the status line drops the connection: the client sees no reply at all.
            ex.close();
            return;
        }
        if (kind == Fault.Kind.SLOW_REPLY) {
            try {
                Thread.sleep(fault.get().delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (kind == Fault.Kind.GATEWAY_TIMEOUT) {
            sendUnsigned(ex, 504, SandboxBank.error(504, "GATEWAY_TIMEOUT", "injected: upstream timed out"));
            return;
        }
        if (kind == Fault.Kind.SERVER_ERROR_AFTER_PROCESSING) {
            send(ex, auth, SandboxBank.error(500, Codes.INTERNAL_ERROR, "injected server error"), false);
            return;
        }
        send(ex, auth, reply, kind == Fault.Kind.FORGED_REPLY);
    }

    private Optional<SandboxBank.Params> parseWrite(Operation op, byte[] body) {
        JsonNode json;
        try {
            json = Wire.JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        String requestId = text(json, "request_id");
        String platform = text(json, "platform_account");
        String currency = text(json, "currency");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches() || platform == null
                || !ACCOUNT_NO.matcher(platform).matches() || !Wire.CURRENCY.equals(currency)) {
            return Optional.empty();
        }
        String counterpart = text(json, op.isWealth() ? "plan_id" : "account_no");
        Pattern counterpartPattern = op.isWealth() ? PLAN_ID : ACCOUNT_NO;
        if (counterpart == null || !counterpartPattern.matcher(counterpart).matches()) {
            return Optional.empty();
        }
        String amount = "";
        if (op != Operation.REDEEM_ALL) {
            amount = text(json, "amount");
            Optional<Money> parsed = Wire.parseYuan(amount);
            if (parsed.isEmpty() || !parsed.get().isPositive()) {
                return Optional.empty();
            }
        } else if (json.has("amount")) {
            return Optional.empty();
        }
        String title = "";
        if (!op.isWealth()) {
            title = text(json, "title");
            if (title == null || title.isBlank() || title.length() > 128) {
                return Optional.empty();
            }
        }
        return Optional.of(new SandboxBank.Params(op, requestId, platform, counterpart, amount, title));
    }

    private static String invalidReason(Operation op, byte[] body) {
        return "malformed " + op + " request: needs request_id, platform_account, "
                + (op.isWealth() ? "plan_id" : "account_no, title")
                + (op == Operation.REDEEM_ALL ? "" : ", a positive amount with two decimals")
                + " and currency CNY";
    }

    private static String text(JsonNode node, String field) {
        JsonNode f = node.get(field);
        return f != null && f.isTextual() ? f.asText() : null;
    }

    private void send(HttpExchange ex, Authentic auth, SandboxBank.Reply reply, boolean forge) throws IOException {
        byte[] bytes = bytes(reply);
        long timestamp = transportClock.instant().getEpochSecond();
        String signature = Signing.sign(key, Signing.replyStringToSign(keyId, reply.status(), auth.method(),
                auth.target(), timestamp, auth.nonce(), bytes));
        if (forge) {
            // Same shape, wrong value: what a man in the middle without the secret could produce.
            char[] c = signature.toCharArray();
            c[0] = c[0] == 'A' ? 'B' : 'A';
            signature = new String(c);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set(Signing.KEY_ID, keyId);
        ex.getResponseHeaders().set(Signing.TIMESTAMP, Long.toString(timestamp));
        ex.getResponseHeaders().set(Signing.NONCE, auth.nonce());
        ex.getResponseHeaders().set(Signing.SIGNATURE, signature);
        write(ex, reply.status(), bytes);
    }

    private static void sendUnsigned(HttpExchange ex, int status, SandboxBank.Reply reply) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        write(ex, status, bytes(reply));
    }

    private static void write(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] bytes(SandboxBank.Reply reply) {
        try {
            return Wire.JSON.writeValueAsBytes(reply.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a reply", e);
        }
    }

    private static Optional<byte[]> readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? Optional.empty() : Optional.of(bytes);
    }

    private void forgetOldNonces(long nowSeconds) {
        // A nonce older than twice the window can never pass the timestamp check again.
        // Swept on every request, the walk over a window's nonces was most of the sandbox's CPU at a
        // few hundred writes per second; a nonce kept a second longer is still refused by its timestamp.
        long horizon = nowSeconds - 2 * Signing.CLOCK_WINDOW.toSeconds();
        long last = noncesSweptAt.get();
        if (seenNonces.size() > 1024 && nowSeconds != last && noncesSweptAt.compareAndSet(last, nowSeconds)) {
            Iterator<Map.Entry<String, Long>> it = seenNonces.entrySet().iterator();
            while (it.hasNext()) {
                if (it.next().getValue() < horizon) {
                    it.remove();
                }
            }
        }
    }
}
