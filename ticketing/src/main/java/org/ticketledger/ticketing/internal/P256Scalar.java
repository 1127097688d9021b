package org.ticketledger.ticketing.internal;

import java.math.BigInteger;

/**
 * Arithmetic modulo the P-256 group order n on eight 32-bit words in longs (least significant
 * first). Static methods only, no state.
 *
 * <p>Two kinds, kept apart by name. {@link #inverseVartime} is the verifier's: binary extended
 * Euclid, whose loop count and branches follow the value (public s of a signature); it replaced
 * {@link BigInteger#modInverse}, a quarter of a verification (about 27 µs; this takes a few).
 *
 * <p>Everything else is for {@link P256Signer}, on the nonce k, the private key d and what is
 * derived from them, and is constant-time: Montgomery multiplication (CIOS, R = 2^256) runs the
 * same 2 × 64 word products and the same carry chain for any input, and ends with a masked rather
 * than a branched "subtract n if needed"; addition, reduction of a 256-bit value, the low-s
 * negation and the range checks compute every candidate and keep one with a mask; inversion is
 * Fermat's a^(n-2) with the public exponent scanned in fixed 4-bit windows, so which table entry is
 * multiplied in and whether a window is skipped depend only on n. Every "mask" is 0 or -1 (all
 * ones). The JIT risk is {@link P256Field}'s: the masks could in principle be compiled back into
 * branches; HotSpot does not do that today.
 */
final class P256Scalar {

    static final int WORDS = 8;
    private static final long MASK = 0xFFFFFFFFL;
    private static final long[] N_WORDS = words(P256Verifier.N);
    /** (n - 1) / 2: s above it is replaced by n - s (the low-s form the SDK issues). */
    private static final long[] HALF_N_WORDS = words(P256Verifier.N.shiftRight(1));
    /** -n^-1 mod 2^32, the Montgomery reduction's multiplier. */
    private static final long N0 = BigInteger.ONE.shiftLeft(32).subtract(P256Verifier.N.modInverse(BigInteger.ONE.shiftLeft(32))).longValue();
    /** R^2 mod n: multiplying by it (Montgomery) brings any value below 2^256 into the Montgomery form. */
    private static final long[] R2 = words(BigInteger.ONE.shiftLeft(512).mod(P256Verifier.N));
    private static final long[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};
    /** n - 2, as the 64 public 4-bit windows of Fermat's inversion, most significant first. */
    private static final int[] N_MINUS_2_NIBBLES = nibbles(P256Verifier.N.subtract(BigInteger.TWO));

    private P256Scalar() {
    }

    /** a^-1 mod n for 1 <= a < n, for public a only; IllegalArgumentException otherwise. */
    static BigInteger inverseVartime(BigInteger a) {
        if (a.signum() <= 0 || a.compareTo(P256Verifier.N) >= 0) {
            throw new IllegalArgumentException("not a nonzero scalar mod n");
        }
        // Invariants: x1·a = u and x2·a = v (mod n), 0 <= x1, x2 < n; gcd(u, v) = gcd(a, n) = 1.
        long[] u = words(a);
        long[] v = N_WORDS.clone();
        long[] x1 = new long[8];
        x1[0] = 1;
        long[] x2 = new long[8];
        while (!isOne(u) && !isOne(v)) {
            while ((u[0] & 1) == 0) {
                shiftRight(u, 0);
                halve(x1);
            }
            while ((v[0] & 1) == 0) {
                shiftRight(v, 0);
                halve(x2);
            }
            if (geq(u, v)) {
                subtract(u, v);
                subtractMod(x1, x2);
            } else {
                subtract(v, u);
                subtractMod(x2, x1);
            }
        }
        return toBigInteger(isOne(u) ? x1 : x2);
    }

