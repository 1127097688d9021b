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
        BigInteger inverse = P256Scalar.inverse(a);
        assertThat(inverse).isEqualTo(a.modInverse(N));
        assertThat(inverse.multiply(a).mod(N)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void refusesZeroAndValuesOutsideTheOrder() {
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.negate()}) {
            assertThatThrownBy(() -> P256Scalar.inverse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
