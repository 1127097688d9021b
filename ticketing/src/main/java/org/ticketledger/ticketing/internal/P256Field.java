package org.ticketledger.ticketing.internal;

import java.math.BigInteger;

/**
 * Arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 on elements held as
 * eight 32-bit words (least significant first), one per {@code long}, so that word products split
 * into 32-bit halves add up without wrapping. Every operation returns the canonical representative
 * in [0, p); outputs may alias inputs. Straight-line code on locals: this is the inner loop of
 * every verification and of every signature. Static methods only, no state.
 *
 * <p>Constant-time, because {@link P256Signer} runs it on coordinates of k·G for the secret nonce
 * k: {@link #mul}, {@link #add}, {@link #sub}, {@link #neg}, {@link #select} and {@link #inverse}
 * execute the same instructions and touch the same memory whatever the values. Carries and
 * borrows are propagated with arithmetic shifts; the reduction folds its top carry a fixed two
 * times (a fold with nothing to fold changes nothing; two always suffice, see {@link #reduce});
 * the final "subtract p if needed" computes the difference and keeps one of the two with a mask.
 * Multiplication is {@code long * long} (one fixed-latency instruction on the x86-64 and AArch64
 * JITs). {@link #isZero} and {@link #equal} return booleans and are for public values only (the
 * verifier's). What remains is the JIT's freedom: nothing in the Java memory model forbids C2
 * from turning a mask select back into a branch; current HotSpot does not do that for
 * {@code (a & m) | (b & ~m)} on longs.
 */
final class P256Field {

