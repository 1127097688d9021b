package org.ticketledger.example.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.example.wire.Refusals;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.codes.SigningKeyInfo;
import org.ticketledger.ticketing.device.Device;
import org.ticketledger.ticketing.device.Heartbeat;
import org.ticketledger.ticketing.device.Operator;
import org.ticketledger.ticketing.device.OperatorRegistration;
import org.ticketledger.ticketing.device.PriorRedemption;
import org.ticketledger.ticketing.device.ProvisioningToken;
import org.ticketledger.ticketing.device.RedemptionConflict;
import org.ticketledger.ticketing.device.SpotRef;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.Revocation;
import org.ticketledger.verify.RevocationDelta;

/**
 * The admin side of gate devices, {@code /admin/v1/...}: provisioning tokens (shown once, as the
 * text of a QR code), operators (password and/or PIN, never echoed), revocation of devices and
 * operators, the device list with each device's latest heartbeat, offline double redemptions, the
 * issuer keys (rotation, removal of a compromised key) and the revocation list. Writes need an
 * operator token, reads accept auditors. Secrets appear only in the answer that creates them.
 * Thread-safe.
 */
public final class DeviceAdminApi implements ApiModule {

    private static final String BASE = "/admin/v1";
    private static final ObjectNode ANY = Schemas.object().open().build();
    private static final ObjectNode REASON = Schemas.object().prop("reason", Schemas.string("Why (kept in the audit log)"), true)
            .build();

    private final Ticketing ticketing;

