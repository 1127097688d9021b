package org.ticketledger.example.console;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Salted PBKDF2-HMAC-SHA256 password hashes and random secrets. Stateless and thread-safe. */
final class Passwords {

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    // No 0/O, 1/l/I: a generated password is read off a terminal and typed.
    private static final char[] READABLE = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Passwords() {
    }

    static byte[] salt() {
        byte[] s = new byte[SALT_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    static byte[] hash(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /** Compares in time independent of where the hashes differ. */
    static boolean matches(String password, byte[] salt, int iterations, byte[] expected) {
        return MessageDigest.isEqual(hash(password, salt, iterations), expected);
    }

    /** A password to hand out once: four groups of five readable characters (about 115 bits). */
    static String generate() {
        StringBuilder b = new StringBuilder();
        for (int g = 0; g < 4; g++) {
            if (g > 0) {
                b.append('-');
            }
            for (int i = 0; i < 5; i++) {
                b.append(READABLE[RANDOM.nextInt(READABLE.length)]);
            }
        }
        return b.toString();
    }

    /** A random token of {@code length} base62 characters (session ids, CSRF tokens). */
    static String token(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(c);
    }

    static String sha256Hex(String value) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Equal strings, compared in time independent of where they differ. */
    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
