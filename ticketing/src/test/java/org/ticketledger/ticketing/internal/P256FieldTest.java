package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class P256FieldTest {

    private static final BigInteger P = P256Field.P;
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    @Provide
    Arbitrary<BigInteger> elements() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, P.subtract(BigInteger.ONE)),
                // Values that stress carries and the reduction's folding: near 0, near p, word-boundary patterns.
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, P.subtract(BigInteger.ONE),
                        P.subtract(BigInteger.TWO), P.shiftRight(1), TWO_256.subtract(P), BigInteger.ONE.shiftLeft(255),
                        BigInteger.ONE.shiftLeft(224).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(192),
                        BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE),
                        new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", 16),
                        new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFF00000000000000000000000000000000", 16),
                        new BigInteger("00000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000000", 16)));
    }

    @Property(tries = 3000)
    void multipliesLikeBigInteger(@ForAll("elements") BigInteger a, @ForAll("elements") BigInteger b) {
        long[] r = new long[8];
        P256Field.mul(r, P256Field.of(a), P256Field.of(b));
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a.multiply(b).mod(P));
        assertCanonical(r);
    }

    @Property(tries = 1000)
    void squaresInPlaceLikeBigInteger(@ForAll("elements") BigInteger a) {
        long[] r = P256Field.of(a);
        P256Field.mul(r, r, r);
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a.multiply(a).mod(P));
    }

    @Property(tries = 2000)
    void addsSubtractsAndNegatesLikeBigInteger(@ForAll("elements") BigInteger a, @ForAll("elements") BigInteger b) {
        long[] r = new long[8];
        P256Field.add(r, P256Field.of(a), P256Field.of(b));
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a.add(b).mod(P));
        assertCanonical(r);
        P256Field.sub(r, P256Field.of(a), P256Field.of(b));
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a.subtract(b).mod(P));
        assertCanonical(r);
        P256Field.neg(r, P256Field.of(a));
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a.negate().mod(P));
        assertCanonical(r);
    }

    @Property(tries = 2000)
    void reducesAnyFiveHundredTwelveBitValue(@ForAll("wide") BigInteger c) {
        long[] t = new long[16];
        for (int i = 0; i < 16; i++) {
            t[i] = c.shiftRight(32 * i).longValue() & P256Field.MASK;
        }
        long[] r = new long[8];
        P256Field.reduce(r, t);
        assertThat(P256Field.toBigInteger(r)).isEqualTo(c.mod(P));
        assertCanonical(r);
    }

    @Provide
    Arbitrary<BigInteger> wide() {
        BigInteger max = BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE);
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ZERO, max),
                Arbitraries.of(max, BigInteger.ZERO, P, P.multiply(P), P.multiply(P).subtract(BigInteger.ONE),
                        P.shiftLeft(256).subtract(BigInteger.ONE), TWO_256, TWO_256.subtract(BigInteger.ONE),
                        // Only the words that the reduction subtracts are set: the most negative intermediate sums.
                        new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", 16),
                        new BigInteger("00000000FFFFFFFFFFFFFFFF0000000000000000000000000000000000000000000000000000000000000000FFFFFFFF00000000000000000000000000000000", 16)));
    }

    @Property(tries = 300)
    void invertsLikeBigInteger(@ForAll("elements") BigInteger a) {
        long[] r = new long[8];
        P256Field.inverse(r, P256Field.of(a));
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a.signum() == 0 ? BigInteger.ZERO : a.modInverse(P));
        assertCanonical(r);
    }

    @Property(tries = 500)
    void selectsByMask(@ForAll("elements") BigInteger a, @ForAll("elements") BigInteger b) {
        long[] r = new long[8];
        P256Field.select(r, P256Field.of(a), P256Field.of(b), 0);
        assertThat(P256Field.toBigInteger(r)).isEqualTo(a);
        P256Field.select(r, P256Field.of(a), P256Field.of(b), -1);
        assertThat(P256Field.toBigInteger(r)).isEqualTo(b);
    }

    /**
     * The reduction folds its carry a fixed two times instead of until none is left: every 512-bit
     * value whose words are each 0 or 2^32 - 1 (the extremes of every intermediate sum, which is
     * linear in the words) must still come out right.
     */
    @org.junit.jupiter.api.Test
    void reducesEveryExtremeWordPattern() {
        long[] t = new long[16];
        long[] r = new long[8];
        for (int pattern = 0; pattern < 1 << 16; pattern++) {
            BigInteger c = BigInteger.ZERO;
            for (int i = 15; i >= 0; i--) {
                t[i] = (pattern >>> i & 1) == 1 ? P256Field.MASK : 0;
                c = c.shiftLeft(32).or(BigInteger.valueOf(t[i]));
            }
            P256Field.reduce(r, t);
            assertThat(P256Field.toBigInteger(r)).as("pattern %x", pattern).isEqualTo(c.mod(P));
            assertCanonical(r);
        }
    }

    private static void assertCanonical(long[] r) {
        for (long w : r) {
            assertThat(w).isBetween(0L, P256Field.MASK);
        }
        assertThat(P256Field.toBigInteger(r)).isLessThan(P);
    }
}
