package org.ticketledger.ticketing.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.ticketledger.verify.EcP256;

/**
 * Textbook P-256 in BigInteger affine coordinates (null is the point at infinity), slow and
 * obviously right: the yardstick the fast verifier's points are checked against in tests, and a
 * deterministic signer so that edge cases can be built on purpose.
 */
final class P256Reference {

    static final BigInteger P = P256Field.P;
    static final BigInteger N = P256Verifier.N;
    static final BigInteger A = P.subtract(BigInteger.valueOf(3));
    static final BigInteger[] G = {P256Verifier.GX, P256Verifier.GY};

    private P256Reference() {
    }

    static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        BigInteger l;
        if (a[0].equals(b[0])) {
            if (!a[1].equals(b[1]) || a[1].signum() == 0) {
                return null;
            }
            l = a[0].pow(2).multiply(BigInteger.valueOf(3)).add(A).multiply(a[1].shiftLeft(1).modInverse(P)).mod(P);
        } else {
            l = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
        }
        BigInteger x = l.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
        BigInteger y = l.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
        return new BigInteger[] {x, y};
    }

    static BigInteger[] negate(BigInteger[] a) {
        return a == null ? null : new BigInteger[] {a[0], a[1].negate().mod(P)};
    }

    static BigInteger[] mul(BigInteger k, BigInteger[] p) {
        BigInteger[] r = null;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            r = add(r, r);
            if (k.testBit(i)) {
                r = add(r, p);
            }
        }
        return r;
    }

    static BigInteger e(byte[] message) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(message)).mod(N);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** s = k^-1 (e + r·d) for a chosen r (not necessarily x(kG) mod n): for building edge cases. */
    static BigInteger s(BigInteger k, BigInteger e, BigInteger r, BigInteger d) {
        return k.modInverse(N).multiply(e.add(r.multiply(d))).mod(N);
    }

    static byte[] sig(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        System.arraycopy(fixed(r), 0, out, 0, 32);
        System.arraycopy(fixed(s), 0, out, 32, 32);
        return out;
    }

    /** The low 32 bytes of v, big-endian (v may be up to 2^256 - 1). */
    static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        if (b.length > 32) {
            System.arraycopy(b, b.length - 32, out, 0, 32);
        } else {
            System.arraycopy(b, 0, out, 32 - b.length, b.length);
        }
        return out;
    }

    static ECPublicKey publicKey(BigInteger[] q) {
        return EcP256.publicKey(fixed(q[0]), fixed(q[1]));
    }

    /** The JDK's own answer, through the compact-signature algorithm (no range pre-check of ours). */
    static boolean jdkP1363(PublicKey key, byte[] message, byte[] sig) {
        try {
            Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
            v.initVerify(key);
            v.update(message);
            return v.verify(sig);
        } catch (GeneralSecurityException ex) {
            return false;
        }
    }

    static byte[] flipBit(byte[] bytes, int bit) {
        byte[] out = Arrays.copyOf(bytes, bytes.length);
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
