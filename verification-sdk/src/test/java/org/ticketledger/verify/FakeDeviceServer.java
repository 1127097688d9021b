package org.ticketledger.verify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ticketledger.verify.internal.Json;
import org.ticketledger.verify.internal.JsonBuilder;
import org.ticketledger.verify.internal.JsonObject;
import org.ticketledger.verify.internal.Wire;

/**
 * A small in-memory implementation of DEVICE-API.md on loopback, written from the document, so the
 * client is tested against the contract rather than against itself. Also injects faults: the
 * server can be down (503), drop connections, or process a request and then drop the answer.
 */
final class FakeDeviceServer implements AutoCloseable {

    enum Mode { UP, DOWN, DROP, PROCESS_THEN_DROP }

    static final ScenicSpot WEST_LAKE = new ScenicSpot(12, "West Lake");

    final MutableClock clock;
    volatile Mode mode = Mode.UP;
    volatile Duration accessTtl = Duration.ofMinutes(15);
    volatile Optional<Long> maxOfflineSeconds = Optional.empty();

    final AtomicInteger refreshes = new AtomicInteger();
    final AtomicInteger payouts = new AtomicInteger();
    final List<JsonObject> heartbeats = new CopyOnWriteArrayList<>();
    final List<String> conflictReports = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final Map<String, ScenicSpot> provisioningTokens = new HashMap<>();
    private final Map<String, Device> devices = new HashMap<>();
    private final Map<String, Operator> operators = new HashMap<>();
    private final Map<String, Session> access = new HashMap<>();
    private final Map<String, Session> refresh = new HashMap<>();
    private final Map<Integer, KeyPair> issuerKeys = new HashMap<>();
    private final List<IssuerKey> publishedKeys = new ArrayList<>();
    private long keySetVersion;
    private final List<Revocation> revocations = new ArrayList<>();
    private final List<Long> revocationVersions = new ArrayList<>();
    private final Map<String, List<Scan>> redemptions = new HashMap<>(); // ticket:spot -> scans, earliest first
    private final Map<String, Answer> redeemAnswers = new HashMap<>(); // device:Idempotency-Key -> answer
    private final Map<String, Scan> scansById = new HashMap<>();

    private static final class Device {
        final String id;
        final String credential;
        final ScenicSpot spot;
        final ECPublicKey key;
        volatile boolean revoked;

        Device(String id, String credential, ScenicSpot spot, ECPublicKey key) {
            this.id = id;
            this.credential = credential;
            this.spot = spot;
            this.key = key;
        }
    }

    private static final class Operator {
        final String id;
        final String name;
        final String password;

        Operator(String id, String name, String password) {
            this.id = id;
            this.name = name;
            this.password = password;
        }
    }

    private static final class Session {
        final Device device;
        final Operator operator;
        final Instant accessExpiresAt;
        final String accessToken;
        final String refreshToken;

        Session(Device device, Operator operator, Instant accessExpiresAt) {
            this.device = device;
            this.operator = operator;
            this.accessExpiresAt = accessExpiresAt;
            this.accessToken = "at-" + UUID.randomUUID();
            this.refreshToken = "rt-" + UUID.randomUUID();
        }
    }

    private static final class Scan {
        final ScanRecord record;
        final boolean viaSync;

        Scan(ScanRecord record, boolean viaSync) {
            this.record = record;
            this.viaSync = viaSync;
        }
    }

    private static final class Answer {
        final String body;
        final String outcome;

        Answer(String body, String outcome) {
            this.body = body;
            this.outcome = outcome;
        }
    }

    FakeDeviceServer(MutableClock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/device/v1/", this::handle);
        server.start();
        operators.put("li.wei", new Operator("op-7", "Li Wei", "correct horse"));
        addKey(1, TestKeys.ISSUER_1, TestKeys.KEYS_FROM, TestKeys.KEYS_UNTIL);
    }

    URI url() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    synchronized String newProvisioningToken(ScenicSpot spot) {
        String token = "pt-" + UUID.randomUUID();
        provisioningTokens.put(token, spot);
        return token;
    }

    synchronized void addKey(int id, KeyPair pair, Instant from, Instant until) {
        issuerKeys.put(id, pair);
        publishedKeys.add(new IssuerKey(id, (ECPublicKey) pair.getPublic(), from, until));
        keySetVersion++;
    }

    synchronized String mint(TicketPayload payload) {
        return TicketCodec.mint(payload, issuerKeys.get(payload.keyId()).getPrivate());
    }

    synchronized void revoke(long ticketId, String reason, Instant expiresAt) {
        revocations.add(new Revocation(ticketId, clock.instant(), expiresAt, reason));
        revocationVersions.add(100L + revocations.size());
    }

    synchronized long revocationVersion() {
        return revocationVersions.isEmpty() ? 100 : revocationVersions.get(revocationVersions.size() - 1);
    }

