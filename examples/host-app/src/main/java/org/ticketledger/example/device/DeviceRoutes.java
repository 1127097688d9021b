package org.ticketledger.example.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Routes;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.UnableToAccessStoreException;
import org.ticketledger.ticketing.device.AuthResult;
import org.ticketledger.ticketing.device.DeviceError;
import org.ticketledger.ticketing.device.DeviceSession;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.device.Heartbeat;
import org.ticketledger.ticketing.device.HeartbeatAnswer;
import org.ticketledger.ticketing.device.LoginRequest;
import org.ticketledger.ticketing.device.LoginResult;
import org.ticketledger.ticketing.device.OnlineRedeemResult;
import org.ticketledger.ticketing.device.PriorRedemption;
import org.ticketledger.ticketing.device.ProvisionRequest;
import org.ticketledger.ticketing.device.ProvisionResult;
import org.ticketledger.ticketing.device.RedeemAnswer;
import org.ticketledger.ticketing.device.SpotRef;
import org.ticketledger.ticketing.device.SyncItem;
import org.ticketledger.ticketing.device.SyncRecordResult;
import org.ticketledger.ticketing.device.TokenGrant;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.Revocation;
import org.ticketledger.verify.RevocationDelta;
import org.ticketledger.verify.ScanRecord;

/**
 * The device API, {@code /device/v1/...}, exactly as verification-sdk's DEVICE-API.md describes
 * it, over {@link Ticketing#devices()} and {@link Ticketing#codes()}. Every body it sends carries
 * {@code serverTime}; errors are {@code application/problem+json} with the document's codes; the
 * device's own bearer tokens authenticate (the host's admin and distributor authentication does not
 * apply to these routes). The host app declares them with {@link #register(Routes)} (documented,
 * self-authenticating); {@link #register(RoutesConfig)} puts them on a bare Javalin. Thread-safe; never logs tokens, credentials, passwords or PINs.
 */
public final class DeviceRoutes implements ApiModule {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_BASE = "https://ticketledger.org/problems/device/";
    private static final Pattern DECIMAL = Pattern.compile("[1-9][0-9]{0,18}");
    private static final int MAX_SYNC = 100;
    /** The base path of the device API. */
    public static final String BASE = "/device/v1";

    private final Devices devices;
    private final Ticketing ticketing;
    private final Clock clock;

    /**
     * One route of the device API with what an API document says about it.
     *
     * @param method      HTTP method
     * @param path        the path
     * @param operationId a unique name for API documents
     * @param bearer      whether it needs the session's access token
     * @param summary     what it does
     * @param request     the JSON schema of the body, if it takes one
     * @param status      the success status
     * @param response    the JSON schema of the success body (none for 204)
     * @param errors      the problems it answers besides {@code malformed-request}, {@code server-error}
     *                    and {@code unavailable}
     * @param handler     the handler (answers every failure itself)
     */
    public record Endpoint(String method, String path, String operationId, boolean bearer, String summary,
                           Optional<ObjectNode> request, int status, Optional<ObjectNode> response, List<DeviceError> errors,
                           Handler handler) {
        public Endpoint {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(operationId, "operationId");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(response, "response");
            errors = List.copyOf(errors);
            Objects.requireNonNull(handler, "handler");
        }
    }

