package org.ticketledger.example.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ticketledger.example.http.Schemas;

/**
 * The JSON schemas of DEVICE-API.md §4 for the OpenAPI document. Request schemas are open: the
 * device routes ignore fields they do not know, so that newer SDKs can talk to older servers.
 */
final class DeviceSchemas {

    private DeviceSchemas() {
    }

    private static final String TIME_TEXT = "RFC 3339 UTC time with milliseconds";

    private static ObjectNode time(String what) {
        return Schemas.string(what + " (" + TIME_TEXT + ")").put("format", "date-time");
    }

    private static ObjectNode id(String what) {
        return Schemas.string(what + " (decimal string)").put("pattern", "^[1-9][0-9]{0,18}$");
    }

    static final ObjectNode JWK = Schemas.object()
            .prop("kty", Schemas.string("EC"), true).prop("crv", Schemas.string("P-256"), true)
            .prop("x", Schemas.string("32 bytes, unpadded base64url"), true)
            .prop("y", Schemas.string("32 bytes, unpadded base64url"), true).open().build();

    static final ObjectNode SPOT = Schemas.object().prop("id", id("Scenic spot number in ticket codes"), true)
            .prop("name", Schemas.string(), true).build();

    static final ObjectNode PROBLEM = Schemas.object()
            .prop("type", Schemas.string("https://ticketledger.org/problems/device/<code>"), true)
            .prop("title", Schemas.string(), true).prop("status", Schemas.integer("HTTP status"), true)
            .prop("detail", Schemas.string("For people; never a secret"), true)
            .prop("code", Schemas.string("Stable code (DEVICE-API.md §3), e.g. invalid-credentials"), true)
            .prop("serverTime", time("Server time"), true).build();

    static final ObjectNode TIME = Schemas.object().prop("serverTime", time("Server time"), true).build();

    static final ObjectNode PROVISION = Schemas.object()
            .prop("provisioningToken", Schemas.string("The text of the admin's QR code (pt-...)"), true)
            .prop("devicePublicKey", JWK, true)
            .prop("deviceInfo", Schemas.object().prop("sdkVersion", Schemas.string(), false)
                    .prop("platform", Schemas.string(), false).open().build(), false)
            .open().build();

    static final ObjectNode PROVISIONED = Schemas.object()
            .prop("deviceId", Schemas.string("dev-..."), true)
            .prop("deviceCredential", Schemas.string("Secret, shown once; the server keeps only its hash"), true)
            .prop("spot", SPOT, true).prop("gate", Schemas.string(), false).prop("serverTime", time("Server time"), true).build();

    static final ObjectNode LOGIN = Schemas.object()
            .prop("deviceId", Schemas.string(), true).prop("deviceCredential", Schemas.string(), true)
            .prop("username", Schemas.string(), true)
            .prop("password", Schemas.string("Exactly one of password and pin"), false)
            .prop("pin", Schemas.string("4-12 digits; only on devices of the operator's spots"), false)
            .prop("devicePublicKey", JWK, true).prop("sdkVersion", Schemas.string(), false).open().build();

    static final ObjectNode REFRESH = Schemas.object().prop("refreshToken", Schemas.string("rt-..."), true).open().build();

    static final ObjectNode GRANT = Schemas.object()
            .prop("accessToken", Schemas.string("at-..."), true).prop("tokenType", Schemas.string("Bearer"), true)
            .prop("expiresIn", Schemas.integer("Seconds from now"), true)
            .prop("refreshToken", Schemas.string("rt-... (single use)"), true)
            .prop("refreshExpiresIn", Schemas.integer("Seconds from now"), true)
            .prop("deviceId", Schemas.string(), true)
            .prop("operator", Schemas.object().prop("id", Schemas.string(), true).prop("name", Schemas.string(), true).build(), true)
            .prop("spot", SPOT, true).prop("gate", Schemas.string(), false)
            .prop("policy", Schemas.object().prop("maxOfflineSeconds", Schemas.integer("The longest a device may redeem offline"),
                    true).build(), true)
            .prop("serverTime", time("Server time"), true).build();

    static final ObjectNode KEYS = Schemas.object()
            .prop("version", Schemas.integer("Grows whenever the set changes (also the ETag)"), true)
            .prop("keys", Schemas.array(Schemas.object()
                    .prop("kid", Schemas.string("Key id in ticket codes, 0..65535 (decimal string)"), true)
                    .prop("kty", Schemas.string("EC"), true).prop("crv", Schemas.string("P-256"), true)
                    .prop("alg", Schemas.string("ES256"), true).prop("use", Schemas.string("sig"), true)
                    .prop("x", Schemas.string(), true).prop("y", Schemas.string(), true)
                    .prop("notBefore", time("Valid from"), true).prop("notAfter", time("Valid until"), true).build()), true)
            .prop("serverTime", time("Server time"), true).build();

