package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class P256ScalarTest {

    private static final BigInteger N = P256Verifier.N;

    @Provide
    Arbitrary<BigInteger> scalars() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3), N.subtract(BigInteger.ONE),
                        N.subtract(BigInteger.TWO), N.add(BigInteger.ONE).shiftRight(1), BigInteger.ONE.shiftLeft(255),
                        BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)));
    }

    @Property(tries = 3000)
    void invertsLikeBigInteger(@ForAll("scalars") BigInteger a) {
        BigInteger inverse = P256Scalar.inverseVartime(a);
        assertThat(inverse).isEqualTo(a.modInverse(N));
        assertThat(inverse.multiply(a).mod(N)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void refusesZeroAndValuesOutsideTheOrder() {
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.negate()}) {
            assertThatThrownBy(() -> P256Scalar.inverseVartime(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }


    // ------------------------------------------------ the signer's constant-time arithmetic mod n

    private static final BigInteger R = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger R_INVERSE = R.modInverse(N);

    @Provide
    Arbitrary<BigInteger> residues() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ZERO, N.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO),
                        N.shiftRight(1), N.shiftRight(1).add(BigInteger.ONE), R.subtract(N), BigInteger.ONE.shiftLeft(255),
                        BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)));
    }

    /** Any 256-bit value: digests and x coordinates are not reduced before they come in. */
    @Provide
    Arbitrary<BigInteger> wide() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ZERO, R.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, N, N.add(BigInteger.ONE), N.subtract(BigInteger.ONE), R.subtract(BigInteger.ONE),
                        R.subtract(BigInteger.TWO), P256Field.P, P256Field.P.subtract(BigInteger.ONE)));
    }

    @Property(tries = 3000)
    void montgomeryMultipliesLikeBigInteger(@ForAll("wide") BigInteger a, @ForAll("residues") BigInteger b) {
        long[] r = new long[8];
        P256Scalar.mul(r, P256Scalar.words(a), P256Scalar.words(b));
        assertThat(P256Scalar.toBigInteger(r)).isEqualTo(a.multiply(b).multiply(R_INVERSE).mod(N));
    }

    @Property(tries = 1000)
    void entersAndLeavesTheMontgomeryFormLikeBigInteger(@ForAll("wide") BigInteger a) {
        long[] m = new long[8];
        P256Scalar.toMontgomery(m, P256Scalar.words(a));
        assertThat(P256Scalar.toBigInteger(m)).isEqualTo(a.multiply(R).mod(N));
        long[] back = new long[8];
        P256Scalar.fromMontgomery(back, m);
        assertThat(P256Scalar.toBigInteger(back)).isEqualTo(a.mod(N));
        long[] reduced = new long[8];
        P256Scalar.reduce(reduced, P256Scalar.words(a));
        assertThat(P256Scalar.toBigInteger(reduced)).isEqualTo(a.mod(N));
    }

    @Property(tries = 300)
    void invertsInConstantTimeLikeBigInteger(@ForAll("scalars") BigInteger a) {
        long[] m = new long[8];
        P256Scalar.toMontgomery(m, P256Scalar.words(a));
        long[] inverse = new long[8];
        P256Scalar.inverse(inverse, m);
        P256Scalar.fromMontgomery(inverse, inverse);
        assertThat(P256Scalar.toBigInteger(inverse)).isEqualTo(a.modInverse(N));
    }

    @Test
    void invertsZeroToZero() {
        long[] inverse = new long[8];
        P256Scalar.inverse(inverse, new long[8]);
        assertThat(P256Scalar.toBigInteger(inverse)).isZero();
    }

    @Property(tries = 2000)
    void addsAndTakesTheLowHalfLikeBigInteger(@ForAll("residues") BigInteger a, @ForAll("residues") BigInteger b) {
        long[] r = new long[8];
        P256Scalar.add(r, P256Scalar.words(a), P256Scalar.words(b));
        assertThat(P256Scalar.toBigInteger(r)).isEqualTo(a.add(b).mod(N));
        P256Scalar.lowS(r, P256Scalar.words(a));
        assertThat(P256Scalar.toBigInteger(r)).isEqualTo(a.compareTo(N.shiftRight(1)) > 0 ? N.subtract(a) : a);
    }

    @Property(tries = 1000)
    void tellsTheNonceRangeLikeBigInteger(@ForAll("wide") BigInteger a) {
        boolean inRange = a.signum() > 0 && a.compareTo(N) < 0;
        assertThat(P256Scalar.inRangeMask(P256Scalar.words(a))).isEqualTo(inRange ? -1L : 0L);
    }

    @Property(tries = 500)
    void convertsBigEndianBytes(@ForAll("wide") BigInteger a) {
        byte[] bytes = new byte[40];
        P256Scalar.toBytes(P256Scalar.words(a), bytes, 5);
        assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 5, 37))).isEqualTo(a);
        assertThat(P256Scalar.toBigInteger(P256Scalar.fromBytes(bytes, 5))).isEqualTo(a);
    }
}
