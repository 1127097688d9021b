package org.ticketledger.ticketing.internal;

import java.math.BigInteger;

/**
 * Inversion modulo the P-256 group order n, the one step of a verification that
 * {@link BigInteger#modInverse} made a quarter of the cost (about 27 µs; this takes a few). Binary
 * extended Euclid on eight 32-bit words in longs; not constant-time, for public data only.
 * Static methods only, no state.
 */
final class P256Scalar {

    private static final long MASK = 0xFFFFFFFFL;
    private static final long[] N_WORDS = words(P256Verifier.N);

    private P256Scalar() {
    }

    /** a^-1 mod n for 1 <= a < n; IllegalArgumentException otherwise. */
    static BigInteger inverse(BigInteger a) {
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

    private static long[] words(BigInteger v) {
        long[] w = new long[8];
        for (int i = 0; i < 8; i++) {
            w[i] = v.shiftRight(32 * i).longValue() & MASK;
        }
        return w;
    }

    private static BigInteger toBigInteger(long[] a) {
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
