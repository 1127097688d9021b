package org.ticketledger.ticketing.internal;

import java.math.BigInteger;

/**
 * Arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 on elements held as
 * eight 32-bit words (least significant first), one per {@code long} so that a word product plus
 * two words still fits 64 unsigned bits. Every operation returns the canonical representative in
 * [0, p); outputs may alias inputs. Not constant-time: only for public data (signature
 * verification). Static methods only, no state; callers bring their own scratch arrays.
 */
final class P256Field {

    static final int WORDS = 8;
    static final long MASK = 0xFFFFFFFFL;
    static final BigInteger P = new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);

    private static final long[] P_WORDS = {MASK, MASK, MASK, 0, 0, 0, 1, MASK};

    private P256Field() {
    }

    /** r = a * b mod p; {@code t} is scratch of 16 words. */
    static void mul(long[] r, long[] a, long[] b, long[] t) {
        long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
        for (int k = 0; k < 16; k++) {
            t[k] = 0;
        }
        for (int i = 0; i < 8; i++) {
            long ai = a[i];
            // (2^32-1)^2 + 2(2^32-1) = 2^64-1: a product plus a word plus a carry never wraps (unsigned).
            long c = ai * b0 + t[i];
            t[i] = c & MASK;
            c = ai * b1 + t[i + 1] + (c >>> 32);
            t[i + 1] = c & MASK;
            c = ai * b2 + t[i + 2] + (c >>> 32);
            t[i + 2] = c & MASK;
            c = ai * b3 + t[i + 3] + (c >>> 32);
            t[i + 3] = c & MASK;
            c = ai * b4 + t[i + 4] + (c >>> 32);
            t[i + 4] = c & MASK;
            c = ai * b5 + t[i + 5] + (c >>> 32);
            t[i + 5] = c & MASK;
            c = ai * b6 + t[i + 6] + (c >>> 32);
            t[i + 6] = c & MASK;
            c = ai * b7 + t[i + 7] + (c >>> 32);
            t[i + 7] = c & MASK;
            t[i + 8] = c >>> 32;
        }
        reduce(r, t);
    }

    /**
     * r = c mod p for a 512-bit c in 16 words: the NIST fast reduction (FIPS 186-4 D.2.3,
     * T + 2 S1 + 2 S2 + S3 + S4 - D1 - D2 - D3 - D4) summed per output word in signed longs.
     */
    static void reduce(long[] r, long[] t) {
        long c0 = t[0], c1 = t[1], c2 = t[2], c3 = t[3], c4 = t[4], c5 = t[5], c6 = t[6], c7 = t[7];
        long c8 = t[8], c9 = t[9], c10 = t[10], c11 = t[11], c12 = t[12], c13 = t[13], c14 = t[14], c15 = t[15];
        r[0] = c0 + c8 + c9 - c11 - c12 - c13 - c14;
        r[1] = c1 + c9 + c10 - c12 - c13 - c14 - c15;
        r[2] = c2 + c10 + c11 - c13 - c14 - c15;
        r[3] = c3 + 2 * c11 + 2 * c12 + c13 - c15 - c8 - c9;
        r[4] = c4 + 2 * c12 + 2 * c13 + c14 - c9 - c10;
        r[5] = c5 + 2 * c13 + 2 * c14 + c15 - c10 - c11;
        r[6] = c6 + 3 * c14 + 2 * c15 + c13 - c8 - c9;
        r[7] = c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13;
        normalize(r);
    }

    /**
     * Brings words that are signed and a few bits too wide into [0, p): carries out, folds the
     * carry back with 2^256 = 2^224 - 2^192 - 2^96 + 1 (mod p) until none is left (at most three
     * rounds for the magnitudes {@link #reduce} produces), then subtracts p once if needed.
     */
    private static void normalize(long[] r) {
        long carry = propagate(r);
        while (carry != 0) {
            r[0] += carry;
            r[3] -= carry;
            r[6] -= carry;
            r[7] += carry;
            carry = propagate(r);
        }
        if (geqP(r)) {
            subP(r);
        }
    }

    private static long propagate(long[] r) {
        long carry = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = r[i] + carry;
            r[i] = v & MASK;
            carry = v >> 32;
        }
        return carry;
    }

    /** r = a + b mod p. */
    static void add(long[] r, long[] a, long[] b) {
        long carry = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = a[i] + b[i] + carry;
            r[i] = v & MASK;
            carry = v >>> 32;
        }
        // a + b < 2p: one subtraction; with a carry out the 257-bit sum minus p fits 256 bits.
        if (carry != 0 || geqP(r)) {
            subP(r);
        }
    }

    /** r = a - b mod p. */
    static void sub(long[] r, long[] a, long[] b) {
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = a[i] - b[i] + borrow;
            r[i] = v & MASK;
            borrow = v >> 32;
        }
        if (borrow != 0) {
            // r holds a - b + 2^256; adding p and dropping the carry leaves a - b + p.
            long carry = 0;
            for (int i = 0; i < WORDS; i++) {
                long v = r[i] + P_WORDS[i] + carry;
                r[i] = v & MASK;
                carry = v >>> 32;
            }
        }
    }

    /** r = -a mod p. */
    static void neg(long[] r, long[] a) {
        if (isZero(a)) {
            System.arraycopy(a, 0, r, 0, WORDS);
            return;
        }
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = P_WORDS[i] - a[i] + borrow;
            r[i] = v & MASK;
            borrow = v >> 32;
        }
    }

    static boolean isZero(long[] a) {
        long or = 0;
        for (int i = 0; i < WORDS; i++) {
            or |= a[i];
        }
        return or == 0;
    }

    static boolean equal(long[] a, long[] b) {
        for (int i = 0; i < WORDS; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean geqP(long[] r) {
        for (int i = WORDS - 1; i >= 0; i--) {
            if (r[i] != P_WORDS[i]) {
                return r[i] > P_WORDS[i];
            }
        }
        return true;
    }

    private static void subP(long[] r) {
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = r[i] - P_WORDS[i] + borrow;
            r[i] = v & MASK;
            borrow = v >> 32;
        }
    }

    /** The element for 0 <= v < p; IllegalArgumentException otherwise. */
    static long[] of(BigInteger v) {
        if (v.signum() < 0 || v.compareTo(P) >= 0) {
            throw new IllegalArgumentException("not a field element");
        }
        long[] r = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            r[i] = v.shiftRight(32 * i).longValue() & MASK;
        }
        return r;
    }

    static BigInteger toBigInteger(long[] a) {
        BigInteger v = BigInteger.ZERO;
        for (int i = WORDS - 1; i >= 0; i--) {
            v = v.shiftLeft(32).or(BigInteger.valueOf(a[i]));
        }
        return v;
    }
}
