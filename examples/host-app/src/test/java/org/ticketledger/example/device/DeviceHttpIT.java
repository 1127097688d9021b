package org.ticketledger.example.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.ScanRecord;

/**
 * The device routes spoken to byte by byte (no SDK): problem documents, headers, idempotent
 * redeem retries, refused records and replayed nonces, as DEVICE-API.md specifies them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DeviceWorld w;
    private RawDevice device;

    @BeforeAll
    void world() throws Exception {
        w = new DeviceWorld();
        device = new RawDevice();
        device.provisionAndLogin(w.provisioningToken(w.westLake, "North gate"));
    }

    @AfterAll
    void close() {
        w.close();
    }

    /** A device made of a key pair and raw HTTP calls. */
    private final class RawDevice {
        final KeyPair key = EcP256.generateKeyPair();
        String deviceId;
        String credential;
        long spot;
        String access;
        String refresh;
        long sequence;

        ObjectNode jwk() {
            ECPublicKey pub = (ECPublicKey) key.getPublic();
            return JSON.createObjectNode().put("kty", "EC").put("crv", "P-256").put("x", b64(EcP256.x(pub))).put("y", b64(EcP256.y(pub)));
        }

        void provisionAndLogin(String token) throws Exception {
            ObjectNode body = JSON.createObjectNode().put("provisioningToken", token);
            body.set("devicePublicKey", jwk());
            HttpResponse<String> p = post("/device/v1/provision", body, Map.of());
            assertThat(p.statusCode()).isEqualTo(201);
            JsonNode pj = JSON.readTree(p.body());
            deviceId = pj.get("deviceId").asText();
            credential = pj.get("deviceCredential").asText();
            spot = Long.parseLong(pj.get("spot").get("id").asText());
            HttpResponse<String> l = post("/device/v1/login", login("li.wei", DeviceWorld.PASSWORD), Map.of());
            assertThat(l.statusCode()).isEqualTo(200);
            JsonNode lj = JSON.readTree(l.body());
            access = lj.get("accessToken").asText();
            refresh = lj.get("refreshToken").asText();
            assertThat(lj.get("tokenType").asText()).isEqualTo("Bearer");
            assertThat(lj.get("expiresIn").asLong()).isEqualTo(900);
            assertThat(lj.get("policy").get("maxOfflineSeconds").asLong()).isEqualTo(86_400);
            assertThat(lj.get("gate").asText()).endsWith(" gate");
        }

        ObjectNode login(String user, String password) {
            ObjectNode b = JSON.createObjectNode().put("deviceId", deviceId).put("deviceCredential", credential)
                    .put("username", user).put("password", password).put("sdkVersion", "raw");
            b.set("devicePublicKey", jwk());
            return b;
        }

        ScanRecord scan(String code, String nonce) {
            return scan(ScanRecord.newRecordId(), code, nonce);
        }

        ScanRecord scan(String recordId, String code, String nonce) {
            long ticketId = org.ticketledger.verify.TicketCodec.decode(code).ticketCode().orElseThrow().payload().ticketId();
            return ScanRecord.builder().recordId(recordId).deviceId(deviceId).spotId(spot).ticketId(ticketId)
                    .code(code).scannedAt(w.clock.instant().truncatedTo(ChronoUnit.MILLIS)).clockOffsetMillis(0)
                    .sequence(sequence++).nonce(nonce)
                    .sign(new org.ticketledger.verify.spi.DeviceSigner() {
                        @Override
                        public ECPublicKey publicKey() {
                            return (ECPublicKey) key.getPublic();
                        }

                        @Override
                        public byte[] sign(byte[] message) {
                            return EcP256.sign(key.getPrivate(), message);
                        }
                    });
        }

        Map<String, String> auth() {
            return Map.of("Authorization", "Bearer " + access);
        }
    }

    private static ObjectNode json(ScanRecord r) {
        return JSON.createObjectNode().put("recordId", r.recordId()).put("deviceId", r.deviceId())
                .put("spotId", Long.toString(r.spotId())).put("ticketId", Long.toString(r.ticketId())).put("code", r.code())
                .put("scannedAt", r.scannedAt().toString()).put("clockOffsetMillis", r.clockOffsetMillis())
                .put("sequence", r.sequence()).put("nonce", r.nonce()).put("signature", b64(r.signature()));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private HttpResponse<String> post(String path, JsonNode body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.url() + path)).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("type").asText()).isEqualTo("https://ticketledger.org/problems/device/" + code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(Instant.parse(p.get("serverTime").asText())).isCloseTo(Instant.now(), within());
        return p;
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return new org.assertj.core.data.TemporalUnitWithinOffset(1, ChronoUnit.HOURS);
    }

    @Test
    void answersTimeWithoutAuthenticationAndEveryAnswerCarriesServerTimeAndDate() throws Exception {
        HttpResponse<String> r = get("/device/v1/time", Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Date")).isPresent();
        assertThat(JSON.readTree(r.body()).get("serverTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
    }

    @Test
    void refusesMissingAndUnknownTokensWithABearerChallenge() throws Exception {
        HttpResponse<String> none = get("/device/v1/keys", Map.of());
        problem(none, 401, "unauthenticated");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        problem(get("/device/v1/revocations?since=0", Map.of("Authorization", "Bearer at-nope")), 401, "unauthenticated");
        problem(post("/device/v1/refresh", JSON.createObjectNode().put("refreshToken", "rt-nope"), Map.of()), 401,
                "invalid-refresh-token");
        problem(post("/device/v1/login", device.login("li.wei", "wrong"), Map.of()), 401, "invalid-credentials");
    }

    @Test
    void refusesMalformedRequests() throws Exception {
        ObjectNode badKey = JSON.createObjectNode().put("provisioningToken", "pt-x");
        badKey.set("devicePublicKey", JSON.createObjectNode().put("kty", "EC").put("crv", "P-256").put("x", b64(new byte[32]))
                .put("y", b64(new byte[32])));
        problem(post("/device/v1/provision", badKey, Map.of()), 400, "malformed-request"); // not on the curve
        problem(get("/device/v1/revocations?since=-1", device.auth()), 400, "malformed-request");
        problem(post("/device/v1/sync", JSON.createObjectNode().put("records", "none"), device.auth()), 400, "malformed-request");
        ObjectNode tooMany = JSON.createObjectNode();
        ArrayNode records = tooMany.putArray("records");
        String code = w.ticket().code();
        for (int i = 0; i < 101; i++) {
            records.add(json(device.scan(code, ScanRecord.newNonce())));
        }
        problem(post("/device/v1/sync", tooMany, device.auth()), 400, "malformed-request");
        ScanRecord r = device.scan(w.ticket().code(), ScanRecord.newNonce());
        problem(post("/device/v1/redeem", json(r), device.auth()), 400, "malformed-request"); // no Idempotency-Key
        // An unknown token outranks the malformed request (the route checks the token inside the redemption otherwise).
        problem(post("/device/v1/redeem", json(r), Map.of("Authorization", "Bearer at-nope")), 401, "unauthenticated");
        problem(post("/device/v1/redeem", JSON.createObjectNode().put("record", "none"),
                Map.of("Authorization", "Bearer at-nope", "Idempotency-Key", r.recordId())), 401, "unauthenticated");
        // over the host's body limit: still the device API's own problem, never a 5xx
        ObjectNode huge = JSON.createObjectNode().put("pad", "x".repeat(1_100_000));
        huge.putArray("records");
        problem(post("/device/v1/sync", huge, device.auth()), 400, "malformed-request");
    }

    @Test
    void servesTheKeySetWithAnETagAndRevocationsAsDeltas() throws Exception {
        HttpResponse<String> keys = get("/device/v1/keys", device.auth());
        assertThat(keys.statusCode()).isEqualTo(200);
        String etag = keys.headers().firstValue("ETag").orElseThrow();
        JsonNode k = JSON.readTree(keys.body());
        assertThat(etag).isEqualTo("\"" + k.get("version").asLong() + "\"");
        assertThat(k.get("keys").get(0).get("alg").asText()).isEqualTo("ES256");
        HttpResponse<String> same = get("/device/v1/keys", Map.of("Authorization", "Bearer " + device.access, "If-None-Match", etag));
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();

        JsonNode full = JSON.readTree(get("/device/v1/revocations?since=0", device.auth()).body());
        assertThat(full.get("full").asBoolean()).isTrue();
        assertThat(full.has("since")).isFalse();
        long version = full.get("version").asLong();
        Ticket t = w.ticket();
        w.ticketing.tickets().refund(new org.ticketledger.ticketing.ticket.RefundRequest(w.distributor.id(), t.id(), "cancelled"));
        JsonNode delta = JSON.readTree(get("/device/v1/revocations?since=" + version, device.auth()).body());
        assertThat(delta.get("full").asBoolean()).as("since=0 is always full").isEqualTo(version == 0);
        assertThat(delta.get("version").asLong()).isEqualTo(version + 1);
        JsonNode last = delta.get("entries").get(delta.get("entries").size() - 1);
        assertThat(last.get("ticketId").asText()).isEqualTo(t.number());
        assertThat(last.get("reason").asText()).isEqualTo("REFUNDED");
        assertThat(Instant.parse(last.get("expiresAt").asText())).isEqualTo(t.validUntil());
    }

    @Test
    void aRetriedRedeemGetsTheSameAnswerAndAnotherBodyUnderTheKeyIs422() throws Exception {
        ScanRecord r = device.scan(w.ticket().code(), ScanRecord.newNonce());
        Map<String, String> headers = Map.of("Authorization", "Bearer " + device.access, "Idempotency-Key", r.recordId());
        HttpResponse<String> first = post("/device/v1/redeem", json(r), headers);
        HttpResponse<String> retry = post("/device/v1/redeem", json(r), headers);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode a = JSON.readTree(first.body());
        JsonNode b = JSON.readTree(retry.body());
        assertThat(a.get("outcome").asText()).isEqualTo("REDEEMED");
        ((ObjectNode) a).remove("serverTime");
        ((ObjectNode) b).remove("serverTime");
        assertThat(b).isEqualTo(a);
        ScanRecord other = device.scan(r.recordId(), r.code(), ScanRecord.newNonce());
        problem(post("/device/v1/redeem", json(other), headers), 422, "idempotency-conflict");
    }

    @Test
    void refusesRecordsOfOtherDevicesAndReplayedNonces() throws Exception {
        ScanRecord good = device.scan(w.ticket().code(), ScanRecord.newNonce());
        ObjectNode tampered = json(good).put("clockOffsetMillis", 5); // signature no longer matches
        problem(post("/device/v1/redeem", tampered, Map.of("Authorization", "Bearer " + device.access,
                "Idempotency-Key", good.recordId())), 400, "bad-record");
        HttpResponse<String> ok = post("/device/v1/redeem", json(good), Map.of("Authorization", "Bearer " + device.access,
                "Idempotency-Key", good.recordId()));
        assertThat(JSON.readTree(ok.body()).get("outcome").asText()).isEqualTo("REDEEMED");

        ScanRecord replay = device.scan(w.ticket().code(), good.nonce());
        problem(post("/device/v1/redeem", json(replay), Map.of("Authorization", "Bearer " + device.access,
                "Idempotency-Key", replay.recordId())), 400, "bad-record");
        ObjectNode sync = JSON.createObjectNode();
        sync.putArray("records").add(json(replay)).add(json(good)).add(JSON.createObjectNode()
                .put("recordId", "3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d").put("nonce", "short"));
        JsonNode results = JSON.readTree(post("/device/v1/sync", sync, device.auth()).body()).get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("REJECTED");
        assertThat(results.get(0).get("code").asText()).isEqualTo("REPLAYED_NONCE");
        assertThat(results.get(1).get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(results.get(2).get("code").asText()).isEqualTo("MALFORMED_RECORD");
    }

    @Test
    void locksLoginAfterRepeatedFailuresWithRetryAfter() throws Exception {
        RawDevice d = new RawDevice();
        d.provisionAndLogin(w.provisioningToken(w.westLake, "Lock gate"));
        for (int i = 0; i < 5; i++) {
            problem(post("/device/v1/login", d.login("nobody", "x" + i), Map.of()), 401, "invalid-credentials");
        }
        HttpResponse<String> locked = post("/device/v1/login", d.login("li.wei", DeviceWorld.PASSWORD), Map.of());
        problem(locked, 429, "too-many-attempts");
        assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
    }

    @Test
    void logoutInvalidatesBothTokens() throws Exception {
        RawDevice d = new RawDevice();
        d.provisionAndLogin(w.provisioningToken(w.westLake, "Exit gate"));
        HttpResponse<String> out = post("/device/v1/logout", JSON.createObjectNode().put("refreshToken", d.refresh), d.auth());
        assertThat(out.statusCode()).isEqualTo(204);
        problem(get("/device/v1/keys", d.auth()), 401, "unauthenticated");
        problem(post("/device/v1/refresh", JSON.createObjectNode().put("refreshToken", d.refresh), Map.of()), 401,
                "invalid-refresh-token");
    }
}