    /** Routes over {@code ticketing}; {@code clock} gives {@code serverTime} (use ticketing's clock). */
    public DeviceRoutes(Ticketing ticketing, Clock clock) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
        this.devices = ticketing.devices();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The ten routes of DEVICE-API.md §4. */
    public List<Endpoint> endpoints() {
        List<DeviceError> session = List.of(DeviceError.UNAUTHENTICATED, DeviceError.TOKEN_EXPIRED, DeviceError.DEVICE_REVOKED,
                DeviceError.OPERATOR_REVOKED, DeviceError.OPERATOR_NOT_ALLOWED, DeviceError.SESSION_REVOKED);
        List<DeviceError> redeem = new ArrayList<>(session);
        redeem.addAll(List.of(DeviceError.BAD_RECORD, DeviceError.IDEMPOTENCY_CONFLICT));
        return List.of(
                new Endpoint("GET", BASE + "/time", "deviceTime", false, "Server time for the device's clock check",
                        Optional.empty(), 200, Optional.of(DeviceSchemas.TIME), List.of(), guarded(this::time)),
                new Endpoint("POST", BASE + "/provision", "deviceProvision", false,
                        "Register a device with a one-time provisioning token (from the admin's QR code)",
                        Optional.of(DeviceSchemas.PROVISION), 201, Optional.of(DeviceSchemas.PROVISIONED),
                        List.of(DeviceError.PROVISIONING_TOKEN_INVALID), guarded(this::provision)),
                new Endpoint("POST", BASE + "/login", "deviceLogin", false,
                        "Start an operator session on a provisioned device (password or PIN)",
                        Optional.of(DeviceSchemas.LOGIN), 200, Optional.of(DeviceSchemas.GRANT),
                        List.of(DeviceError.INVALID_CREDENTIALS, DeviceError.DEVICE_REVOKED, DeviceError.OPERATOR_REVOKED,
                                DeviceError.OPERATOR_NOT_ALLOWED, DeviceError.DEVICE_KEY_MISMATCH, DeviceError.TOO_MANY_ATTEMPTS),
                        guarded(this::login)),
                new Endpoint("POST", BASE + "/refresh", "deviceRefresh", false, "Rotate the session's tokens",
                        Optional.of(DeviceSchemas.REFRESH), 200, Optional.of(DeviceSchemas.GRANT),
                        List.of(DeviceError.INVALID_REFRESH_TOKEN, DeviceError.DEVICE_REVOKED, DeviceError.OPERATOR_REVOKED,
                                DeviceError.SESSION_REVOKED),
                        guarded(this::refresh)),
                new Endpoint("POST", BASE + "/logout", "deviceLogout", true, "End the session (both tokens)",
                        Optional.of(DeviceSchemas.REFRESH), 204, Optional.empty(), List.of(DeviceError.UNAUTHENTICATED),
                        guarded(this::logout)),
                new Endpoint("GET", BASE + "/keys", "deviceKeys", true,
                        "The issuer key set (ETag = version; If-None-Match answers 304)",
                        Optional.empty(), 200, Optional.of(DeviceSchemas.KEYS), session, guarded(this::keys)),
                new Endpoint("GET", BASE + "/revocations", "deviceRevocations", true,
                        "Revoked tickets above a version (a delta), or the whole list",
                        Optional.empty(), 200, Optional.of(DeviceSchemas.REVOCATIONS), session, guarded(this::revocations)),
                new Endpoint("POST", BASE + "/redeem", "deviceRedeem", true,
                        "Online redemption of one scan record (Idempotency-Key = recordId); every business outcome is a 200",
                        Optional.of(DeviceSchemas.SCAN_RECORD), 200, Optional.of(DeviceSchemas.REDEEMED), redeem,
                        guarded(this::redeem)),
                new Endpoint("POST", BASE + "/sync", "deviceSync", true,
                        "Upload offline scan records (earliest scan wins; later ones are conflicts)",
                        Optional.of(DeviceSchemas.SYNC), 200, Optional.of(DeviceSchemas.SYNCED), session, guarded(this::sync)),
                new Endpoint("POST", BASE + "/heartbeat", "deviceHeartbeat", true,
                        "Device health report (queue depth, last sync, versions, clock)",
                        Optional.of(DeviceSchemas.HEARTBEAT), 200, Optional.of(DeviceSchemas.HEARTBEAT_ANSWER), session,
                        guarded(this::heartbeat)));
    }

    /** Registers every endpoint on a bare Javalin route configuration (no documentation). */
    public void register(RoutesConfig routes) {
        for (Endpoint e : endpoints()) {
            routes.addHttpHandler(HandlerType.findOrCreate(e.method()), e.path(), e.handler());
        }
    }