    static final ObjectNode REVOCATIONS = Schemas.object()
            .prop("since", Schemas.integer("Echoes the request's since (deltas only)"), false)
            .prop("version", Schemas.integer("Number of the latest revocation"), true)
            .prop("full", Schemas.bool("Whether entries is the whole list"), true)
            .prop("entries", Schemas.array(Schemas.object().prop("ticketId", id("Ticket id in the code"), true)
                    .prop("revokedAt", time("Revoked"), true).prop("expiresAt", time("The ticket's validUntil"), true)
                    .prop("reason", Schemas.string("REFUNDED, CANCELLED, ..."), true).build()), true)
            .prop("serverTime", time("Server time"), true).build();

    static final ObjectNode SCAN_RECORD = Schemas.object()
            .prop("recordId", Schemas.string("UUID; equals the Idempotency-Key on redeem"), true)
            .prop("deviceId", Schemas.string(), true).prop("spotId", id("The session's spot"), true)
            .prop("ticketId", id("Ticket id in the code"), true).prop("code", Schemas.string("The scanned code (TL:...)"), true)
            .prop("scannedAt", time("Device time of the scan"), true)
            .prop("clockOffsetMillis", Schemas.integer("The correction the SDK applied"), true)
            .prop("sequence", Schemas.integer("The device's record counter"), true)
            .prop("nonce", Schemas.string(), true)
            .prop("signature", Schemas.string("ES256 by the device key, 64 bytes unpadded base64url (DEVICE-API.md §5.2)"), true)
            .open().build();

    private static final ObjectNode PRIOR = Schemas.object().prop("redeemedAt", time("When"), false)
            .prop("scannedAt", time("When (sync winners)"), false).prop("recordId", Schemas.string(), false)
            .prop("spotId", id("Where"), true).prop("spotName", Schemas.string(), true)
            .prop("deviceId", Schemas.string("By which device"), true).prop("gate", Schemas.string(), false).build();

    static final ObjectNode REDEEMED = Schemas.object()
            .prop("outcome", Schemas.string("REDEEMED, ALREADY_REDEEMED, WRONG_SPOT, NOT_YET_VALID, EXPIRED, REVOKED, FORGED, "
                    + "UNKNOWN_KEY, KEY_EXPIRED, INVALID or UNSUPPORTED_VERSION"), true)
            .prop("ticketId", id("Ticket id"), false).prop("redeemedAt", time("Recorded (REDEEMED)"), false)
            .prop("remainingUses", Schemas.integer("Uses left at this spot (REDEEMED)"), false)
            .prop("revokedAt", time("REVOKED"), false).prop("revocationReason", Schemas.string("REVOKED"), false)
            .prop("message", Schemas.string(), false)
            .prop("previous", Schemas.array(PRIOR), false)
            .prop("serverTime", time("Server time"), true).build();

    static final ObjectNode SYNC = Schemas.object()
            .prop("records", Schemas.array(SCAN_RECORD).put("maxItems", 100), true).open().build();

    static final ObjectNode SYNCED = Schemas.object()
            .prop("results", Schemas.array(Schemas.object().prop("recordId", Schemas.string(), true)
                    .prop("status", Schemas.string("RECORDED, DUPLICATE, CONFLICT or REJECTED"), true)
                    .prop("code", Schemas.string("Why REJECTED, e.g. BAD_RECORD_SIGNATURE"), false)
                    .prop("message", Schemas.string(), false)
                    .prop("winner", PRIOR, false).build()), true)
            .prop("serverTime", time("Server time"), true).build();

    static final ObjectNode HEARTBEAT = Schemas.object()
            .prop("sdkVersion", Schemas.string(), false).prop("queueDepth", Schemas.integer("Unsynced records"), false)
            .prop("lastSyncAt", time("Last successful sync"), false)
            .prop("keySetVersion", Schemas.integer("Held"), false).prop("revocationVersion", Schemas.integer("Held"), false)
            .prop("deviceTime", time("Raw device clock"), false)
            .prop("clockOffsetMillis", Schemas.integer("Correction applied"), false)
            .prop("journalRecordsLost", Schemas.integer("Damaged journal frames skipped"), false).open().build();

    static final ObjectNode HEARTBEAT_ANSWER = Schemas.object()
            .prop("keySetVersion", Schemas.integer("Current"), true).prop("revocationVersion", Schemas.integer("Current"), true)
            .prop("serverTime", time("Server time"), true).build();
}
