package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class YieldFormulaTest {

    @Test
    void countsBeijingMidnightsNotUtcMidnights() {
        // 2026-12-01 23:59 Beijing = 15:59Z; 2026-12-02 00:00 Beijing = 16:00Z.
        assertThat(YieldFormula.closesBetween(Instant.parse("2026-12-01T15:59:00Z"), Instant.parse("2026-12-01T16:00:00Z")))
                .isEqualTo(1);
        // UTC midnight is 08:00 Beijing: no close.
        assertThat(YieldFormula.closesBetween(Instant.parse("2026-12-01T23:59:00Z"), Instant.parse("2026-12-02T00:01:00Z")))
                .isZero();
    }

    @Test
    void anInstantExactlyAtMidnightIsAfterThatClose() {
        Instant midnight = Instant.parse("2026-12-01T16:00:00Z");

        assertThat(YieldFormula.closesBetween(midnight, midnight.plusSeconds(86_399))).isZero();
        assertThat(YieldFormula.closesBetween(midnight.minusMillis(1), midnight)).isEqualTo(1);
        assertThat(YieldFormula.closesBetween(midnight, midnight.plusSeconds(86_400))).isEqualTo(1);
    }

    @Test
    void leapDaysCloseLikeAnyOtherDayAndTimeNeverRunsBackwards() {
        // 2028 is a leap year: Feb 28 10:00 → Mar 1 10:00 Beijing is two closes.
        assertThat(YieldFormula.closesBetween(Instant.parse("2028-02-28T02:00:00Z"), Instant.parse("2028-03-01T02:00:00Z")))
                .isEqualTo(2);
        assertThat(YieldFormula.closesBetween(Instant.parse("2028-03-01T02:00:00Z"), Instant.parse("2028-02-28T02:00:00Z")))
                .isZero();
    }

    @Test
    void yieldIsTheBasisOverThreeMillionSixHundredFiftyThousandRoundedDown() {
        assertThat(YieldFormula.yieldFen(BigInteger.valueOf(3_649_999))).isZero();
        assertThat(YieldFormula.yieldFen(BigInteger.valueOf(3_650_000))).isEqualTo(1);
        // The worked example of PROTOCOL.md § 8.
        BigInteger basis = YieldFormula.basis(100_000, 285, 8)
                .add(YieldFormula.basis(234_567, 285, 98))
                .add(YieldFormula.basis(1_234_500, 285, 6));
        assertThat(basis).isEqualTo(BigInteger.valueOf(8_890_451_310L));
        assertThat(YieldFormula.yieldFen(basis)).isEqualTo(2435);
    }

    @Test
    void oneYuanForAYearAtTenThousandBasisPointsEarnsOneYuan() {
        assertThat(YieldFormula.yieldFen(YieldFormula.basis(100, 10_000, 365))).isEqualTo(100);
    }

    @Test
    void basisDoesNotOverflowForHugePositions() {
        BigInteger basis = YieldFormula.basis(Long.MAX_VALUE, 10_000, 36_500);

        assertThat(basis).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(365_000_000L)));
        assertThatThrownBy(() -> YieldFormula.yieldFen(basis)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void refusesNegativeInputs() {
        assertThatThrownBy(() -> YieldFormula.basis(-1, 285, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> YieldFormula.yieldFen(BigInteger.valueOf(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