    /**
     * Declares every endpoint in the host's route table with its documentation, as
     * self-authenticating routes: the host's filters let them through, because they check the
     * device's token, keep their own idempotency and answer DEVICE-API.md's problems themselves.
     */
    @Override
    public void register(Routes routes) {
        for (Endpoint e : endpoints()) {
            Routes.Builder b = (e.method().equals("GET") ? routes.get(e.path()) : routes.post(e.path()))
                    .access(e.bearer() ? Access.DEVICE : Access.PUBLIC).selfAuthenticating().tag("device")
                    .operationId(e.operationId()).summary(e.summary());
            e.request().ifPresent(b::requestBody);
            if (e.path().endsWith("/revocations")) {
                b.param("query", "since", false, "integer", "The revocation version the device holds (0 or absent: the whole list)");
            }
            if (e.path().endsWith("/redeem")) {
                b.param("header", "Idempotency-Key", true, "string", "The scan record's recordId");
            }
            if (e.path().endsWith("/keys")) {
                b.param("header", "If-None-Match", false, "string", "\"<version>\" of the key set the device holds");
                b.response(304, "The device's key set is current", "");
            }
            e.response().ifPresentOrElse(r -> b.response(e.status(), "Success (with serverTime)", r),
                    () -> b.response(e.status(), "Done", ""));
            for (Map.Entry<Integer, List<String>> p : problemCodes(e).entrySet()) {
                b.response(p.getKey(), String.join(", ", p.getValue()), "application/problem+json", DeviceSchemas.PROBLEM);
            }
            b.handle(e.handler());
        }
    }

    private static SortedMap<Integer, List<String>> problemCodes(Endpoint e) {
        SortedMap<Integer, List<String>> byStatus = new TreeMap<>();
        List<DeviceError> all = new ArrayList<>(e.errors());
        if (e.request().isPresent() || e.path().endsWith("/revocations")) {
            all.add(0, DeviceError.MALFORMED_REQUEST);
        }
        for (DeviceError d : all) {
            byStatus.computeIfAbsent(d.httpStatus(), s -> new ArrayList<>()).add(d.code());
        }
        byStatus.put(500, List.of("server-error"));
        byStatus.put(503, List.of("unavailable (Retry-After)"));
        return byStatus;
    }

    // ---------------------------------------------------------------- handlers

    private void time(Context ctx) {
        ok(ctx, 200, JSON.createObjectNode());
    }

    private void provision(Context ctx) {
        JsonNode body = body(ctx);
        ECPublicKey key = jwk(body, "devicePublicKey");
        JsonNode info = body.path("deviceInfo");
        ProvisionResult r = devices.provision(new ProvisionRequest(string(body, "provisioningToken"), key,
                optString(info, "sdkVersion"), optString(info, "platform")));
        if (r instanceof ProvisionResult.Refused no) {
            throw new DeviceProblem(no.error(), no.detail());
        }
        ProvisionResult.Provisioned p = (ProvisionResult.Provisioned) r;
        ObjectNode out = JSON.createObjectNode().put("deviceId", p.deviceId()).put("deviceCredential", p.deviceCredential());
        out.set("spot", spot(p.spot()));
        p.gate().ifPresent(g -> out.put("gate", g));
        ok(ctx, 201, out);
    }

    private void login(Context ctx) {
        JsonNode body = body(ctx);
        Optional<String> password = optString(body, "password");
        Optional<String> pin = optString(body, "pin");
        if (password.isPresent() == pin.isPresent()) {
            throw malformed("exactly one of password and pin");
        }
        if (pin.isPresent() && !pin.get().matches("[0-9]{4,12}")) {
            throw malformed("pin must have 4-12 digits");
        }
        LoginResult r = devices.login(new LoginRequest(string(body, "deviceId"), string(body, "deviceCredential"),
                string(body, "username"), password, pin, jwk(body, "devicePublicKey"), optString(body, "sdkVersion")));
        grant(ctx, r);
    }

    private void refresh(Context ctx) {
        grant(ctx, devices.refresh(string(body(ctx), "refreshToken")));
    }

    private void grant(Context ctx, LoginResult r) {
        if (r instanceof LoginResult.Refused no) {
            no.retryAfter().ifPresent(a -> ctx.header("Retry-After", Long.toString(Math.max(1, a.toSeconds()))));
            throw new DeviceProblem(no.error(), no.detail());
        }
        TokenGrant g = ((LoginResult.LoggedIn) r).grant();
        ObjectNode out = JSON.createObjectNode().put("accessToken", g.accessToken()).put("tokenType", "Bearer")
                .put("expiresIn", g.accessExpiresIn().toSeconds()).put("refreshToken", g.refreshToken())
                .put("refreshExpiresIn", Math.max(1, g.refreshExpiresIn().toSeconds())).put("deviceId", g.deviceId());
        out.putObject("operator").put("id", g.operator().id()).put("name", g.operator().name());
        out.set("spot", spot(g.spot()));
        g.gate().ifPresent(x -> out.put("gate", x));
        out.putObject("policy").put("maxOfflineSeconds", g.maxOffline().toSeconds());
        ok(ctx, 200, out);
    }

