package org.ticketledger.ticketing.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.UnableToSignException;

/**
 * ECDSA P-256 / SHA-256 signing of ticket codes with an issuer key, giving exactly what
 * {@link EcP256#sign} gives (64-byte {@code r || s}, s in the low half), in well under half the
 * JDK's time with the check below included (jmh-ecdsa), and constant-time in everything secret. Keys that are not P-256 (which
 * {@link EcP256#privateKeyFromPkcs8} never lets in) are signed by the JDK. Thread-safe; immutable.
 *
 * <p><b>What is secret:</b> the private key d, the nonce k, k^-1, the point k·G and its projective
 * coordinates, and every intermediate of s = k^-1 (e + r·d) mod n. A few bits of k per signature,
 * leaked through timing over many signatures, give d to a lattice attack (Minerva, TPM-Fail), so
 * none of these values may choose a branch, a memory address or a loop count, and none goes
 * through {@link BigInteger} (whose multiply and mod take time by bit length) after the key is
 * loaded. Public: the message, its digest e, r and s once computed, the key's public point.
 *
 * <p><b>Why each step is constant-time:</b>
 * <ul>
 *   <li>k is drawn from {@link SecureRandom} as 256 bits and redrawn while outside [1, n-1]
 *       (range test over all words with masks, one branch on its result); a rejected candidate
 *       is thrown away and says nothing about the accepted one, and no k is reduced mod n, which
 *       would bias it.</li>
 *   <li>k·G walks a fixed table of affine multiples d·2^(6i)·G (d = 1..32, 44 rows) built once
 *       from public data by {@link P256Verifier#table}. k is recoded into signed 6-bit digits with
 *       arithmetic only (the carry is a sign bit); each digit's entry is fetched by reading the
 *       whole row and keeping one entry with a mask, its y negated and kept by mask when the digit
 *       is negative, and added with the complete mixed formulas of Renes, Costello and Batina
 *       (no case for doubling or the neutral element). A zero digit still fetches (nothing),
 *       still adds, and the previous sum is put back by mask. 44 additions for every k.</li>
 *   <li>Field arithmetic is {@link P256Field}, constant-time; the affine x = X·Z^-1 uses Fermat's
 *       inversion with its fixed addition chain.</li>
 *   <li>Scalar arithmetic mod n is {@link P256Scalar}'s Montgomery multiplication with a masked
 *       final subtraction, k^-1 by Fermat (fixed exponent n-2), and masked addition, reduction and
 *       low-s negation. There is no blinding: the arithmetic itself does not depend on the values.</li>
 * </ul>
 *
 * <p><b>What remains:</b> the JIT could in principle compile a mask select into a branch, or the
 * CPU's multiplier could take data-dependent time (not on current x86-64 or AArch64 server
 * cores); the garbage collector may leave copies of secret words in memory, as it does for the
 * JDK's own key objects. Every signature is checked with {@link P256Verifier} before it leaves
 * (a fault, or a bug, must never publish a wrong signature, which can leak d); one that fails is
 * logged and replaced by the JDK's.
 */
final class P256Signer {

    private static final Logger LOG = LoggerFactory.getLogger(P256Signer.class);

    private static final int WINDOW = 6;
    private static final int POSITIONS = (256 + WINDOW - 1) / WINDOW + 1;
    private static final int PER_ROW = 1 << (WINDOW - 1);
    private static final int ENTRY = 16;
    private static final int[] G_TABLE = P256Verifier.table(P256Field.of(P256Verifier.GX), P256Field.of(P256Verifier.GY), WINDOW);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(P256Signer::sha256);

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    /** d·2^256 mod n; null when the JDK signs. */
    private final long[] dMontgomery;