    /**
     * r = a·b·2^-256 mod n (Montgomery), for a < 2^256 and b < n; r may alias either. Coarsely
     * integrated operand scanning: each word product plus two words below 2^32 is at most
     * 2^64 - 1, so an unsigned 64-bit sum never wraps, and the running value stays below 2n.
     */
    static void mul(long[] r, long[] a, long[] b) {
        long[] t = new long[WORDS + 2];
        for (int i = 0; i < WORDS; i++) {
            long bi = b[i];
            long c = 0;
            for (int j = 0; j < WORDS; j++) {
                long v = t[j] + a[j] * bi + c;
                t[j] = v & MASK;
                c = v >>> 32;
            }
            long v = t[WORDS] + c;
            t[WORDS] = v & MASK;
            t[WORDS + 1] = v >>> 32;
            long m = (t[0] * N0) & MASK;
            v = t[0] + m * N_WORDS[0];
            c = v >>> 32;
            for (int j = 1; j < WORDS; j++) {
                v = t[j] + m * N_WORDS[j] + c;
                t[j - 1] = v & MASK;
                c = v >>> 32;
            }
            v = t[WORDS] + c;
            t[WORDS - 1] = v & MASK;
            t[WORDS] = t[WORDS + 1] + (v >>> 32);
        }
        subtractNIfNotBelow(r, t, t[WORDS]);
    }

    /** r = a·2^256 mod n (into the Montgomery form) for any a < 2^256. */
    static void toMontgomery(long[] r, long[] a) {
        mul(r, a, R2);
    }

    /** r = a·2^-256 mod n (out of the Montgomery form), canonical in [0, n). */
    static void fromMontgomery(long[] r, long[] a) {
        mul(r, a, ONE);
    }

    /**
     * r = a^(n-2) in the Montgomery form, i.e. the Montgomery form of the inverse (0 for 0). Fixed
     * 4-bit windows of the public exponent: 14 products for the table, then 256 squarings and one
     * product per nonzero window; the table index is the exponent's nibble, never a's.
     */
    static void inverse(long[] r, long[] aMont) {
        long[][] powers = new long[16][];
        powers[1] = aMont.clone();
        for (int i = 2; i < 16; i++) {
            powers[i] = new long[WORDS];
            mul(powers[i], powers[i - 1], aMont);
        }
        long[] acc = powers[N_MINUS_2_NIBBLES[0]].clone();
        for (int w = 1; w < N_MINUS_2_NIBBLES.length; w++) {
            for (int k = 0; k < 4; k++) {
                mul(acc, acc, acc);
            }
            int nibble = N_MINUS_2_NIBBLES[w];
            if (nibble != 0) {
                mul(acc, acc, powers[nibble]);
            }
        }
        System.arraycopy(acc, 0, r, 0, WORDS);
    }