    private void logout(Context ctx) {
        String token = bearer(ctx);
        Optional<String> refresh = ctx.bodyAsBytes().length == 0 ? Optional.empty() : optString(body(ctx), "refreshToken");
        if (!devices.logout(token, refresh)) {
            throw new DeviceProblem(DeviceError.UNAUTHENTICATED, "no session for this token");
        }
        ctx.status(204);
    }

    private void keys(Context ctx) {
        session(ctx);
        KeySet set = ticketing.codes().keySet();
        String etag = "\"" + set.version() + "\"";
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            ctx.header("Date", httpDate());
            ctx.status(304);
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("version", set.version());
        ArrayNode keys = out.putArray("keys");
        for (IssuerKey k : set.keys()) {
            keys.addObject().put("kid", Integer.toString(k.keyId())).put("kty", "EC").put("crv", "P-256").put("alg", "ES256")
                    .put("use", "sig").put("x", b64(EcP256.x(k.publicKey()))).put("y", b64(EcP256.y(k.publicKey())))
                    .put("notBefore", time(k.notBefore())).put("notAfter", time(k.notAfter()));
        }
        ok(ctx, 200, out);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag) || t.equals("*")) {
                return true;
            }
        }
        return false;
    }

    private void revocations(Context ctx) {
        session(ctx);
        String since = ctx.queryParam("since");
        long n = 0;
        if (since != null) {
            if (!since.equals("0") && !DECIMAL.matcher(since).matches()) {
                throw malformed("since must be a non-negative integer");
            }
            n = Long.parseLong(since);
        }
        RevocationDelta d = ticketing.codes().revocations(n);
        ObjectNode out = JSON.createObjectNode();
        if (!d.full()) {
            out.put("since", d.since());
        }
        out.put("version", d.version()).put("full", d.full());
        ArrayNode entries = out.putArray("entries");
        for (Revocation r : d.entries()) {
            entries.addObject().put("ticketId", Long.toString(r.ticketId())).put("revokedAt", time(r.revokedAt()))
                    .put("expiresAt", time(r.expiresAt())).put("reason", r.reason());
        }
        ok(ctx, 200, out);
    }

    private void redeem(Context ctx) {
        String token = bearer(ctx);
        String key;
        ScanRecord record;
        try {
            key = ctx.header("Idempotency-Key");
            if (key == null || key.isBlank()) {
                throw malformed("the Idempotency-Key header (the record's recordId) is required");
            }
            record = scanRecord(body(ctx));
        } catch (DeviceProblem malformed) {
            // A refused token answers before a malformed request, as on every other endpoint.
            session(ctx);
            throw malformed;
        }
        // The token is checked by the redemption itself: one statement in the common case.
        OnlineRedeemResult r = devices.redeem(token, key, record);
        if (r instanceof OnlineRedeemResult.Rejected no) {
            throw new DeviceProblem(no.error(), no.detail());
        }
        RedeemAnswer a = ((OnlineRedeemResult.Answered) r).answer();
        ObjectNode out = JSON.createObjectNode().put("outcome", a.outcome().name());
        a.ticketId().ifPresent(t -> out.put("ticketId", Long.toString(t)));
        a.redeemedAt().ifPresent(t -> out.put("redeemedAt", time(t)));
        a.remainingUses().ifPresent(u -> out.put("remainingUses", u));
        a.revokedAt().ifPresent(t -> out.put("revokedAt", time(t)));
        a.revocationReason().ifPresent(t -> out.put("revocationReason", t));
        a.message().ifPresent(m -> out.put("message", m));
        if (!a.previous().isEmpty()) {
            ArrayNode prev = out.putArray("previous");
            for (PriorRedemption p : a.previous()) {
                ObjectNode o = prev.addObject().put("redeemedAt", time(p.at()));
                prior(o, p);
            }
        }
        ok(ctx, 200, out);
    }

    private void sync(Context ctx) {
        DeviceSession s = session(ctx);
        JsonNode records = body(ctx).get("records");
        if (records == null || !records.isArray()) {
            throw malformed("records must be an array");
        }
        if (records.size() > MAX_SYNC) {
            throw malformed("at most " + MAX_SYNC + " records per sync");
        }
        List<SyncItem> items = new ArrayList<>();
        for (JsonNode r : records) {
            if (!r.isObject() || !r.path("recordId").isTextual()) {
                throw malformed("every record needs a recordId");
            }
            try {
                items.add(new SyncItem.Record(scanRecord(r)));
            } catch (DeviceProblem e) {
                items.add(new SyncItem.Unreadable(r.get("recordId").asText(), e.getMessage()));
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (SyncRecordResult r : devices.sync(s, items)) {
            ObjectNode o = results.addObject().put("recordId", r.recordId()).put("status", r.status().name());
            r.code().ifPresent(c -> o.put("code", c.name()));
            r.message().ifPresent(m -> o.put("message", m));
            r.winner().ifPresent(w -> {
                ObjectNode win = o.putObject("winner");
                w.recordId().ifPresent(id -> win.put("recordId", id));
                prior(win, w);
                win.put("scannedAt", time(w.at()));
            });
        }
        ok(ctx, 200, out);
    }

    private void heartbeat(Context ctx) {
        DeviceSession s = session(ctx);
        JsonNode b = body(ctx);
        Heartbeat hb;
        try {
            hb = new Heartbeat(optString(b, "sdkVersion").orElse(""), optLong(b, "queueDepth").orElse(0L),
                    optInstant(b, "lastSyncAt"), optLong(b, "keySetVersion").orElse(0L), optLong(b, "revocationVersion").orElse(0L),
                    optInstant(b, "deviceTime"), optLong(b, "clockOffsetMillis").orElse(0L),
                    optLong(b, "journalRecordsLost").orElse(0L));
        } catch (IllegalArgumentException e) {
            throw malformed("heartbeat: " + e.getMessage());
        }
        HeartbeatAnswer a = devices.heartbeat(s, hb);
        ok(ctx, 200, JSON.createObjectNode().put("keySetVersion", a.keySetVersion()).put("revocationVersion", a.revocationVersion()));
    }

    // ---------------------------------------------------------------- pieces

    private static void prior(ObjectNode o, PriorRedemption p) {
        o.put("spotId", Long.toString(p.spot().number())).put("spotName", p.spot().name()).put("deviceId", p.deviceId());
        p.gate().ifPresent(g -> o.put("gate", g));
    }

    private static ObjectNode spot(SpotRef s) {
        return JSON.createObjectNode().put("id", Long.toString(s.number())).put("name", s.name());
    }

    private DeviceSession session(Context ctx) {
        AuthResult r = devices.authenticate(bearer(ctx));
        if (r instanceof AuthResult.Refused no) {
            throw new DeviceProblem(no.error(), no.detail());
        }
        return ((AuthResult.Authenticated) r).session();
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() <= 7) {
            throw new DeviceProblem(DeviceError.UNAUTHENTICATED, "a Bearer access token is required");
        }
        return h.substring(7).trim();
    }

    private static ScanRecord scanRecord(JsonNode o) {
        if (!o.isObject()) {
            throw malformed("a scan record is a JSON object");
        }
        try {
            return ScanRecord.builder()
                    .recordId(string(o, "recordId"))
                    .deviceId(string(o, "deviceId"))
                    .spotId(decimal(o, "spotId", 0xFFFF_FFFFL))
                    .ticketId(decimal(o, "ticketId", Long.MAX_VALUE))
                    .code(string(o, "code"))
                    .scannedAt(instant(o, "scannedAt"))
                    .clockOffsetMillis(integer(o, "clockOffsetMillis"))
                    .sequence(integer(o, "sequence"))
                    .nonce(string(o, "nonce"))
                    .withSignature(bytes(o, "signature", 64));
        } catch (IllegalArgumentException e) {
            throw malformed("scan record: " + e.getMessage());
        }
    }

    private static ECPublicKey jwk(JsonNode body, String field) {
        JsonNode k = body.get(field);
        if (k == null || !k.isObject()) {
            throw malformed(field + " must be a JWK object");
        }
        if (!"EC".equals(k.path("kty").asText()) || !"P-256".equals(k.path("crv").asText())) {
            throw malformed(field + ": only EC P-256 keys");
        }
        try {
            return EcP256.publicKey(bytes(k, "x", 32), bytes(k, "y", 32));
        } catch (IllegalArgumentException e) {
            throw malformed(field + ": not a point on P-256");
        }
    }

    private static byte[] bytes(JsonNode o, String field, int length) {
        String text = string(o, field);
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed(field + ": not base64url");
        }
        if (b.length != length || text.indexOf('=') >= 0) {
            throw malformed(field + ": expected " + length + " bytes in unpadded base64url");
        }
        return b;
    }

    private static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw malformed("a JSON body is required");
        }
        if (bytes.length > 1_048_576) {
            throw malformed("body larger than 1 MiB");
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw malformed("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw malformed("the body is not JSON");
        }
    }

    private static String string(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw malformed(field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static Optional<String> optString(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw malformed(field + " must be a string");
        }
        return Optional.of(v.asText());
    }

    private static long integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw malformed(field + " must be an integer");
        }
        return v.asLong();
    }

    private static Optional<Long> optLong(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(integer(o, field));
    }

    private static long decimal(JsonNode o, String field, long max) {
        String s = string(o, field);
        if (!DECIMAL.matcher(s).matches()) {
            throw malformed(field + " must be a decimal id");
        }
        try {
            long v = Long.parseLong(s);
            if (v > max) {
                throw malformed(field + " out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw malformed(field + " out of range");
        }
    }

    private static Instant instant(JsonNode o, String field) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(string(o, field), Instant::from);
        } catch (DateTimeParseException e) {
            throw malformed(field + " must be an RFC 3339 time");
        }
    }

    private static Optional<Instant> optInstant(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(instant(o, field));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private String httpDate() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
    }

    private void ok(Context ctx, int status, ObjectNode body) {
        body.put("serverTime", time(clock.instant()));
        write(ctx, status, "application/json", body);
    }

    private void write(Context ctx, int status, String type, ObjectNode body) {
        try {
            ctx.header("Date", httpDate());
            ctx.status(status).contentType(type).result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private void problem(Context ctx, int status, String code, String title, String detail) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        ObjectNode p = JSON.createObjectNode().put("type", PROBLEM_BASE + code).put("title", title).put("status", status)
                .put("detail", detail).put("code", code).put("serverTime", time(clock.instant()));
        write(ctx, status, "application/problem+json", p);
    }

    /** Answers every failure as the document says: problems with codes, 503/500 for the platform's own trouble. */
    private Handler guarded(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (DeviceProblem e) {
                problem(ctx, e.error.httpStatus(), e.error.code(), title(e.error), e.getMessage());
            } catch (HttpResponseException e) {
                // Javalin refuses a body over the host's size limit when the handler reads it.
                problem(ctx, 400, DeviceError.MALFORMED_REQUEST.code(), title(DeviceError.MALFORMED_REQUEST),
                        "the request body was refused (HTTP " + e.getStatus() + ": " + e.getMessage() + ")");
            } catch (UnableToAccessStoreException e) {
                LOG.warn("device API {} {}: store unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", "5");
                problem(ctx, 503, "unavailable", "Unavailable", "the platform is temporarily unavailable");
            } catch (RuntimeException e) {
                LOG.error("device API {} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, 500, "server-error", "Server error", "an internal error occurred");
            }
        };
    }

    private static String title(DeviceError e) {
        String words = e.code().replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static DeviceProblem malformed(String detail) {
        return new DeviceProblem(DeviceError.MALFORMED_REQUEST, detail);
    }

    /** A problem answer, thrown from deep in parsing; carries no secret. */
    private static final class DeviceProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient DeviceError error;

        DeviceProblem(DeviceError error, String detail) {
            super(detail, null, false, false);
            this.error = error;
        }
    }
}
