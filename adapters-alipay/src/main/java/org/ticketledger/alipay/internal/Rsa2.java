package org.ticketledger.alipay.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.ticketledger.alipay.AlipayException;

/**
 * Alipay's RSA2: {@code SHA256withRSA} over the UTF-8 bytes of a sign string, standard Base64.
 * Stateless and thread-safe.
 */
public final class Rsa2 {

    /** The {@code sign_type} value for RSA2. */
    public static final String SIGN_TYPE = "RSA2";

    private Rsa2() {
    }

    /**
     * The string to sign: every parameter except {@code excluded}, without null or empty values,
     * keys in ASCII order, joined as {@code k=v&k=v} with raw (not URL-encoded) values.
     * Requests exclude {@code sign} only ({@code sign_type} is signed); notifies exclude
     * {@code sign} and {@code sign_type}.
     */
    public static String signContent(Map<String, String> params, Set<String> excluded) {
        // TreeMap orders String keys by UTF-16 code units, which is ASCII order for ASCII keys,
        // as Collections.sort in Alipay's SDK does.
        TreeMap<String, String> sorted = new TreeMap<>();
        params.forEach((k, v) -> {
            if (k != null && !k.isEmpty() && v != null && !v.isEmpty() && !excluded.contains(k)) {
                sorted.put(k, v);
            }
        });
        StringBuilder sb = new StringBuilder();
        sorted.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }

    /** The request sign string (only {@code sign} excluded). */
    public static String requestSignContent(Map<String, String> params) {
        return signContent(params, Set.of("sign"));
    }

    /** The Base64 RSA2 signature of {@code content}. */
    public static String sign(PrivateKey key, String content) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            // Never include the key or the content: the content may carry an agreement number.
            throw new AlipayException("unable to sign with RSA2 (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether {@code signBase64} is a valid RSA2 signature of {@code content}; false for malformed input. */
    public static boolean verify(PublicKey key, String content, String signBase64) {
        Objects.requireNonNull(key, "key");
        if (content == null || signBase64 == null || signBase64.isEmpty()) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(signBase64);
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return signature.verify(raw);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
