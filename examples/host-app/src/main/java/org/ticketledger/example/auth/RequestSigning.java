package org.ticketledger.example.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The distributor request signature, shared by the server, the test client and
 * {@code ./ticketledger sign}. The string to sign is
 *
 * <pre>
 * TL1-HMAC-SHA256 \n keyId \n METHOD \n path?query \n timestamp \n nonce \n hex(SHA-256(body))
 * </pre>
 *
 * and the signature is the lowercase hex HMAC-SHA256 of it under the key's secret. The path is
 * signed exactly as sent (no re-encoding), so what a proxy rewrites breaks the signature rather
 * than changing the meaning silently. Thread-safe (stateless).
 */
public final class RequestSigning {

    /** Header carrying the API key id. */
    public static final String KEY = "X-TL-Key";
    /** Header carrying the Unix time in seconds. */
    public static final String TIMESTAMP = "X-TL-Timestamp";
    /** Header carrying the single-use nonce. */
    public static final String NONCE = "X-TL-Nonce";
    /** Header carrying the signature. */
    public static final String SIGNATURE = "X-TL-Signature";
    /** The version tag that starts the string to sign. */
    public static final String ALGORITHM = "TL1-HMAC-SHA256";

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestSigning() {
    }

    /** The string to sign for a request. */
    public static String stringToSign(String keyId, String method, String pathAndQuery, long timestamp, String nonce, byte[] body) {
        return ALGORITHM + "\n" + keyId + "\n" + method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n"
                + sha256Hex(body);
    }

    /** The lowercase hex HMAC-SHA256 of {@code stringToSign} under {@code secret}. */
    public static String sign(String secret, String stringToSign) {
        Objects.requireNonNull(secret, "secret");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HEX.formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Compares two signatures in time independent of where they differ. */
    public static boolean matches(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /** The four authentication headers for a request, in a stable order. */
    public static Map<String, String> headers(String keyId, String secret, String method, String pathAndQuery,
                                              long timestamp, String nonce, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(KEY, keyId);
        h.put(TIMESTAMP, Long.toString(timestamp));
        h.put(NONCE, nonce);
        h.put(SIGNATURE, sign(secret, stringToSign(keyId, method, pathAndQuery, timestamp, nonce, body)));
        return h;
    }

    /** A fresh random nonce (32 hex characters). */
    public static String newNonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** Lowercase hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
