package org.ticketledger.huijinbao.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * HJB-API v1 message authentication (PROTOCOL.md, "Signing"): HMAC-SHA256 over a newline-joined
 * string of the algorithm tag, key id, method, request target, timestamp, nonce and the SHA-256 of
 * the body. Shared by the client and the sandbox so that both sides compute exactly one string.
 * Stateless and thread-safe.
 */
public final class Signing {

    /** Tag that opens a request's string to sign. */
    public static final String REQUEST_ALGORITHM = "HJB1-HMAC-SHA256";
    /** Tag that opens a reply's string to sign; differs so a request signature never verifies as a reply. */
    public static final String REPLY_ALGORITHM = "HJB1-HMAC-SHA256-REPLY";

    public static final String KEY_ID = "X-HJB-Key-Id";
    public static final String TIMESTAMP = "X-HJB-Timestamp";
    public static final String NONCE = "X-HJB-Nonce";
    public static final String SIGNATURE = "X-HJB-Signature";

    /** Both sides refuse messages whose timestamp is further than this from their own clock. */
    public static final Duration CLOCK_WINDOW = Duration.ofMinutes(5);

    /** Minimum secret length: HMAC-SHA256 gains nothing from more than 32 bytes, and loses from fewer. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern NONCE_PATTERN = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern KEY_ID_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final HexFormat HEX = HexFormat.of();

    private Signing() {
    }

    /**
     * The HMAC key for a secret delivered as Base64 text.
     *
     * @throws IllegalArgumentException if the text is not Base64 or decodes to fewer than 32 bytes;
     *                                  the message never contains the secret
     */
    public static SecretKey key(String base64Secret) {
        Objects.requireNonNull(base64Secret, "secret");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Secret.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Huijinbao secret is not Base64 text");
        }
        if (raw.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the Huijinbao secret must decode to at least " + MIN_SECRET_BYTES
                    + " bytes, was " + raw.length);
        }
        return new SecretKeySpec(raw, "HmacSHA256");
    }

    /** A fresh random secret (32 bytes) as Base64 text. */
    public static String newSecret(SecureRandom random) {
        byte[] raw = new byte[MIN_SECRET_BYTES];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** A fresh nonce: 128 random bits as 32 lower-case hex digits. */
    public static String newNonce(SecureRandom random) {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        return HEX.formatHex(raw);
    }

    public static boolean isValidNonce(String nonce) {
        return nonce != null && NONCE_PATTERN.matcher(nonce).matches();
    }

    public static boolean isValidKeyId(String keyId) {
        return keyId != null && KEY_ID_PATTERN.matcher(keyId).matches();
    }

    /** Lower-case hex SHA-256 of {@code body}; the digest of an empty body is that of zero bytes. */
    public static String bodyDigest(byte[] body) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The string a request signature covers. */
    public static String requestStringToSign(String keyId, String method, String target, long timestamp,
                                             String nonce, byte[] body) {
        return String.join("\n", REQUEST_ALGORITHM, keyId, method, target, Long.toString(timestamp), nonce,
                bodyDigest(body));
    }

    /**
     * The string a reply signature covers: the reply's status and body, bound to the request it
     * answers by the request's method, target and nonce.
     */
    public static String replyStringToSign(String keyId, int status, String requestMethod, String requestTarget,
                                           long timestamp, String requestNonce, byte[] body) {
        return String.join("\n", REPLY_ALGORITHM, keyId, Integer.toString(status), requestMethod, requestTarget,
                Long.toString(timestamp), requestNonce, bodyDigest(body));
    }

    /** Base64 of HMAC-SHA256(key, UTF-8 bytes of {@code stringToSign}). */
    public static String sign(SecretKey key, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot compute HMAC-SHA256", e);
        }
    }

    /** Whether {@code signature} is the signature of {@code stringToSign}; compares in constant time. */
    public static boolean verify(SecretKey key, String stringToSign, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = sign(key, stringToSign).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