    static final int WORDS = 8;
    static final long MASK = 0xFFFFFFFFL;
    static final BigInteger P = new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);

    private static final long[] P_WORDS = {MASK, MASK, MASK, 0, 0, 0, 1, MASK};

    private P256Field() {
    }

    /** r = a * b mod p: schoolbook product by columns (each product split into halves so sums never wrap), then {@link #reduce}. */
    static void mul(long[] r, long[] a, long[] b) {
        long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
        long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
        long p, lo, hi, v, c = 0;
        p = a0 * b0;
        lo = p & MASK;
        hi = p >>> 32;
        v = lo + c;
        long t0 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b1;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t1 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b2;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        p = a2 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t2 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b3;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        p = a2 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        p = a3 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t3 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b4;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        p = a2 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        p = a3 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        p = a4 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t4 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b5;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        p = a2 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        p = a3 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        p = a4 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        p = a5 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t5 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b6;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        p = a2 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        p = a3 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        p = a4 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        p = a5 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        p = a6 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t6 = v & MASK;
        c = (v >>> 32) + hi;
        p = a0 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a1 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        p = a2 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        p = a3 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        p = a4 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        p = a5 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        p = a6 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        p = a7 * b0;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t7 = v & MASK;
        c = (v >>> 32) + hi;
        p = a1 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a2 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        p = a3 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        p = a4 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        p = a5 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        p = a6 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        p = a7 * b1;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t8 = v & MASK;
        c = (v >>> 32) + hi;
        p = a2 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a3 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        p = a4 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        p = a5 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        p = a6 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        p = a7 * b2;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t9 = v & MASK;
        c = (v >>> 32) + hi;
        p = a3 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a4 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        p = a5 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        p = a6 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        p = a7 * b3;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t10 = v & MASK;
        c = (v >>> 32) + hi;
        p = a4 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a5 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        p = a6 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        p = a7 * b4;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t11 = v & MASK;
        c = (v >>> 32) + hi;
        p = a5 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a6 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        p = a7 * b5;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t12 = v & MASK;
        c = (v >>> 32) + hi;
        p = a6 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        p = a7 * b6;
        lo += p & MASK;
        hi += p >>> 32;
        v = lo + c;
        long t13 = v & MASK;
        c = (v >>> 32) + hi;
        p = a7 * b7;
        lo = p & MASK;
        hi = p >>> 32;
        v = lo + c;
        long t14 = v & MASK;
        c = (v >>> 32) + hi;
        reduce(r, t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, c);
    }

    /** r = c mod p for a 512-bit c in 16 words (least significant first); for tests. */
    static void reduce(long[] r, long[] t) {
        reduce(r, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15]);
    }

    /**
     * The NIST fast reduction (FIPS 186-4 D.2.3, T + 2 S1 + 2 S2 + S3 + S4 - D1 - D2 - D3 - D4)
     * summed per output word in signed longs; the carry out of the top word is folded back with
     * 2^256 = 2^224 - 2^192 - 2^96 + 1 = F (mod p), always twice, then p is subtracted once if
     * needed. Why twice is enough: the first carry c is at most 8 in magnitude (no word sum has
     * more than 8 terms of 2^32), so L + c·F lies in (-2^228, 2^256 + 2^228); if that carries
     * again, the low part is below 2^228 (or above 2^256 - 2^228 for a borrow), and one more F
     * cannot carry. The tests hit the extreme sums.
     */
    private static void reduce(long[] r, long c0, long c1, long c2, long c3, long c4, long c5, long c6, long c7,
                               long c8, long c9, long c10, long c11, long c12, long c13, long c14, long c15) {
        long r0 = c0 + c8 + c9 - c11 - c12 - c13 - c14;
        long r1 = c1 + c9 + c10 - c12 - c13 - c14 - c15;
        long r2 = c2 + c10 + c11 - c13 - c14 - c15;
        long r3 = c3 + 2 * c11 + 2 * c12 + c13 - c15 - c8 - c9;
        long r4 = c4 + 2 * c12 + 2 * c13 + c14 - c9 - c10;
        long r5 = c5 + 2 * c13 + 2 * c14 + c15 - c10 - c11;
        long r6 = c6 + 3 * c14 + 2 * c15 + c13 - c8 - c9;
        long r7 = c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13;
        r1 += r0 >> 32;
        r0 &= MASK;
        r2 += r1 >> 32;
        r1 &= MASK;
        r3 += r2 >> 32;
        r2 &= MASK;
        r4 += r3 >> 32;
        r3 &= MASK;
        r5 += r4 >> 32;
        r4 &= MASK;
        r6 += r5 >> 32;
        r5 &= MASK;
        r7 += r6 >> 32;
        r6 &= MASK;
        long carry = r7 >> 32;
        r7 &= MASK;
        for (int round = 0; round < 2; round++) {
            r0 += carry;
            r3 -= carry;
            r6 -= carry;
            r7 += carry;
            r1 += r0 >> 32;
            r0 &= MASK;
            r2 += r1 >> 32;
            r1 &= MASK;
            r3 += r2 >> 32;
            r2 &= MASK;
            r4 += r3 >> 32;
            r3 &= MASK;
            r5 += r4 >> 32;
            r4 &= MASK;
            r6 += r5 >> 32;
            r5 &= MASK;
            r7 += r6 >> 32;
            r6 &= MASK;
            carry = r7 >> 32;
            r7 &= MASK;
        }
        store(r, r0, r1, r2, r3, r4, r5, r6, r7, 0);
    }

    /**
     * Stores words in [0, 2^32) holding a value v + 2^256·over below 2p (over is 0 or 1), minus p
     * when that is not negative: both candidates are computed and a mask keeps one.
     */
    private static void store(long[] r, long r0, long r1, long r2, long r3, long r4, long r5, long r6, long r7, long over) {
        long v = r0 - MASK;
        long s0 = v & MASK;
        v = r1 - MASK + (v >> 32);
        long s1 = v & MASK;
        v = r2 - MASK + (v >> 32);
        long s2 = v & MASK;
        v = r3 + (v >> 32);
        long s3 = v & MASK;
        v = r4 + (v >> 32);
        long s4 = v & MASK;
        v = r5 + (v >> 32);
        long s5 = v & MASK;
        v = r6 - 1 + (v >> 32);
        long s6 = v & MASK;
        v = r7 - MASK + (v >> 32);
        long s7 = v & MASK;
        // v >> 32 is -1 when v - p borrowed; a carry out (over) pays that borrow.
        long keep = (v >> 32) & (over - 1);
        r[0] = s0 ^ ((s0 ^ r0) & keep);
        r[1] = s1 ^ ((s1 ^ r1) & keep);
        r[2] = s2 ^ ((s2 ^ r2) & keep);
        r[3] = s3 ^ ((s3 ^ r3) & keep);
        r[4] = s4 ^ ((s4 ^ r4) & keep);
        r[5] = s5 ^ ((s5 ^ r5) & keep);
        r[6] = s6 ^ ((s6 ^ r6) & keep);
        r[7] = s7 ^ ((s7 ^ r7) & keep);
    }

    /** r = a + b mod p. */
    static void add(long[] r, long[] a, long[] b) {
        long v = a[0] + b[0];
        long r0 = v & MASK;
        v = a[1] + b[1] + (v >>> 32);
        long r1 = v & MASK;
        v = a[2] + b[2] + (v >>> 32);
        long r2 = v & MASK;
        v = a[3] + b[3] + (v >>> 32);
        long r3 = v & MASK;
        v = a[4] + b[4] + (v >>> 32);
        long r4 = v & MASK;
        v = a[5] + b[5] + (v >>> 32);
        long r5 = v & MASK;
        v = a[6] + b[6] + (v >>> 32);
        long r6 = v & MASK;
        v = a[7] + b[7] + (v >>> 32);
        long r7 = v & MASK;
        // a + b < 2p: one subtraction; with a carry out the 257-bit sum minus p fits 256 bits.
        store(r, r0, r1, r2, r3, r4, r5, r6, r7, v >>> 32);
    }

    /** r = a - b mod p. */
    static void sub(long[] r, long[] a, long[] b) {
        long v = a[0] - b[0];
        long r0 = v & MASK;
        v = a[1] - b[1] + (v >> 32);
        long r1 = v & MASK;
        v = a[2] - b[2] + (v >> 32);
        long r2 = v & MASK;
        v = a[3] - b[3] + (v >> 32);
        long r3 = v & MASK;
        v = a[4] - b[4] + (v >> 32);
        long r4 = v & MASK;
        v = a[5] - b[5] + (v >> 32);
        long r5 = v & MASK;
        v = a[6] - b[6] + (v >> 32);
        long r6 = v & MASK;
        v = a[7] - b[7] + (v >> 32);
        long r7 = v & MASK;
        // On a borrow the words hold a - b + 2^256; adding p (masked to zero otherwise) and
        // dropping the carry leaves a - b + p.
        long m = v >> 32;
        v = r0 + (MASK & m);
        r[0] = v & MASK;
        v = r1 + (MASK & m) + (v >>> 32);
        r[1] = v & MASK;
        v = r2 + (MASK & m) + (v >>> 32);
        r[2] = v & MASK;
        v = r3 + (v >>> 32);
        r[3] = v & MASK;
        v = r4 + (v >>> 32);
        r[4] = v & MASK;
        v = r5 + (v >>> 32);
        r[5] = v & MASK;
        v = r6 + (1 & m) + (v >>> 32);
        r[6] = v & MASK;
        v = r7 + (MASK & m) + (v >>> 32);
        r[7] = v & MASK;
    }

    /** r = -a mod p: p - a, masked to 0 when a is 0 (p itself is not canonical). */
    static void neg(long[] r, long[] a) {
        long or = 0;
        for (int i = 0; i < WORDS; i++) {
            or |= a[i];
        }
        long nonZero = (-or) >> 63; // or < 2^32, so -or is negative exactly when a != 0
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = P_WORDS[i] - a[i] + borrow;
            r[i] = v & MASK & nonZero;
            borrow = v >> 32;
        }
    }

    /** r = mask == -1 ? b : a, for mask 0 or -1, without a branch. */
    static void select(long[] r, long[] a, long[] b, long mask) {
        for (int i = 0; i < WORDS; i++) {
            r[i] = a[i] ^ ((a[i] ^ b[i]) & mask);
        }
    }

    /**
     * r = a^(p-2) = a^-1 mod p (0 for 0), by Fermat along a fixed addition chain: the exponent is
     * public, so the sequence of squarings and multiplications is the same for every a. p - 2 in
     * binary is 32 ones, 31 zeros and a one, 96 zeros, 64 ones, then 30 ones, 0, 1: built from
     * x_k = a^(2^k - 1) in 255 squarings and 13 multiplications.
     */
    static void inverse(long[] r, long[] a) {
        long[] x2 = new long[WORDS];
        long[] x4 = new long[WORDS];
        long[] x8 = new long[WORDS];
        long[] x16 = new long[WORDS];
        long[] x32 = new long[WORDS];
        long[] t = new long[WORDS];
        mul(x2, a, a);
        mul(x2, x2, a);
        sqrN(x4, x2, 2);
        mul(x4, x4, x2);
        sqrN(x8, x4, 4);
        mul(x8, x8, x4);
        sqrN(x16, x8, 8);
        mul(x16, x16, x8);
        sqrN(x32, x16, 16);
        mul(x32, x32, x16);
        sqrN(t, x32, 32);
        mul(t, t, a);
        sqrN(t, t, 96 + 32);
        mul(t, t, x32);
        sqrN(t, t, 32);
        mul(t, t, x32);
        sqrN(t, t, 16);
        mul(t, t, x16);
        sqrN(t, t, 8);
        mul(t, t, x8);
        sqrN(t, t, 4);
        mul(t, t, x4);
        sqrN(t, t, 2);
        mul(t, t, x2);
        sqrN(t, t, 2);
        mul(r, t, a);
    }

    /** r = a^(2^times); the count is public. */
    private static void sqrN(long[] r, long[] a, int times) {
        mul(r, a, a);
        for (int i = 1; i < times; i++) {
            mul(r, r, r);
        }
    }

    /** Whether a is 0; the answer is a branch for the caller, so for public values only. */
    static boolean isZero(long[] a) {
        long or = 0;
        for (int i = 0; i < WORDS; i++) {
            or |= a[i];
        }
        return or == 0;
    }

    /** Whether a = b, stopping at the first difference: public values only. */
    static boolean equal(long[] a, long[] b) {
        for (int i = 0; i < WORDS; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
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