    /** The API over {@code ticketing}'s devices and codes. */
    public DeviceAdminApi(Ticketing ticketing) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
    }

    private static String actor(Context ctx) {
        return Routes.principal(ctx).id();
    }

    @Override
    public void register(Routes routes) {
        devices(routes);
        operators(routes);
        keys(routes);
    }

    // ------------------------------------------------------------------ devices

    private void devices(Routes routes) {
        routes.post(BASE + "/devices/provisioning-tokens").access(Access.ADMIN).tag("admin-devices")
                .operationId("createProvisioningToken")
                .summary("A one-time token that provisions one gate device at a spot; show qrText as a QR code (shown once)")
                .requestBody(Schemas.object().prop("spotId", Schemas.string(), true)
                        .prop("gate", Schemas.string("The gate, 1-100 characters"), false).build())
                .response(201, "The token", Schemas.object().prop("token", Schemas.string("pt-..."), true)
                        .prop("qrText", Schemas.string("The text to encode in the QR code"), true)
                        .prop("spot", SPOT, true).prop("gate", Schemas.string(), false)
                        .prop("expiresAt", Schemas.string("Unusable from then on"), true).build())
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String spot = b.requiredString("spotId", 64);
                    Optional<String> gate = b.optionalString("gate", 100);
                    b.done();
                    ProvisioningToken t = Refusals.orThrow(ticketing.devices().createProvisioningToken(spot, gate, actor(ctx)));
                    ObjectNode body = Json.object().put("token", t.token()).put("qrText", t.qrText());
                    body.set("spot", spot(t.spot()));
                    t.gate().ifPresent(g -> body.put("gate", g));
                    body.put("expiresAt", t.expiresAt().toString());
                    Routes.json(ctx, 201, body);
                });
        routes.get(BASE + "/devices").access(Access.ADMIN_READ).tag("admin-devices").operationId("listDevices")
                .summary("Provisioned devices, newest first, with their latest heartbeat (last seen, last sync, queue, SDK)")
                .param("query", "spotId", false, "string", "Only this spot's devices")
                .response(200, "Devices", Schemas.object().prop("items", Schemas.array(ANY), true).build())
                .handle(ctx -> {
                    Optional<String> spot = Optional.ofNullable(ctx.queryParam("spotId"));
                    spot.ifPresent(s -> requireSpot(s));
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    ticketing.devices().devices(spot).forEach(d -> items.add(device(d)));
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/devices/{deviceId}").access(Access.ADMIN_READ).tag("admin-devices").operationId("getDevice")
                .summary("A device with its latest heartbeat").response(200, "The device", ANY)
                .handle(ctx -> Routes.json(ctx, 200, device(ticketing.devices().device(ctx.pathParam("deviceId"))
                        .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_DEVICE, "no device " + ctx.pathParam("deviceId"))))));
        routes.post(BASE + "/devices/{deviceId}/revoke").access(Access.ADMIN).tag("admin-devices").operationId("revokeDevice")
                .summary("Revoke a device (lost, stolen): its sessions end at their next request and it cannot log in again")
                .requestBody(REASON).response(200, "The device", ANY)
                .handle(ctx -> {
                    String reason = reason(ctx);
                    Routes.json(ctx, 200, device(Refusals.orThrow(
                            ticketing.devices().revokeDevice(ctx.pathParam("deviceId"), reason, actor(ctx)))));
                });
        routes.get(BASE + "/device-conflicts").access(Access.ADMIN_READ).tag("admin-devices").operationId("listDeviceConflicts")
                .summary("Double redemptions found at sync (both devices, both times), oldest first; page with afterId")
                .param("query", "spotId", false, "string", "Only this spot's conflicts")
                .param("query", "afterId", false, "integer", "The last id of the previous page (default 0)")
                .param("query", "limit", false, "integer", "1-500, default 100")
                .response(200, "Conflicts", Schemas.object().prop("items", Schemas.array(ANY), true)
                        .prop("nextAfterId", Schemas.integer("Pass as afterId for the next page"), true).build())
                .handle(ctx -> {
                    Optional<String> spot = Optional.ofNullable(ctx.queryParam("spotId"));
                    spot.ifPresent(s -> requireSpot(s));
                    long after = longParam(ctx, "afterId", 0, 0, Long.MAX_VALUE);
                    int limit = (int) longParam(ctx, "limit", 100, 1, 500);
                    List<RedemptionConflict> list = ticketing.devices().conflicts(spot, after, limit);
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    list.forEach(c -> items.add(conflict(c)));
                    body.put("nextAfterId", list.isEmpty() ? after : list.get(list.size() - 1).id());
                    Routes.json(ctx, 200, body);
                });
    }

    private void requireSpot(String spotId) {
        if (ticketing.parties().scenicSpot(spotId).isEmpty()) {
            throw new ApiException(ProblemType.UNKNOWN_SCENIC_SPOT, "no scenic spot " + spotId);
        }
    }

    // ------------------------------------------------------------------ operators

    private void operators(Routes routes) {
        routes.post(BASE + "/operators").access(Access.ADMIN).tag("admin-devices").operationId("createOperator")
                .summary("A gate operator with a password (8-128 characters) and/or a PIN (4-12 digits) for some spots")
                .requestBody(Schemas.object().prop("username", Schemas.string("[a-z0-9._-]{2,64}"), true)
                        .prop("name", Schemas.string("Shown on devices"), true)
                        .prop("password", Schemas.string("Stored as a salted PBKDF2 hash; never shown again"), false)
                        .prop("pin", Schemas.string("4-12 digits; accepted only on devices of the operator's spots"), false)
                        .prop("spotIds", Schemas.array(Schemas.string()), true).build())
                .response(201, "The operator (without secrets)", OPERATOR)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String username = b.requiredString("username", 64);
                    String name = b.requiredString("name", 100);
                    Optional<String> password = b.optionalString("password", 128);
                    Optional<String> pin = b.optionalString("pin", 12);
                    List<String> spots = b.requiredStrings("spotIds", 1, 100, 64);
                    if (!b.has("password") && !b.has("pin")) {
                        b.error("password", "give a password, a PIN or both");
                    }
                    b.done();
                    Operator o = Refusals.orThrow(ticketing.devices().createOperator(
                            new OperatorRegistration(username, name, password, pin, spots), actor(ctx)));
                    ctx.header("Location", BASE + "/operators/" + o.id());
                    Routes.json(ctx, 201, operator(o));
                });
        routes.get(BASE + "/operators/{operator}").access(Access.ADMIN_READ).tag("admin-devices").operationId("getOperator")
                .summary("An operator by id or username").param("path", "operator", true, "string", "Operator id or username")
                .response(200, "The operator", OPERATOR)
                .handle(ctx -> Routes.json(ctx, 200, operator(ticketing.devices().operator(ctx.pathParam("operator"))
                        .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_OPERATOR, "no operator " + ctx.pathParam("operator"))))));
        routes.post(BASE + "/operators/{operator}/revoke").access(Access.ADMIN).tag("admin-devices").operationId("revokeOperator")
                .summary("Revoke an operator: every session of theirs ends at its next request")
                .param("path", "operator", true, "string", "Operator id or username")
                .requestBody(REASON).response(200, "The operator", OPERATOR)
                .handle(ctx -> {
                    String reason = reason(ctx);
                    Routes.json(ctx, 200, operator(Refusals.orThrow(
                            ticketing.devices().revokeOperator(ctx.pathParam("operator"), reason, actor(ctx)))));
                });
    }

    private static String reason(Context ctx) {
        JsonBody b = Routes.jsonBody(ctx);
        String reason = b.requiredString("reason", 200);
        b.done();
        return reason;
    }

    // ------------------------------------------------------------------ issuer keys and revocations

    private void keys(Routes routes) {
        routes.get(BASE + "/signing-keys").access(Access.ADMIN_READ).tag("admin-devices").operationId("listSigningKeys")
                .summary("Every issuer key (never the private half): which signs now, which are published to devices")
                .response(200, "Keys and the key-set version devices hold", Schemas.object()
                        .prop("keySetVersion", Schemas.integer("The version devices fetch (ETag of GET /device/v1/keys)"), true)
                        .prop("items", Schemas.array(KEY), true).build())
                .handle(ctx -> {
                    KeySet set = ticketing.codes().keySet();
                    ObjectNode body = Json.object().put("keySetVersion", set.version());
                    ArrayNode items = body.putArray("items");
                    ticketing.codes().signingKeys().forEach(k -> items.add(key(k, set)));
                    Routes.json(ctx, 200, body);
                });
        routes.post(BASE + "/signing-keys/rotate").access(Access.ADMIN).tag("admin-devices").operationId("rotateSigningKey")
                .summary("Publish a new issuer key now; it starts signing after the publish lead, the old one keeps verifying")
                .response(201, "The new key", KEY)
                .handle(ctx -> {
                    IssuerKey k = Refusals.orThrow(ticketing.codes().rotate(actor(ctx)));
                    KeySet set = ticketing.codes().keySet();
                    SigningKeyInfo info = ticketing.codes().signingKeys().stream().filter(i -> i.keyId() == k.keyId())
                            .findFirst().orElseThrow(() -> new IllegalStateException("rotated key " + k.keyId() + " not listed"));
                    Routes.json(ctx, 201, key(info, set));
                });
        routes.post(BASE + "/signing-keys/{keyId}/remove").access(Access.ADMIN).tag("admin-devices").operationId("removeSigningKey")
                .summary("Withdraw a (compromised) key from the key set at once: its codes stop verifying and must be re-issued")
                .param("path", "keyId", true, "integer", "0-65535")
                .requestBody(REASON).response(200, "The removed key", KEY)
                .handle(ctx -> {
                    int keyId = keyId(ctx);
                    String reason = reason(ctx);
                    SigningKeyInfo info = Refusals.orThrow(ticketing.codes().removeKey(keyId, reason, actor(ctx)));
                    Routes.json(ctx, 200, key(info, ticketing.codes().keySet()));
                });
        routes.get(BASE + "/revocations").access(Access.ADMIN_READ).tag("admin-devices").operationId("listRevocations")
                .summary("Revoked (refunded, cancelled) tickets above a version, as devices fetch them")
                .param("query", "since", false, "integer", "A version (default 0: the whole current list)")
                .response(200, "Revocations", Schemas.object().prop("since", Schemas.integer("Echoed for deltas"), false)
                        .prop("version", Schemas.integer("The latest revocation"), true).prop("full", Schemas.bool("A whole list"), true)
                        .prop("entries", Schemas.array(ANY), true).build())
                .handle(ctx -> {
                    RevocationDelta d = ticketing.codes().revocations(longParam(ctx, "since", 0, 0, Long.MAX_VALUE));
                    ObjectNode body = Json.object();
                    if (!d.full()) {
                        body.put("since", d.since());
                    }
                    body.put("version", d.version()).put("full", d.full());
                    ArrayNode entries = body.putArray("entries");
                    for (Revocation r : d.entries()) {
                        entries.addObject().put("ticketId", Long.toString(r.ticketId())).put("revokedAt", r.revokedAt().toString())
                                .put("expiresAt", r.expiresAt().toString()).put("reason", r.reason());
                    }
                    Routes.json(ctx, 200, body);
                });
    }

    private static int keyId(Context ctx) {
        String v = ctx.pathParam("keyId");
        if (v.matches("[0-9]{1,5}") && Integer.parseInt(v) <= 65_535) {
            return Integer.parseInt(v);
        }
        throw new ApiException(ProblemType.BAD_REQUEST, "keyId must be an integer 0..65535",
                List.of(new FieldError("#/path/keyId", "must be an integer 0..65535")));
    }

    private static long longParam(Context ctx, String name, long dflt, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        if (v.matches("[0-9]{1,19}")) {
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the problem below
            }
        }
        throw new ApiException(ProblemType.BAD_REQUEST, name + " must be an integer " + min + ".." + max,
                List.of(new FieldError("#/query/" + name, "must be an integer " + min + ".." + max)));
    }

    // ------------------------------------------------------------------ views

    private static final ObjectNode SPOT = Schemas.object().prop("id", Schemas.string("Our spot id"), true)
            .prop("number", Schemas.string("The spot's number in ticket codes"), true).prop("name", Schemas.string(), true).build();
    private static final ObjectNode OPERATOR = Schemas.object().prop("id", Schemas.string("op-..."), true)
            .prop("username", Schemas.string(), true).prop("name", Schemas.string(), true)
            .prop("spotIds", Schemas.array(Schemas.string()), true)
            .prop("hasPassword", Schemas.bool("A password is set"), true).prop("hasPin", Schemas.bool("A PIN is set"), true)
            .prop("createdAt", Schemas.string(), true).prop("revokedAt", Schemas.string(), false).build();
    private static final ObjectNode KEY = Schemas.object().prop("keyId", Schemas.integer("The kid in codes, 0..65535"), true)
            .prop("notBefore", Schemas.string("Published from"), true).prop("signFrom", Schemas.string("Signs new codes from"), true)
            .prop("notAfter", Schemas.string("Codes verify until"), true).prop("removedAt", Schemas.string(), false)
            .prop("signing", Schemas.bool("Signs new codes now"), true)
            .prop("published", Schemas.bool("In the key set devices fetch"), true)
            .prop("jwk", Schemas.object().open().build(), false).build();

    private static ObjectNode spot(SpotRef s) {
        return Json.object().put("id", s.spotId()).put("number", Long.toString(s.number())).put("name", s.name());
    }

    private static ObjectNode device(Device d) {
        ObjectNode n = Json.object().put("id", d.id());
        n.set("spot", spot(d.spot()));
        d.gate().ifPresent(g -> n.put("gate", g));
        d.platform().ifPresent(p -> n.put("platform", p));
        n.put("provisionedAt", d.provisionedAt().toString()).put("state", d.revokedAt().isPresent() ? "REVOKED" : "ACTIVE");
        d.revokedAt().ifPresent(t -> n.put("revokedAt", t.toString()));
        d.lastSeenAt().ifPresent(t -> n.put("lastSeenAt", t.toString()));
        n.put("syncOverdue", d.syncOverdue());
        d.heartbeat().ifPresent(h -> n.set("heartbeat", heartbeat(h)));
        return n;
    }

    private static ObjectNode heartbeat(Heartbeat h) {
        ObjectNode n = Json.object().put("sdkVersion", h.sdkVersion()).put("queueDepth", h.queueDepth());
        h.lastSyncAt().ifPresent(t -> n.put("lastSyncAt", t.toString()));
        n.put("keySetVersion", h.keySetVersion()).put("revocationVersion", h.revocationVersion());
        h.deviceTime().ifPresent(t -> n.put("deviceTime", t.toString()));
        n.put("clockOffsetMillis", h.clockOffsetMillis()).put("journalRecordsLost", h.journalRecordsLost());
        return n;
    }

    private static ObjectNode operator(Operator o) {
        ObjectNode n = Json.object().put("id", o.id()).put("username", o.username()).put("name", o.name());
        ArrayNode spots = n.putArray("spotIds");
        o.spotIds().forEach(spots::add);
        n.put("hasPassword", o.hasPassword()).put("hasPin", o.hasPin()).put("createdAt", o.createdAt().toString());
        o.revokedAt().ifPresent(t -> n.put("revokedAt", t.toString()));
        return n;
    }

    private static ObjectNode conflict(RedemptionConflict c) {
        ObjectNode n = Json.object().put("id", c.id()).put("ticketNumber", Long.toString(c.ticketNumber()));
        c.ticketId().ifPresent(t -> n.put("ticketId", t));
        n.set("spot", spot(c.spot()));
        n.set("winner", redemption(c.winner()));
        n.set("loser", redemption(c.loser()));
        n.put("detectedAt", c.detectedAt().toString()).put("reportedToDevice", c.reportedToDevice());
        return n;
    }

    private static ObjectNode redemption(PriorRedemption p) {
        ObjectNode n = Json.object().put("at", p.at().toString()).put("deviceId", p.deviceId());
        p.gate().ifPresent(g -> n.put("gate", g));
        p.recordId().ifPresent(r -> n.put("recordId", r));
        return n;
    }

    private static ObjectNode key(SigningKeyInfo k, KeySet set) {
        ObjectNode n = Json.object().put("keyId", k.keyId()).put("notBefore", k.notBefore().toString())
                .put("signFrom", k.signFrom().toString()).put("notAfter", k.notAfter().toString());
        k.removedAt().ifPresent(t -> n.put("removedAt", t.toString()));
        n.put("signing", k.signing());
        Optional<IssuerKey> published = set.key(k.keyId());
        n.put("published", published.isPresent());
        published.ifPresent(p -> n.putObject("jwk").put("kid", Integer.toString(p.keyId())).put("kty", "EC").put("crv", "P-256")
                .put("alg", "ES256").put("x", b64(EcP256.x(p.publicKey()))).put("y", b64(EcP256.y(p.publicKey()))));
        return n;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
