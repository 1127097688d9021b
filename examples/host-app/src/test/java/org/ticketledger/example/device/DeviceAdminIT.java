package org.ticketledger.example.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ticketledger.example.testing.TestPlatform.problem;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.http.RouteSpec;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ticketing.device.LoginRequest;
import org.ticketledger.ticketing.device.ProvisionRequest;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.LoginResult;
import org.ticketledger.verify.OperatorCredentials;
import org.ticketledger.verify.ProvisionResult;
import org.ticketledger.verify.RedeemResult;
import org.ticketledger.verify.SyncResult;
import org.ticketledger.verify.UnableToAuthenticateException;
import org.ticketledger.verify.VerifierClient;

/**
 * The admin API over devices and codes, driven over HTTP with the real device SDK on the other
 * side: provisioning tokens, operators, the device list with heartbeats, revocation of devices and
 * operators, conflicts, issuer keys and revocations; plus who may call what and bad bodies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceAdminIT {

    @TempDir
    File dir;

    private DeviceWorld w;
    private TestPlatform p;
    private int clients;

    @BeforeAll
    void world() {
        w = new DeviceWorld();
        p = w.platform;
    }

    @AfterAll
    void close() {
        w.close();
    }

    private VerifierClient client(DeviceWorld.SwitchableTransport net) {
        return VerifierClient.builder().serverUrl(w.url()).dataDirectory(new File(dir, "device-" + (++clients)))
                .transport(net).clock(w.clock).zone(ZoneOffset.UTC).requestTimeout(Duration.ofSeconds(10)).build();
    }

    private JsonNode admin(String method, String path, String body, int status) {
        return TestPlatform.json(TestPlatform.expect(p.admin(method, path, body), status));
    }

    private String provisioningToken(String gate) {
        return admin("POST", "/admin/v1/devices/provisioning-tokens",
                "{\"spotId\":\"" + w.westLake.id() + "\",\"gate\":\"" + gate + "\"}", 201).path("qrText").asText();
    }

    private VerifierClient ready(String gate, String username, String password, DeviceWorld.SwitchableTransport net) {
        VerifierClient c = client(net);
        assertThat(c.provision(provisioningToken(gate))).isInstanceOf(ProvisionResult.Provisioned.class);
        assertThat(c.login(OperatorCredentials.password(username, password))).isInstanceOf(LoginResult.LoggedIn.class);
        c.sync();
        return c;
    }

    private int count(String table) {
        return p.count("SELECT count(*) FROM ticketing." + table);
    }

    @Test
    void anAdminProvisionsADeviceAndAnOperatorAndSeesTheHeartbeatThenRevokesThem() {
        JsonNode token = admin("POST", "/admin/v1/devices/provisioning-tokens",
                "{\"spotId\":\"" + w.westLake.id() + "\",\"gate\":\"East gate\"}", 201);
        assertThat(token.path("qrText").asText()).startsWith("pt-").isEqualTo(token.path("token").asText());
        assertThat(token.path("spot").path("name").asText()).isEqualTo("West Lake");
        assertThat(token.path("gate").asText()).isEqualTo("East gate");
        JsonNode op = admin("POST", "/admin/v1/operators", "{\"username\":\"wang.fang\",\"name\":\"Wang Fang\","
                + "\"password\":\"gate keeper 1\",\"pin\":\"1357\",\"spotIds\":[\"" + w.westLake.id() + "\"]}", 201);
        assertThat(op.path("id").asText()).startsWith("op-");
        assertThat(op.path("hasPassword").asBoolean()).isTrue();
        assertThat(op.path("hasPin").asBoolean()).isTrue();
        assertThat(op.toString()).doesNotContain("gate keeper 1").doesNotContain("1357");
        assertThat(admin("GET", "/admin/v1/operators/wang.fang", null, 200).path("id").asText()).isEqualTo(op.path("id").asText());

        try (VerifierClient c = client(new DeviceWorld.SwitchableTransport())) {
            assertThat(c.provision(token.path("qrText").asText())).isInstanceOf(ProvisionResult.Provisioned.class);
            assertThat(client(new DeviceWorld.SwitchableTransport()).provision(token.path("qrText").asText()))
                    .as("the token is single-use").isInstanceOf(ProvisionResult.Refused.class);
            assertThat(c.login(OperatorCredentials.pin("wang.fang", "1357"))).isInstanceOf(LoginResult.LoggedIn.class);
            c.sync(); // sends a heartbeat too
            String deviceId = c.status().deviceId().orElseThrow();

            JsonNode list = admin("GET", "/admin/v1/devices?spotId=" + w.westLake.id(), null, 200);
            JsonNode listed = null;
            for (JsonNode d : list.path("items")) {
                if (d.path("id").asText().equals(deviceId)) {
                    listed = d;
                }
            }
            assertThat(listed).as(list.toString()).isNotNull();
            assertThat(listed.path("gate").asText()).isEqualTo("East gate");
            assertThat(listed.path("state").asText()).isEqualTo("ACTIVE");
            assertThat(listed.path("lastSeenAt").asText()).isNotEmpty();
            assertThat(listed.path("syncOverdue").asBoolean()).isFalse();
            assertThat(listed.path("heartbeat").path("sdkVersion").asText()).isEqualTo(VerifierClient.SDK_VERSION);
            assertThat(listed.path("heartbeat").path("queueDepth").asLong()).isZero();
            assertThat(listed.path("heartbeat").path("lastSyncAt").asText()).isNotEmpty();
            assertThat(admin("GET", "/admin/v1/devices", null, 200).path("items").findValuesAsText("id")).contains(deviceId);
            assertThat(admin("GET", "/admin/v1/devices?spotId=" + w.lingyin.id(), null, 200).path("items").findValuesAsText("id"))
                    .doesNotContain(deviceId);

            JsonNode revokedOp = admin("POST", "/admin/v1/operators/wang.fang/revoke", "{\"reason\":\"left the company\"}", 200);
            assertThat(revokedOp.path("revokedAt").asText()).isNotEmpty();
            assertThatThrownBy(c::sync).isInstanceOfSatisfying(UnableToAuthenticateException.class,
                    e -> assertThat(e.problemCode()).contains("operator-revoked"));

            assertThat(c.login(OperatorCredentials.password("li.wei", DeviceWorld.PASSWORD))).isInstanceOf(LoginResult.LoggedIn.class);
            JsonNode revoked = admin("POST", "/admin/v1/devices/" + deviceId + "/revoke", "{\"reason\":\"stolen\"}", 200);
            assertThat(revoked.path("state").asText()).isEqualTo("REVOKED");
            assertThatThrownBy(() -> c.redeem(w.ticket().code())).isInstanceOfSatisfying(UnableToAuthenticateException.class,
                    e -> assertThat(e.problemCode()).contains("device-revoked"));
            assertThat(admin("GET", "/admin/v1/devices/" + deviceId, null, 200).path("revokedAt").asText()).isNotEmpty();
        }
        problem(p.admin("GET", "/admin/v1/devices/dev-nope", null), 404, "unknown-device");
        problem(p.admin("POST", "/admin/v1/devices/dev-nope/revoke", "{\"reason\":\"x\"}"), 404, "unknown-device");
        problem(p.admin("GET", "/admin/v1/operators/nobody", null), 404, "unknown-operator");
        problem(p.admin("POST", "/admin/v1/operators/nobody/revoke", "{\"reason\":\"x\"}"), 404, "unknown-operator");
        problem(p.admin("GET", "/admin/v1/devices?spotId=no-such-spot", null), 404, "unknown-scenic-spot");
    }

    @Test
    void twoOfflineDevicesThatAdmittedTheSameTicketShowUpAsOneConflict() {
        long before = admin("GET", "/admin/v1/device-conflicts", null, 200).path("nextAfterId").asLong();
        DeviceWorld.SwitchableTransport netA = new DeviceWorld.SwitchableTransport();
        DeviceWorld.SwitchableTransport netB = new DeviceWorld.SwitchableTransport();
        try (VerifierClient a = ready("North gate", "li.wei", DeviceWorld.PASSWORD, netA);
             VerifierClient b = ready("South gate", "li.wei", DeviceWorld.PASSWORD, netB)) {
            Ticket ticket = w.ticket();
            netA.offline = true;
            netB.offline = true;
            assertThat(a.redeem(ticket.code()).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            w.clock.advance(Duration.ofSeconds(30));
            assertThat(b.redeem(ticket.code()).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            netA.offline = false;
            netB.offline = false;
            SyncResult first = a.sync();
            assertThat(first.recorded()).isEqualTo(1);
            SyncResult second = b.sync();
            assertThat(second.conflicts()).hasSize(1);

            JsonNode page = admin("GET", "/admin/v1/device-conflicts?spotId=" + w.westLake.id() + "&afterId=" + before, null, 200);
            assertThat(page.path("items")).hasSize(1);
            JsonNode c = page.path("items").get(0);
            assertThat(c.path("ticketNumber").asText()).isEqualTo(ticket.number());
            assertThat(c.path("ticketId").asText()).isEqualTo(ticket.id());
            assertThat(c.path("winner").path("deviceId").asText()).isEqualTo(a.status().deviceId().orElseThrow());
            assertThat(c.path("winner").path("gate").asText()).isEqualTo("North gate");
            assertThat(c.path("loser").path("deviceId").asText()).isEqualTo(b.status().deviceId().orElseThrow());
            assertThat(c.path("reportedToDevice").asBoolean()).isTrue();
            long next = page.path("nextAfterId").asLong();
            assertThat(next).isEqualTo(c.path("id").asLong());
            assertThat(admin("GET", "/admin/v1/device-conflicts?afterId=" + next, null, 200).path("items")).isEmpty();
        }
        problem(p.admin("GET", "/admin/v1/device-conflicts?afterId=-1", null), 400, "bad-request");
        problem(p.admin("GET", "/admin/v1/device-conflicts?limit=0", null), 400, "bad-request");
    }

    @Test
    void issuerKeysRotateAndACompromisedKeyLeavesTheKeySet() {
        JsonNode keys = admin("GET", "/admin/v1/signing-keys", null, 200);
        long version = keys.path("keySetVersion").asLong();
        int signing = -1;
        for (JsonNode k : keys.path("items")) {
            if (k.path("signing").asBoolean()) {
                signing = k.path("keyId").asInt();
                assertThat(k.path("published").asBoolean()).isTrue();
                assertThat(k.path("jwk").path("crv").asText()).isEqualTo("P-256");
            }
        }
        assertThat(signing).as(keys.toString()).isNotNegative();
        assertThat(keys.toString()).doesNotContain("private").doesNotContain("\"d\"");

        JsonNode rotated = admin("POST", "/admin/v1/signing-keys/rotate", null, 201);
        int fresh = rotated.path("keyId").asInt();
        assertThat(rotated.path("signing").asBoolean()).as("signs only after the publish lead").isFalse();
        assertThat(rotated.path("published").asBoolean()).isTrue();
        assertThat(admin("GET", "/admin/v1/signing-keys", null, 200).path("keySetVersion").asLong()).isEqualTo(version + 1);

        problem(p.admin("POST", "/admin/v1/signing-keys/" + signing + "/remove", "{\"reason\":\"test\"}"), 409, "invalid-state");
        JsonNode removed = admin("POST", "/admin/v1/signing-keys/" + fresh + "/remove", "{\"reason\":\"leaked in a backup\"}", 200);
        assertThat(removed.path("published").asBoolean()).isFalse();
        assertThat(removed.path("removedAt").asText()).isNotEmpty();
        assertThat(w.ticketing.codes().keySet().key(fresh)).isEmpty();
        problem(p.admin("POST", "/admin/v1/signing-keys/" + fresh + "/remove", "{\"reason\":\"again\"}"), 404, "unknown-signing-key");
        problem(p.admin("POST", "/admin/v1/signing-keys/abc/remove", "{\"reason\":\"x\"}"), 400, "bad-request");
        problem(p.admin("POST", "/admin/v1/signing-keys/70000/remove", "{\"reason\":\"x\"}"), 400, "bad-request");
        problem(p.admin("POST", "/admin/v1/signing-keys/" + signing + "/remove", "{}"), 422, "validation-failed");
    }

    @Test
    void refundedTicketsAreListedAsRevocationsWithDeltas() {
        Ticket t = w.ticket();
        w.ticketing.tickets().refund(new RefundRequest(w.distributor.id(), t.id(), "visitor cancelled"));
        JsonNode full = admin("GET", "/admin/v1/revocations", null, 200);
        assertThat(full.path("full").asBoolean()).isTrue();
        assertThat(full.path("entries").findValuesAsText("ticketId")).contains(t.number());
        assertThat(full.path("entries").findValuesAsText("reason")).contains("REFUNDED");
        long version = full.path("version").asLong();
        JsonNode delta = admin("GET", "/admin/v1/revocations?since=" + version, null, 200);
        assertThat(delta.path("full").asBoolean()).isFalse();
        assertThat(delta.path("since").asLong()).isEqualTo(version);
        assertThat(delta.path("entries")).isEmpty();
        problem(p.admin("GET", "/admin/v1/revocations?since=-1", null), 400, "bad-request");
        problem(p.admin("GET", "/admin/v1/revocations?since=x", null), 400, "bad-request");
    }

    @Test
    void theDeviceAdminRoutesAcceptOnlyAdminTokensAndWritesOnlyTheOperatorRole() throws Exception {
        SignedHttpClient distributor = p.distributor(w.distributor.id());
        String deviceToken = deviceAccessToken();
        int operators = count("operators");
        int checked = 0;
        for (RouteSpec r : p.app().routes()) {
            if (!r.tag().equals("admin-devices")) {
                continue;
            }
            checked++;
            String path = r.path().replace("{deviceId}", "dev-x").replace("{operator}", "li.wei").replace("{keyId}", "1");
            String body = r.method().equals("GET") ? null : "{\"reason\":\"x\"}";
            problem(p.send(r.method(), path, body, "Content-Type", "application/json"), 401, "authentication-required");
            problem(p.send(r.method(), path, body, "Content-Type", "application/json", "Authorization", "Bearer " + deviceToken),
                    401, "invalid-credentials");
            problem(distributor.send(r.method(), path, body == null ? "" : body, Map.of()), 401, "authentication-required");
            HttpResponse<String> audit = p.send(r.method(), path, body, "Content-Type", "application/json",
                    "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN);
            if (r.method().equals("GET")) {
                assertThat(audit.statusCode()).as(r.path() + " " + audit.body()).isIn(200, 404);
            } else {
                problem(audit, 403, "forbidden");
            }
        }
        assertThat(checked).isEqualTo(12);
        assertThat(count("operators")).as("no refused write happened").isEqualTo(operators);
        // and the other way round: an admin token opens no device route
        HttpResponse<String> keys = p.send("GET", "/device/v1/keys", null, "Authorization", "Bearer " + TestPlatform.OPERATOR_TOKEN);
        assertThat(keys.statusCode()).isEqualTo(401);
        assertThat(TestPlatform.json(keys).path("code").asText()).isEqualTo("unauthenticated");
    }

    /** A real device access token, from a login through ticketing. */
    private String deviceAccessToken() {
        KeyPair key = EcP256.generateKeyPair();
        String token = provisioningToken("Gate 9");
        var provisioned = (org.ticketledger.ticketing.device.ProvisionResult.Provisioned) w.ticketing.devices().provision(
                new ProvisionRequest(token, (ECPublicKey) key.getPublic(), Optional.empty(), Optional.empty()));
        var in = (org.ticketledger.ticketing.device.LoginResult.LoggedIn) w.ticketing.devices().login(new LoginRequest(
                provisioned.deviceId(), provisioned.deviceCredential(), "li.wei", Optional.of(DeviceWorld.PASSWORD),
                Optional.empty(), (ECPublicKey) key.getPublic(), Optional.empty()));
        return in.grant().accessToken();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{", "not json", "{\"spotId\":\"x\"}{}"})
    void malformedJsonIs400AndWritesNothing(String body) {
        int tokens = count("provisioning_tokens");
        problem(p.admin("POST", "/admin/v1/devices/provisioning-tokens", body), 400, "malformed-json");
        problem(p.admin("POST", "/admin/v1/operators", body), 400, "malformed-json");
        assertThat(count("provisioning_tokens")).isEqualTo(tokens);
    }

    @Test
    void invalidBodiesAre422WithPointersAndWriteNothing() {
        int tokens = count("provisioning_tokens");
        int operators = count("operators");
        String spot = w.westLake.id();
        assertThat(problem(p.admin("POST", "/admin/v1/devices/provisioning-tokens", "{}"), 422, "validation-failed")
                .path("errors").findValuesAsText("pointer")).containsExactly("/spotId");
        assertThat(problem(p.admin("POST", "/admin/v1/devices/provisioning-tokens",
                "{\"spotId\":\"" + spot + "\",\"gate\":5,\"extra\":1}"), 422, "validation-failed")
                .path("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder("/gate", "/extra");
        problem(p.admin("POST", "/admin/v1/devices/provisioning-tokens", "{\"spotId\":\"no-such-spot\"}"), 404, "unknown-scenic-spot");
        assertThat(problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"zhao.lei\",\"name\":\"Zhao Lei\",\"spotIds\":[\"" + spot + "\"]}"), 422, "validation-failed")
                .path("errors").findValuesAsText("pointer")).containsExactly("/password");
        assertThat(problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"zhao.lei\",\"name\":\"Zhao Lei\",\"password\":\"long enough\",\"spotIds\":[7]}"), 422,
                "validation-failed").path("errors").findValuesAsText("pointer")).containsExactly("/spotIds/0");
        problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"zhao.lei\",\"name\":\"Zhao Lei\",\"password\":\"long enough\",\"spotIds\":[]}"), 422,
                "validation-failed");
        problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"Zhao Lei\",\"name\":\"Zhao Lei\",\"password\":\"long enough\",\"spotIds\":[\"" + spot + "\"]}"),
                422, "validation-failed");
        problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"zhao.lei\",\"name\":\"Zhao Lei\",\"pin\":\"12ab\",\"spotIds\":[\"" + spot + "\"]}"),
                422, "validation-failed");
        problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"zhao.lei\",\"name\":\"Zhao Lei\",\"password\":\"short\",\"spotIds\":[\"" + spot + "\"]}"),
                422, "validation-failed");
        problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"li.wei\",\"name\":\"Li Wei\",\"password\":\"long enough\",\"spotIds\":[\"" + spot + "\"]}"),
                409, "username-taken");
        problem(p.admin("POST", "/admin/v1/operators",
                "{\"username\":\"zhao.lei\",\"name\":\"Zhao Lei\",\"password\":\"long enough\",\"spotIds\":[\"no-such-spot\"]}"),
                404, "unknown-scenic-spot");
        problem(p.admin("POST", "/admin/v1/operators/li.wei/revoke", "{\"reason\":\"\"}"), 422, "validation-failed");
        problem(p.admin("POST", "/admin/v1/operators/li.wei/revoke", "{\"why\":\"x\"}"), 422, "validation-failed");
        assertThat(count("provisioning_tokens")).isEqualTo(tokens);
        assertThat(count("operators")).isEqualTo(operators);
        assertThat(w.ticketing.devices().operator("li.wei").orElseThrow().revokedAt()).isEmpty();
    }
}