    private P256Signer(ECPrivateKey privateKey, ECPublicKey publicKey, long[] dMontgomery) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.dMontgomery = dMontgomery;
    }

    /**
     * A signer for the pair; the fast path when both halves are P-256 and d·G is the public point,
     * the JDK's otherwise.
     */
    static P256Signer of(ECPrivateKey privateKey, ECPublicKey publicKey) {
        if (!P256Verifier.isP256(privateKey.getParams()) || !P256Verifier.isP256(publicKey.getParams())) {
            return new P256Signer(privateKey, publicKey, null);
        }
        BigInteger s = privateKey.getS();
        if (s.signum() <= 0 || s.compareTo(P256Verifier.N) >= 0) {
            return new P256Signer(privateKey, publicKey, null);
        }
        // The one BigInteger step on d, at key load: its words, then nothing but fixed-width arithmetic.
        long[] d = P256Scalar.words(s);
        P256Verifier.Point q = baseMultiply(d);
        long[] zInverse = new long[P256Field.WORDS];
        P256Field.inverse(zInverse, q.z);
        long[] qx = new long[P256Field.WORDS];
        long[] qy = new long[P256Field.WORDS];
        P256Field.mul(qx, q.x, zInverse);
        P256Field.mul(qy, q.y, zInverse);
        // The comparison is with a public point; its early exit reveals only whether the key is consistent.
        if (!P256Field.equal(qx, P256Field.of(publicKey.getW().getAffineX()))
                || !P256Field.equal(qy, P256Field.of(publicKey.getW().getAffineY()))) {
            LOG.warn("an issuer key's public point is not d·G; the JDK signs with it");
            return new P256Signer(privateKey, publicKey, null);
        }
        long[] dMontgomery = new long[P256Scalar.WORDS];
        P256Scalar.toMontgomery(dMontgomery, d);
        Arrays.fill(d, 0);
        return new P256Signer(privateKey, publicKey, dMontgomery);
    }

    /** Whether this signer signs itself rather than through the JDK. */
    boolean fast() {
        return dMontgomery != null;
    }

    /**
     * The 64-byte {@code r || s} signature of {@code message}, s in the low half, as
     * {@link EcP256#sign} gives; {@link UnableToSignException} when the JDK cannot sign either.
     */
    byte[] sign(byte[] message) {
        if (dMontgomery == null) {
            return EcP256.sign(privateKey, message);
        }
        MessageDigest sha = SHA256.get();
        sha.reset();
        byte[] digest = sha.digest(message);
        byte[] signature;
        do {
            signature = signDigest(digest, freshNonce());
        } while (signature == null);
        if (!P256Verifier.verify(publicKey, message, signature)) {
            LOG.error("a P-256 signature failed its check before it left; the JDK signs this one instead");
            return EcP256.sign(privateKey, message);
        }
        return signature;
    }

    /**
     * r || s for a SHA-256 digest and nonce k in [1, n-1], or null in the 2^-256 case that r or s is
     * 0 (take another k). Package-private so that tests can fix k.
     */
    byte[] signDigest(byte[] digest, long[] k) {
        long[] r = new long[P256Scalar.WORDS];
        P256Scalar.reduce(r, affineX(baseMultiply(k)));
        long[] t = new long[P256Scalar.WORDS];
        long[] sum = new long[P256Scalar.WORDS];
        P256Scalar.toMontgomery(t, r);
        P256Scalar.mul(t, t, dMontgomery);                      // r·d·R
        P256Scalar.toMontgomery(sum, P256Scalar.fromBytes(digest, 0));
        P256Scalar.add(sum, sum, t);                            // (e + r·d)·R
        long[] kInverse = new long[P256Scalar.WORDS];
        P256Scalar.toMontgomery(t, k);
        P256Scalar.inverse(kInverse, t);                        // k^-1·R
        long[] s = new long[P256Scalar.WORDS];
        P256Scalar.mul(s, sum, kInverse);
        P256Scalar.fromMontgomery(s, s);
        P256Scalar.lowS(s, s);
        // r and s are the published signature: testing them is testing public data.
        if (P256Field.isZero(r) || P256Field.isZero(s)) {
            return null;
        }
        byte[] out = new byte[EcP256.SIGNATURE_LENGTH];
        P256Scalar.toBytes(r, out, 0);
        P256Scalar.toBytes(s, out, 32);
        return out;
    }

    /** k·G for k < 2^256, projective; the same table reads and additions for every k. */
    static P256Verifier.Point baseMultiply(long[] k) {
        P256Verifier.Point acc = new P256Verifier.Point();
        P256Verifier.Point before = new P256Verifier.Point();
        long[] tx = new long[P256Field.WORDS];
        long[] ty = new long[P256Field.WORDS];
        long[] negY = new long[P256Field.WORDS];
        int[] entry = new int[ENTRY];
        int half = PER_ROW;
        int carry = 0;
        for (int i = 0; i < POSITIONS; i++) {
            int v = window(k, i * WINDOW) + carry;
            carry = (half - v) >>> 31;                          // 1 when v > half
            int digit = v - (carry << WINDOW);                  // in [-half, half]
            int sign = digit >> 31;
            int magnitude = (digit ^ sign) - sign;
            Arrays.fill(entry, 0);
            int row = i * PER_ROW * ENTRY;
            for (int j = 0; j < PER_ROW; j++) {
                int match = ((magnitude ^ (j + 1)) - 1) >> 31;  // -1 exactly when magnitude == j + 1
                int at = row + j * ENTRY;
                for (int q = 0; q < ENTRY; q++) {
                    entry[q] |= G_TABLE[at + q] & match;
                }
            }
            for (int q = 0; q < P256Field.WORDS; q++) {
                tx[q] = entry[q] & P256Field.MASK;
                ty[q] = entry[P256Field.WORDS + q] & P256Field.MASK;
            }
            P256Field.neg(negY, ty);
            P256Field.select(ty, ty, negY, sign);
            before.set(acc);
            acc.addAffine(tx, ty);
            long zero = (magnitude - 1) >> 31;                  // -1 when the digit is 0: undo the add
            P256Field.select(acc.x, acc.x, before.x, zero);
            P256Field.select(acc.y, acc.y, before.y, zero);
            P256Field.select(acc.z, acc.z, before.z, zero);
        }
        return acc;
    }

    /** Bits [from, from + WINDOW) of k (zero past bit 255); positions are public, the bits are not tested. */
    private static int window(long[] k, int from) {
        int word = from >>> 5;
        int shift = from & 31;
        long lo = word < P256Field.WORDS ? k[word] : 0;
        long hi = word + 1 < P256Field.WORDS ? k[word + 1] : 0;
        return (int) (((lo >>> shift) | (hi << (32 - shift))) & ((1 << WINDOW) - 1));
    }

    /** X·Z^-1 (0 for the point at infinity, whose Z is 0). */
    private static long[] affineX(P256Verifier.Point p) {
        long[] zInverse = new long[P256Field.WORDS];
        P256Field.inverse(zInverse, p.z);
        long[] x = new long[P256Field.WORDS];
        P256Field.mul(x, p.x, zInverse);
        return x;
    }

    private static long[] freshNonce() {
        byte[] candidate = new byte[32];
        try {
            while (true) {
                RANDOM.nextBytes(candidate);
                long[] k = P256Scalar.fromBytes(candidate, 0);
                if (P256Scalar.inRangeMask(k) != 0) {
                    return k;
                }
            }
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
