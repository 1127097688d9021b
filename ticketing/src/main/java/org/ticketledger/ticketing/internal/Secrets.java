package org.ticketledger.ticketing.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.ticketledger.ticketing.TicketingException;

/**
 * Secrets of the device side. Tokens and credentials are 256 random bits, stored as SHA-256 (a
 * slow hash adds nothing to that much entropy); passwords and PINs are stored as salted
 * PBKDF2-HMAC-SHA256 in the form {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, so the count can
 * grow without invalidating old hashes.
 */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** {@code prefix-} and 43 base64url characters (256 bits). */
    static String token(String prefix) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return prefix + "-" + B64.encodeToString(b);
    }

    /** A short random id part (for device ids: 10 base32-ish characters). */
    static String shortId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b).replace('-', 'x').replace('_', 'z').substring(0, 10);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new TicketingException("SHA-256 is unavailable", e);
        }
    }

    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    static String hashPassword(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + iterations + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(pbkdf2(password, salt, iterations));
    }

    /** Whether {@code password} matches {@code stored}; false for a malformed stored hash. */
    static boolean verifyPassword(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] salt = Base64.getUrlDecoder().decode(parts[2]);
        byte[] expected = Base64.getUrlDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new TicketingException("PBKDF2WithHmacSHA256 is unavailable", e);
        }
    }
}
