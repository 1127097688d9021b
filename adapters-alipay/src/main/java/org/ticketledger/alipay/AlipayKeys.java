package org.ticketledger.alipay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * Loads the RSA keys Alipay uses: the app's private key as PKCS#8 and Alipay's (or the app's)
 * public key as X.509 SubjectPublicKeyInfo, each either as bare Base64 (what Alipay's console
 * shows) or as PEM. PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) is refused with a hint to convert it.
 *
 * <p>Methods never return null; they throw {@link UnableToLoadKeyException} whose message never
 * contains the key text (a key pasted into the wrong setting must not end up in a log).
 * Stateless and thread-safe.
 */
public final class AlipayKeys {

    private AlipayKeys() {
    }

    /** A private key from PKCS#8 Base64 or PEM text. */
    public static PrivateKey privateKey(String pkcs8) {
        Objects.requireNonNull(pkcs8, "pkcs8");
        if (pkcs8.contains("BEGIN RSA PRIVATE KEY")) {
            throw new UnableToLoadKeyException("the private key is PKCS#1; convert it to PKCS#8 "
                    + "(openssl pkcs8 -topk8 -nocrypt)");
        }
        if (pkcs8.contains("ENCRYPTED PRIVATE KEY")) {
            throw new UnableToLoadKeyException("the private key is encrypted; give an unencrypted PKCS#8 key");
        }
        byte[] der = decode(pkcs8, "private key");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            // The cause's message may quote parts of the encoding; keep only its type.
            throw new UnableToLoadKeyException("not an RSA PKCS#8 private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A public key from X.509 SubjectPublicKeyInfo Base64 or PEM text. */
    public static PublicKey publicKey(String x509) {
        Objects.requireNonNull(x509, "x509");
        if (x509.contains("BEGIN CERTIFICATE")) {
            throw new UnableToLoadKeyException("a certificate was given; certificate mode is not supported, "
                    + "give Alipay's public key");
        }
        byte[] der = decode(x509, "public key");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new UnableToLoadKeyException("not an RSA X.509 public key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A private key read from a PKCS#8 file (PEM or bare Base64). */
    public static PrivateKey readPrivateKey(Path file) {
        return privateKey(read(file));
    }

    /** A public key read from an X.509 file (PEM or bare Base64). */
    public static PublicKey readPublicKey(Path file) {
        return publicKey(read(file));
    }

    /** A fresh 2048-bit RSA key pair (for sandboxes and tests). */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AlipayException("RSA is not available in this JVM", e);
        }
    }

    /** The bare Base64 form Alipay's console uses (PKCS#8 for private keys, X.509 for public keys). */
    public static String toBase64(java.security.Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** The PEM form ({@code PRIVATE KEY} / {@code PUBLIC KEY}) of a key. */
    public static String toPem(java.security.Key key) {
        String label = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END " + label + "-----\n";
    }

    private static String read(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UnableToLoadKeyException("cannot read key file " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            throw new UnableToLoadKeyException("key file " + file + " is not ASCII text");
        }
    }

    private static byte[] decode(String text, String what) {
        StringBuilder base64 = new StringBuilder(text.length());
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-----")) {
                continue;
            }
            base64.append(trimmed);
        }
        if (base64.length() == 0) {
            throw new UnableToLoadKeyException("the " + what + " is empty");
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new UnableToLoadKeyException("the " + what + " is not Base64");
        }
    }
}
