package org.ticketledger.verify;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * ECDSA over NIST P-256 with SHA-256 ("ES256"), as used for ticket codes and device scan records:
 * key construction from raw coordinates, and signatures in the compact 64-byte {@code r || s}
 * form (converted to and from the DER form the JDK's {@code SHA256withECDSA} speaks).
 *
 * <p>Stateless and thread-safe. {@link Signature} objects are cached per thread because creating
 * one costs a provider lookup on every call, which a gate verifying tickets in a loop should not
 * pay. Static methods only; never returns null.
 */
public final class EcP256 {

    /** Length of a compact signature: 32-byte r followed by 32-byte s, both big-endian. */
    public static final int SIGNATURE_LENGTH = 64;

    /** Length of one field element or scalar. */
    public static final int COORDINATE_LENGTH = 32;

    private static final BigInteger P = hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
    private static final BigInteger B = hex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B");
    private static final BigInteger N = hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final byte[] N_BYTES = fixed(N);

    /**
     * The curve parameters, spelled out rather than looked up by name: {@code AlgorithmParameters}
     * for named curves is not available on every Android release. Providers match them to
     * secp256r1 by value.
     */
    public static final ECParameterSpec PARAMETERS = new ECParameterSpec(
            new EllipticCurve(new ECFieldFp(P), A, B),
            new ECPoint(hex("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
                    hex("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")),
            N, 1);

    private static final String ALGORITHM = "SHA256withECDSA";
    private static final ThreadLocal<Signature> VERIFIERS = ThreadLocal.withInitial(EcP256::newSignature);
    private static final ThreadLocal<Signature> SIGNERS = ThreadLocal.withInitial(EcP256::newSignature);

    private EcP256() {
    }

    /** Generates a fresh key pair; throws {@link UnableToSignException} when P-256 is unavailable. */
    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(PARAMETERS, new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new UnableToSignException("this platform cannot generate P-256 keys", e);
        }
    }

    /**
     * Builds a public key from its 32-byte big-endian affine coordinates (the JWK {@code x} and
     * {@code y}); throws IllegalArgumentException when the point is not on P-256.
     */
    public static ECPublicKey publicKey(byte[] x, byte[] y) {
        if (x.length != COORDINATE_LENGTH || y.length != COORDINATE_LENGTH) {
            throw new IllegalArgumentException("P-256 coordinates are 32 bytes each");
        }
        BigInteger bx = new BigInteger(1, x);
        BigInteger by = new BigInteger(1, y);
        // Invalid-curve attacks feed points off the curve; some providers do not check, so we do.
        if (bx.compareTo(P) >= 0 || by.compareTo(P) >= 0
                || !by.multiply(by).mod(P).equals(bx.pow(3).add(A.multiply(bx)).add(B).mod(P))) {
            throw new IllegalArgumentException("point is not on P-256");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(new ECPoint(bx, by), PARAMETERS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable P-256 public key", e);
        }
    }

    /** Builds a private key from its 32-byte big-endian scalar; IllegalArgumentException if out of range. */
    public static ECPrivateKey privateKey(byte[] d) {
        BigInteger s = new BigInteger(1, d);
        if (d.length != COORDINATE_LENGTH || s.signum() == 0 || s.compareTo(N) >= 0) {
            throw new IllegalArgumentException("a P-256 private scalar is 32 bytes in 1..n-1");
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, PARAMETERS));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable P-256 private key", e);
        }
    }

    /** Parses a DER SubjectPublicKeyInfo; IllegalArgumentException unless it is a P-256 key. */
    public static ECPublicKey publicKeyFromX509(byte[] spki) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
            ECPublicKey ec = (ECPublicKey) key;
            return publicKey(x(ec), y(ec));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a P-256 SubjectPublicKeyInfo", e);
        }
    }

    /** Parses a DER PKCS#8 private key; IllegalArgumentException unless it is a P-256 key. */
    public static ECPrivateKey privateKeyFromPkcs8(byte[] pkcs8) {
        try {
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (!key.getParams().getOrder().equals(N)) {
                throw new IllegalArgumentException("not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a P-256 PKCS#8 key", e);
        }
    }

    /** The 32-byte big-endian x coordinate (JWK {@code x} before base64url). */
    public static byte[] x(ECPublicKey key) {
        return fixed(key.getW().getAffineX());
    }

    /** The 32-byte big-endian y coordinate (JWK {@code y} before base64url). */
    public static byte[] y(ECPublicKey key) {
        return fixed(key.getW().getAffineY());
    }

    /**
     * Signs {@code message} (hashed with SHA-256 inside) and returns the 64-byte {@code r || s}
     * with s normalised to the lower half of the order, so every signature has one encoding.
     * Throws {@link UnableToSignException} when the key is not a usable P-256 private key.
     */
    public static byte[] sign(PrivateKey key, byte[] message) {
        Signature signer = SIGNERS.get();
        try {
            signer.initSign(key);
            signer.update(message);
            byte[] raw = fromDer(signer.sign());
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
            if (s.compareTo(HALF_N) > 0) {
                System.arraycopy(fixed(N.subtract(s)), 0, raw, 32, 32);
            }
            return raw;
        } catch (InvalidKeyException | SignatureException | IllegalArgumentException e) {
            throw new UnableToSignException("cannot sign with this key", e);
        }
    }

    /** Verifies a 64-byte {@code r || s} signature over {@code message}; false for any defect. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        return verify(key, message, 0, message.length, signature);
    }

    /**
     * Verifies a 64-byte {@code r || s} signature over {@code message[offset, offset+length)};
     * false for a wrong signature, a malformed one, or r or s outside 1..n-1. High-s signatures are
     * accepted (other signers may not normalise). Never throws for bad input.
     */
    public static boolean verify(PublicKey key, byte[] message, int offset, int length, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH || !inRange(signature, 0) || !inRange(signature, 32)) {
            return false;
        }
        Signature verifier = VERIFIERS.get();
        try {
            verifier.initVerify(key);
            verifier.update(message, offset, length);
            return verifier.verify(toDer(signature));
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        }
    }

    /** Converts {@code r || s} to a DER {@code SEQUENCE { INTEGER r, INTEGER s }}. */
    public static byte[] toDer(byte[] raw) {
        if (raw.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a compact P-256 signature is 64 bytes");
        }
        int rLen = derIntegerLength(raw, 0);
        int sLen = derIntegerLength(raw, 32);
        int body = 2 + rLen + 2 + sLen;
        byte[] der = new byte[2 + body];
        der[0] = 0x30;
        der[1] = (byte) body; // at most 70: always the short length form
        int o = writeDerInteger(raw, 0, rLen, der, 2);
        writeDerInteger(raw, 32, sLen, der, o);
        return der;
    }

    /**
     * Converts a DER ECDSA signature to {@code r || s}; IllegalArgumentException when it is not a
     * minimal DER encoding of two integers of at most 32 bytes.
     */
    public static byte[] fromDer(byte[] der) {
        if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xFF) != der.length - 2) {
            throw new IllegalArgumentException("not a DER ECDSA signature");
        }
        byte[] raw = new byte[SIGNATURE_LENGTH];
        int next = readDerInteger(der, 2, raw, 0);
        next = readDerInteger(der, next, raw, 32);
        if (next != der.length) {
            throw new IllegalArgumentException("trailing bytes after the DER signature");
        }
        return raw;
    }

    private static int derIntegerLength(byte[] raw, int from) {
        int i = from;
        while (i < from + 31 && raw[i] == 0) {
            i++;
        }
        int len = from + 32 - i;
        return (raw[i] & 0x80) != 0 ? len + 1 : len;
    }

    private static int writeDerInteger(byte[] raw, int from, int len, byte[] der, int at) {
        der[at] = 0x02;
        der[at + 1] = (byte) len;
        int copy = Math.min(len, 32);
        System.arraycopy(raw, from + 32 - copy, der, at + 2 + len - copy, copy);
        return at + 2 + len;
    }

    private static int readDerInteger(byte[] der, int at, byte[] raw, int to) {
        if (at + 2 > der.length || der[at] != 0x02) {
            throw new IllegalArgumentException("expected a DER INTEGER");
        }
        int len = der[at + 1] & 0xFF;
        int start = at + 2;
        if (len == 0 || len > 33 || start + len > der.length) {
            throw new IllegalArgumentException("bad DER INTEGER length");
        }
        if ((der[start] & 0x80) != 0) {
            throw new IllegalArgumentException("negative DER INTEGER");
        }
        if (len > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
            throw new IllegalArgumentException("non-minimal DER INTEGER");
        }
        int skip = len == 33 ? 1 : 0;
        if (skip == 1 && der[start] != 0) {
            throw new IllegalArgumentException("DER INTEGER longer than 32 bytes");
        }
        System.arraycopy(der, start + skip, raw, to + 32 - (len - skip), len - skip);
        return start + len;
    }

    /** 1 <= value < n, compared byte-wise so the hot verify path allocates nothing for it. */
    private static boolean inRange(byte[] raw, int from) {
        boolean zero = true;
        for (int i = from; i < from + 32; i++) {
            if (raw[i] != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            int a = raw[from + i] & 0xFF;
            int b = N_BYTES[i] & 0xFF;
            if (a != b) {
                return a < b;
            }
        }
        return false; // equal to n
    }

    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == COORDINATE_LENGTH) {
            return bytes;
        }
        byte[] out = new byte[COORDINATE_LENGTH];
        if (bytes.length > COORDINATE_LENGTH) {
            System.arraycopy(bytes, bytes.length - COORDINATE_LENGTH, out, 0, COORDINATE_LENGTH);
        } else {
            System.arraycopy(bytes, 0, out, COORDINATE_LENGTH - bytes.length, bytes.length);
        }
        return out;
    }

    private static Signature newSignature() {
        try {
            return Signature.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new UnableToSignException("this platform lacks " + ALGORITHM, e);
        }
    }

    private static BigInteger hex(String s) {
        return new BigInteger(s, 16);
    }
}
