package org.ticketledger.verify.internal;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.Revocation;
import org.ticketledger.verify.RevocationDelta;
import org.ticketledger.verify.RevocationList;
import org.ticketledger.verify.ScanRecord;
import org.ticketledger.verify.TicketPayload;

/**
 * JSON shapes of DEVICE-API.md that are also persisted locally: scan records, JWKs, the key set and
 * revocation lists. Readers throw {@link JsonException} naming the offending field. Not API.
 */
public final class Wire {

    /** Ids of tickets are signed 64-bit positive; spot/product ids unsigned 32-bit. */
    public static final long MAX_TICKET_ID = Long.MAX_VALUE;

    private Wire() {
    }

    // ---- scan records ----------------------------------------------------------------------

    public static JsonBuilder scanRecordJson(ScanRecord r) {
        return JsonBuilder.object()
                .put("recordId", r.recordId())
                .put("deviceId", r.deviceId())
                .put("spotId", Long.toString(r.spotId()))
                .put("ticketId", Long.toString(r.ticketId()))
                .put("code", r.code())
                .put("scannedAt", r.scannedAt())
                .put("clockOffsetMillis", r.clockOffsetMillis())
                .put("sequence", r.sequence())
                .put("nonce", r.nonce())
                .put("signature", Base64Url.encode(r.signature()));
    }

    public static ScanRecord scanRecord(JsonObject o) {
        try {
            return ScanRecord.builder()
                    .recordId(o.string("recordId"))
                    .deviceId(o.string("deviceId"))
                    .spotId(o.id("spotId", 1, TicketPayload.MAX_U32))
                    .ticketId(o.id("ticketId", 1, MAX_TICKET_ID))
                    .code(o.string("code"))
                    .scannedAt(o.instant("scannedAt"))
                    .clockOffsetMillis(o.longValue("clockOffsetMillis"))
                    .sequence(o.longValue("sequence", 0, Long.MAX_VALUE))
                    .nonce(o.string("nonce"))
                    .withSignature(b64(o, "signature", EcP256.SIGNATURE_LENGTH));
        } catch (IllegalArgumentException e) {
            throw new JsonException("scan record: " + e.getMessage());
        }
    }

    // ---- keys -------------------------------------------------------------------------------

    /** The public JWK fields of a P-256 key: kty, crv, x, y. */
    public static JsonBuilder jwk(ECPublicKey key) {
        return JsonBuilder.object().put("kty", "EC").put("crv", "P-256")
                .put("x", Base64Url.encode(EcP256.x(key))).put("y", Base64Url.encode(EcP256.y(key)));
    }

    public static ECPublicKey publicKeyFromJwk(JsonObject o) {
        if (!"EC".equals(o.string("kty")) || !"P-256".equals(o.string("crv"))) {
            throw new JsonException("only EC P-256 JWKs are supported");
        }
        try {
            return EcP256.publicKey(b64(o, "x", 32), b64(o, "y", 32));
        } catch (IllegalArgumentException e) {
            throw new JsonException("JWK: " + e.getMessage());
        }
    }

    public static JsonBuilder keySetJson(KeySet keys) {
        List<Object> list = new ArrayList<>();
        for (IssuerKey k : keys.keys()) {
            list.add(jwk(k.publicKey()).put("kid", Integer.toString(k.keyId())).put("alg", "ES256").put("use", "sig")
                    .put("notBefore", k.notBefore()).put("notAfter", k.notAfter()).build());
        }
        return JsonBuilder.object().put("version", keys.version()).put("keys", list);
    }

    public static KeySet keySet(JsonObject o) {
        long version = o.longValue("version", 1, Long.MAX_VALUE);
        List<IssuerKey> keys = new ArrayList<>();
        for (JsonObject k : o.objects("keys")) {
            if (k.has("alg") && !"ES256".equals(k.string("alg"))) {
                continue; // a key for another algorithm is not for ticket codes: skip, do not fail
            }
            try {
                keys.add(new IssuerKey((int) k.id("kid", 0, TicketPayload.MAX_KEY_ID), publicKeyFromJwk(k),
                        k.instant("notBefore"), k.instant("notAfter")));
            } catch (IllegalArgumentException e) {
                throw new JsonException("key " + k.optString("kid").orElse("?") + ": " + e.getMessage());
            }
        }
        try {
            return new KeySet(version, keys);
        } catch (IllegalArgumentException e) {
            throw new JsonException("key set: " + e.getMessage());
        }
    }

    // ---- revocations ------------------------------------------------------------------------

    public static JsonBuilder revocationJson(Revocation r) {
        return JsonBuilder.object().put("ticketId", Long.toString(r.ticketId())).put("revokedAt", r.revokedAt())
                .put("expiresAt", r.expiresAt()).put("reason", r.reason());
    }

    public static RevocationDelta revocationDelta(JsonObject o) {
        List<Revocation> entries = new ArrayList<>();
        for (JsonObject e : o.objects("entries")) {
            try {
                entries.add(new Revocation(e.id("ticketId", 1, MAX_TICKET_ID), e.instant("revokedAt"),
                        e.instant("expiresAt"), e.string("reason")));
            } catch (IllegalArgumentException ex) {
                throw new JsonException("revocation: " + ex.getMessage());
            }
        }
        try {
            return new RevocationDelta(o.optLong("since").orElse(0L), o.longValue("version", 0, Long.MAX_VALUE),
                    o.bool("full"), entries);
        } catch (IllegalArgumentException ex) {
            throw new JsonException("revocations: " + ex.getMessage());
        }
    }

    /** A list persisted in the delta shape with {@code full: true}. */
    public static JsonBuilder revocationListJson(RevocationList list) {
        List<Object> entries = new ArrayList<>();
        for (Revocation r : list.entries()) {
            entries.add(revocationJson(r).build());
        }
        return JsonBuilder.object().put("version", list.version()).put("full", true).put("entries", entries);
    }

    public static RevocationList revocationList(JsonObject o) {
        RevocationDelta d = revocationDelta(o);
        return RevocationList.empty().apply(new RevocationDelta(0, d.version(), true, d.entries()));
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A base64url field decoding to exactly {@code length} bytes. */
    public static byte[] b64(JsonObject o, String name, int length) {
        Optional<byte[]> bytes = Base64Url.decode(o.string(name));
        if (!bytes.isPresent() || bytes.get().length != length) {
            throw new JsonException(name + ": expected " + length + " bytes in unpadded base64url");
        }
        return bytes.get();
    }

    static byte[] fixed32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        if (b.length >= 32) {
            System.arraycopy(b, b.length - 32, out, 0, 32);
        } else {
            System.arraycopy(b, 0, out, 32 - b.length, b.length);
        }
        return out;
    }
}