    synchronized void revokeDevice(String deviceId) {
        devices.get(deviceId).revoked = true;
    }

    synchronized List<ScanRecord> redemptionsOf(long ticketId, long spotId) {
        List<ScanRecord> out = new ArrayList<>();
        for (Scan s : redemptions.getOrDefault(ticketId + ":" + spotId, List.of())) {
            out.add(s.record);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- HTTP --------------------------------------------------------------------------------

    private void handle(HttpExchange x) throws IOException {
        try {
            // (the JDK server overwrites Date with real time; our bodies carry serverTime instead)
            Mode m = mode;
            if (m == Mode.DROP) {
                return; // closes without an answer
            }
            if (m == Mode.DOWN) {
                problem(x, 503, "unavailable", "maintenance");
                return;
            }
            String path = x.getRequestURI().getPath().substring("/device/v1/".length());
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = x.getRequestMethod();
            Reply reply;
            synchronized (this) {
                reply = route(x, method, path, body);
            }
            if (m == Mode.PROCESS_THEN_DROP) {
                return; // the work is done, the answer is lost
            }
            if (reply.status == 401) {
                x.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            }
            if (reply.etag != null) {
                x.getResponseHeaders().set("ETag", reply.etag);
            }
            if (reply.status == 204 || reply.status == 304) {
                x.sendResponseHeaders(reply.status, -1);
                return;
            }
            byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", reply.problem ? "application/problem+json" : "application/json");
            x.sendResponseHeaders(reply.status, out.length);
            try (OutputStream os = x.getResponseBody()) {
                os.write(out);
            }
        } finally {
            x.close();
        }
    }

    private static final class Reply {
        final int status;
        final String body;
        final boolean problem;
        String etag;

        Reply(int status, String body, boolean problem) {
            this.status = status;
            this.body = body;
            this.problem = problem;
        }
    }

    private Reply ok(JsonBuilder b) {
        return new Reply(200, Json.write(b.put("serverTime", clock.instant()).build()), false);
    }

    private Reply problemReply(int status, String code, String detail) {
        return new Reply(status, Json.write(JsonBuilder.object().put("type", "https://ticketledger.org/problems/device/" + code)
                .put("title", code).put("status", (long) status).put("detail", detail).put("code", code)
                .put("serverTime", clock.instant()).build()), true);
    }

    private void problem(HttpExchange x, int status, String code, String detail) throws IOException {
        byte[] out = problemReply(status, code, detail).body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/problem+json");
        x.sendResponseHeaders(status, out.length);
        x.getResponseBody().write(out);
    }

    private Reply route(HttpExchange x, String method, String path, byte[] body) {
        switch (method + " " + path) {
            case "GET time":
                return ok(JsonBuilder.object());
            case "POST provision":
                return provision(JsonObject.of(Json.parse(body), "provision"));
            case "POST login":
                return login(JsonObject.of(Json.parse(body), "login"));
            case "POST refresh":
                return refresh(JsonObject.of(Json.parse(body), "refresh"));
            default:
                break;
        }
        String auth = x.getRequestHeaders().getFirst("Authorization");
        Session s = auth == null ? null : access.get(auth.substring("Bearer ".length()));
        if (s == null) {
            return problemReply(401, "unauthenticated", "no valid access token");
        }
        if (!clock.instant().isBefore(s.accessExpiresAt)) {
            return problemReply(401, "token-expired", "access token expired");
        }
        if (s.device.revoked) {
            return problemReply(403, "device-revoked", "this device was revoked by an administrator");
        }
        if (path.startsWith("revocations")) {
            return revocations(x.getRequestURI().getQuery());
        }
        switch (method + " " + path) {
            case "POST logout":
                access.remove(s.accessToken);
                refresh.remove(s.refreshToken);
                return new Reply(204, "", false);
            case "GET keys":
                return keys(x.getRequestHeaders().getFirst("If-None-Match"));
            case "POST redeem":
                return redeem(s, x.getRequestHeaders().getFirst("Idempotency-Key"), body);
            case "POST sync":
                return sync(s, JsonObject.of(Json.parse(body), "sync"));
            case "POST heartbeat":
                heartbeats.add(JsonObject.of(Json.parse(body), "heartbeat"));
                return ok(JsonBuilder.object().put("keySetVersion", keySetVersion).put("revocationVersion", revocationVersion()));
            default:
                return problemReply(404, "not-found", path);
        }
    }

    private Reply provision(JsonObject o) {
        ScenicSpot spot = provisioningTokens.remove(o.string("provisioningToken"));
        if (spot == null) {
            return problemReply(401, "provisioning-token-invalid", "unknown, used or expired provisioning token");
        }
        Device d = new Device("dev-" + (devices.size() + 1), "dc-" + UUID.randomUUID(), spot,
                Wire.publicKeyFromJwk(o.object("devicePublicKey")));
        devices.put(d.id, d);
        Reply r = ok(JsonBuilder.object().put("deviceId", d.id).put("deviceCredential", d.credential)
                .put("spot", JsonBuilder.object().put("id", Long.toString(spot.id())).put("name", spot.name()))
                .put("gate", "North gate"));
        return new Reply(201, r.body, false);
    }

    private Reply login(JsonObject o) {
        Device d = devices.get(o.string("deviceId"));
        if (d == null || !d.credential.equals(o.string("deviceCredential"))) {
            return problemReply(401, "invalid-credentials", "unknown device or credential");
        }
        if (d.revoked) {
            return problemReply(403, "device-revoked", "this device was revoked by an administrator");
        }
        Operator op = operators.get(o.string("username"));
        if (op == null || !op.password.equals(o.optString("password").orElse(""))) {
            return problemReply(401, "invalid-credentials", "wrong username or password");
        }
        return session(new Session(d, op, clock.instant().plus(accessTtl)));
    }

    private Reply session(Session s) {
        access.put(s.accessToken, s);
        refresh.put(s.refreshToken, s);
        JsonBuilder b = JsonBuilder.object().put("accessToken", s.accessToken).put("tokenType", "Bearer")
                .put("expiresIn", accessTtl.getSeconds()).put("refreshToken", s.refreshToken)
                .put("refreshExpiresIn", 12L * 3600).put("deviceId", s.device.id)
                .put("operator", JsonBuilder.object().put("id", s.operator.id).put("name", s.operator.name))
                .put("spot", JsonBuilder.object().put("id", Long.toString(s.device.spot.id())).put("name", s.device.spot.name()))
                .put("gate", "North gate");
        maxOfflineSeconds.ifPresent(m -> b.put("policy", JsonBuilder.object().put("maxOfflineSeconds", m)));
        return ok(b);
    }

    private Reply refresh(JsonObject o) {
        Session old = refresh.remove(o.string("refreshToken"));
        if (old == null) {
            return problemReply(401, "invalid-refresh-token", "refresh token unknown, used or expired");
        }
        access.remove(old.accessToken);
        if (old.device.revoked) {
            return problemReply(403, "device-revoked", "this device was revoked by an administrator");
        }
        refreshes.incrementAndGet();
        return session(new Session(old.device, old.operator, clock.instant().plus(accessTtl)));
    }

    private Reply keys(String ifNoneMatch) {
        String etag = "\"" + keySetVersion + "\"";
        if (etag.equals(ifNoneMatch)) {
            Reply r = new Reply(304, "", false);
            r.etag = etag;
            return r;
        }
        Reply r = ok(Wire.keySetJson(new KeySet(keySetVersion, publishedKeys)));
        r.etag = etag;
        return r;
    }

    private Reply revocations(String query) {
        long since = query == null ? 0 : Long.parseLong(query.substring("since=".length()));
        boolean full = since == 0 || since < 100;
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < revocations.size(); i++) {
            if (full || revocationVersions.get(i) > since) {
                entries.add(Wire.revocationJson(revocations.get(i)).build());
            }
        }
        JsonBuilder b = JsonBuilder.object();
        if (!full) {
            b.put("since", since);
        }
        return ok(b.put("version", revocationVersion()).put("full", full).put("entries", entries));
    }

    // ---- redemption --------------------------------------------------------------------------

    private Reply redeem(Session s, String idempotencyKey, byte[] body) {
        ScanRecord r = Wire.scanRecord(JsonObject.of(Json.parse(body), "redeem"));
        if (idempotencyKey == null || !idempotencyKey.equals(r.recordId())) {
            return problemReply(400, "malformed-request", "Idempotency-Key must equal recordId");
        }
        if (!r.deviceId().equals(s.device.id) || r.spotId() != s.device.spot.id() || !r.isSignedBy(s.device.key)) {
            return problemReply(400, "bad-record", "record does not belong to this device or is badly signed");
        }
        Answer earlier = redeemAnswers.get(s.device.id + ":" + idempotencyKey);
        if (earlier != null) {
            return new Reply(200, earlier.body, false);
        }
        JsonBuilder answer = judge(r, s.device.spot);
        String outcome = (String) answer.build().get("outcome");
        if ("REDEEMED".equals(outcome)) {
            record(new Scan(r, false));
            answer.put("redeemedAt", clock.instant());
        }
        Reply reply = ok(answer);
        redeemAnswers.put(s.device.id + ":" + idempotencyKey, new Answer(reply.body, outcome));
        return reply;
    }

    private JsonBuilder judge(ScanRecord r, ScenicSpot spot) {
        DecodeResult d = TicketCodec.decode(r.code());
        if (d instanceof DecodeResult.Malformed) {
            return JsonBuilder.object().put("outcome", ((DecodeResult.Malformed) d).code().name());
        }
        TicketCode code = d.ticketCode().get();
        TicketPayload t = code.payload();
        Optional<IssuerKey> key = new KeySet(keySetVersion, publishedKeys).key(t.keyId());
        if (!key.isPresent()) {
            return JsonBuilder.object().put("outcome", "UNKNOWN_KEY");
        }
        if (!code.isSignedBy(key.get().publicKey())) {
            return JsonBuilder.object().put("outcome", "FORGED");
        }
        Instant now = clock.instant();
        if (!key.get().isActiveAt(now, Duration.ZERO)) {
            return JsonBuilder.object().put("outcome", "KEY_EXPIRED");
        }
        for (Revocation rev : revocations) {
            if (rev.ticketId() == t.ticketId()) {
                return JsonBuilder.object().put("outcome", "REVOKED").put("revokedAt", rev.revokedAt())
                        .put("revocationReason", rev.reason());
            }
        }
        if (!t.isValidAt(spot.id())) {
            return JsonBuilder.object().put("outcome", "WRONG_SPOT");
        }
        if (now.isBefore(t.validFrom())) {
            return JsonBuilder.object().put("outcome", "NOT_YET_VALID");
        }
        if (!now.isBefore(t.validUntil())) {
            return JsonBuilder.object().put("outcome", "EXPIRED");
        }
        List<Scan> used = redemptions.getOrDefault(t.ticketId() + ":" + spot.id(), List.of());
        if (used.size() >= t.uses()) {
            List<Object> previous = new ArrayList<>();
            for (Scan u : used) {
                previous.add(JsonBuilder.object().put("redeemedAt", u.record.scannedAt())
                        .put("spotId", Long.toString(u.record.spotId())).put("spotName", spot.name())
                        .put("deviceId", u.record.deviceId()).put("gate", "North gate").build());
            }
            return JsonBuilder.object().put("outcome", "ALREADY_REDEEMED").put("message", "Already used")
                    .put("previous", previous);
        }
        return JsonBuilder.object().put("outcome", "REDEEMED").put("remainingUses", (long) (t.uses() - used.size() - 1));
    }

    /** Records a scan; earliest scan first; one payout per ticket and spot. */
    private void record(Scan scan) {
        List<Scan> list = redemptions.computeIfAbsent(scan.record.ticketId() + ":" + scan.record.spotId(), k -> new ArrayList<>());
        if (list.isEmpty()) {
            payouts.incrementAndGet();
        }
        list.add(scan);
        list.sort(Comparator.comparing((Scan s) -> s.record.scannedAt()));
        scansById.put(scan.record.recordId(), scan);
    }

    private Reply sync(Session s, JsonObject o) {
        List<Object> results = new ArrayList<>();
        for (JsonObject raw : o.objects("records")) {
            ScanRecord r = Wire.scanRecord(raw);
            JsonBuilder result = JsonBuilder.object().put("recordId", r.recordId());
            Answer online = redeemAnswers.get(r.deviceId() + ":" + r.recordId());
            if (scansById.containsKey(r.recordId()) || (online != null && "REDEEMED".equals(online.outcome))) {
                results.add(result.put("status", "DUPLICATE").build());
                continue;
            }
            if (!r.deviceId().equals(s.device.id) || !r.isSignedBy(s.device.key)) {
                results.add(result.put("status", "REJECTED").put("code", "BAD_RECORD_SIGNATURE")
                        .put("message", "record not signed by this device").build());
                continue;
            }
            TicketPayload t = TicketCodec.decode(r.code()).ticketCode().get().payload();
            List<Scan> used = redemptions.getOrDefault(t.ticketId() + ":" + r.spotId(), List.of());
            List<Scan> earlier = new ArrayList<>();
            for (Scan u : used) {
                if (u.record.scannedAt().isBefore(r.scannedAt())) {
                    earlier.add(u);
                }
            }
            record(new Scan(r, true));
            if (earlier.size() >= t.uses()) {
                Scan winner = earlier.get(0);
                conflictReports.add("ticket " + t.ticketId() + ": " + winner.record.deviceId() + " at " + winner.record.scannedAt()
                        + " vs " + r.deviceId() + " at " + r.scannedAt());
                results.add(result.put("status", "CONFLICT").put("message", "ticket already redeemed earlier")
                        .put("winner", JsonBuilder.object().put("recordId", winner.record.recordId())
                                .put("deviceId", winner.record.deviceId()).put("spotId", Long.toString(winner.record.spotId()))
                                .put("spotName", WEST_LAKE.name()).put("scannedAt", winner.record.scannedAt())).build());
            } else {
                results.add(result.put("status", "RECORDED").build());
            }
        }
        return ok(JsonBuilder.object().put("results", results));
    }
}