    /** r = a + b mod n for a, b < n. */
    static void add(long[] r, long[] a, long[] b) {
        long[] t = new long[WORDS];
        long c = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = a[i] + b[i] + c;
            t[i] = v & MASK;
            c = v >>> 32;
        }
        subtractNIfNotBelow(r, t, c);
    }

    /** r = a mod n for any a < 2^256 (below 2n, so one masked subtraction). */
    static void reduce(long[] r, long[] a) {
        subtractNIfNotBelow(r, a, 0);
    }

    /** r = n - a when a > (n - 1) / 2, else a: the low-s form, for a in [0, n). */
    static void lowS(long[] r, long[] a) {
        long[] negated = new long[WORDS];
        difference(negated, N_WORDS, a);
        // (n - 1) / 2 - a borrows exactly when a is in the high half.
        long high = difference(new long[WORDS], HALF_N_WORDS, a);
        P256Field.select(r, a, negated, high);
    }

    /** -1 when 1 <= a < n, else 0: computed over all words, the caller branches only on the result. */
    static long inRangeMask(long[] a) {
        long or = 0;
        for (int i = 0; i < WORDS; i++) {
            or |= a[i];
        }
        return difference(new long[WORDS], a, N_WORDS) & ((-or) >> 63);
    }

    /**
     * r = t - n if that is not negative, else t, where t is eight words plus {@code top} (0 or 1)
     * as bit 256 and t < 2n: both are computed, a mask keeps one.
     */
    private static void subtractNIfNotBelow(long[] r, long[] t, long top) {
        long[] d = new long[WORDS];
        long borrow = difference(d, t, N_WORDS);
        // A borrow out of the low words is paid by bit 256 when it is set.
        P256Field.select(r, d, t, borrow & (top - 1));
    }

    /**
     * d = a - b mod 2^256 over eight words, and the borrow out of the top word as a mask: -1 when
     * a < b, else 0. The same arithmetic for every value (the borrow moves by arithmetic shift).
     */
    private static long difference(long[] d, long[] a, long[] b) {
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = a[i] - b[i] + borrow;
            d[i] = v & MASK;
            borrow = v >> 32;
        }
        return borrow;
    }

    /** Eight words from 32 big-endian bytes at {@code offset}; straight copying, no value test. */
    static long[] fromBytes(byte[] b, int offset) {
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            int at = offset + 28 - 4 * i;
            w[i] = ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
        }
        return w;
    }

    /** Writes eight words as 32 big-endian bytes at {@code offset}. */
    static void toBytes(long[] w, byte[] b, int offset) {
        for (int i = 0; i < WORDS; i++) {
            int at = offset + 28 - 4 * i;
            b[at] = (byte) (w[i] >>> 24);
            b[at + 1] = (byte) (w[i] >>> 16);
            b[at + 2] = (byte) (w[i] >>> 8);
            b[at + 3] = (byte) w[i];
        }
    }

    private static int[] nibbles(BigInteger e) {
        int[] out = new int[64];
        for (int i = 0; i < 64; i++) {
            out[i] = e.shiftRight(4 * (63 - i)).intValue() & 0xF;
        }
        return out;
    }

    private static boolean isOne(long[] a) {
        return a[0] == 1 && (a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) == 0;
    }

    /** a = a / 2 where a holds a 256-bit value plus {@code top} as bit 256. */
    private static void shiftRight(long[] a, long top) {
        for (int i = 0; i < 7; i++) {
            a[i] = (a[i] >>> 1) | ((a[i + 1] & 1) << 31);
        }
        a[7] = (a[7] >>> 1) | (top << 31);
    }

    /** x = x / 2 mod n: x itself when even, else (x + n) / 2, which needs the 257th bit. */
    private static void halve(long[] x) {
        if ((x[0] & 1) == 0) {
            shiftRight(x, 0);
            return;
        }
        long carry = 0;
        for (int i = 0; i < 8; i++) {
            long s = x[i] + N_WORDS[i] + carry;
            x[i] = s & MASK;
            carry = s >>> 32;
        }
        shiftRight(x, carry);
    }

    private static boolean geq(long[] a, long[] b) {
        for (int i = 7; i >= 0; i--) {
            if (a[i] != b[i]) {
                return a[i] > b[i];
            }
        }
        return true;
    }

    /** a = a - b for a >= b. */
    private static void subtract(long[] a, long[] b) {
        long borrow = 0;
        for (int i = 0; i < 8; i++) {
            long d = a[i] - b[i] + borrow;
            a[i] = d & MASK;
            borrow = d >> 32;
        }
    }

    /** x = x - y mod n for x, y in [0, n). */
    private static void subtractMod(long[] x, long[] y) {
        long borrow = 0;
        for (int i = 0; i < 8; i++) {
            long d = x[i] - y[i] + borrow;
            x[i] = d & MASK;
            borrow = d >> 32;
        }
        if (borrow != 0) {
            long carry = 0;
            for (int i = 0; i < 8; i++) {
                long s = x[i] + N_WORDS[i] + carry;
                x[i] = s & MASK;
                carry = s >>> 32;
            }
        }
    }

    static long[] words(BigInteger v) {
        long[] w = new long[8];
        for (int i = 0; i < 8; i++) {
            w[i] = v.shiftRight(32 * i).longValue() & MASK;
        }
        return w;
    }

    static BigInteger toBigInteger(long[] a) {
        byte[] bytes = new byte[33];
        for (int i = 0; i < 8; i++) {
            long w = a[i];
            int at = 32 - 4 * i;
            bytes[at] = (byte) w;
            bytes[at - 1] = (byte) (w >>> 8);
            bytes[at - 2] = (byte) (w >>> 16);
            bytes[at - 3] = (byte) (w >>> 24);
        }
        return new BigInteger(bytes);
    }
}
