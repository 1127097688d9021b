package org.ticketledger.ticketing.fee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.Money;

class FeeRuleTest {

    @Test
    void computesArchitectureExampleFees() {
        FeeRule onePercent = FeeRule.proportional(100, 0, 1_000_000);
        assertThat(onePercent.feeOn(Money.parseCny("100.00"))).isEqualTo(Money.parseCny("1.00"));
        assertThat(onePercent.feeOn(Money.parseCny("90.00"))).isEqualTo(Money.parseCny("0.90"));
    }

    @Test
    void roundsTheProportionalPartHalfUpToTheFen() {
        FeeRule rule = new FeeRule(0, 30, 0, OptionalLong.empty());
        // 0.3 % of 1.50 = 0.0045 → 0.00; of 1.84 = 0.00552 → 0.01; of 5.00 = 0.015 → 0.02 (half up)
        assertThat(rule.feeOn(Money.parseCny("1.50"))).isEqualTo(Money.parseCny("0.00"));
        assertThat(rule.feeOn(Money.parseCny("1.84"))).isEqualTo(Money.parseCny("0.01"));
        assertThat(rule.feeOn(Money.parseCny("5.00"))).isEqualTo(Money.parseCny("0.02"));
    }

    @Test
    void appliesFixedPartMinimumAndMaximum() {
        FeeRule rule = new FeeRule(50, 100, 200, OptionalLong.of(500));
        assertThat(rule.feeOn(Money.parseCny("10.00"))).isEqualTo(Money.parseCny("2.00"));   // 0.50 + 0.10 → min 2.00
        assertThat(rule.feeOn(Money.parseCny("300.00"))).isEqualTo(Money.parseCny("3.50"));  // 0.50 + 3.00
        assertThat(rule.feeOn(Money.parseCny("9000.00"))).isEqualTo(Money.parseCny("5.00")); // capped
    }

    @Test
    void computesHugeAmountsWithoutIntermediateOverflow() {
        FeeRule rule = new FeeRule(0, 10_000, 0, OptionalLong.empty());
        Money huge = Money.cny(Long.MAX_VALUE);
        assertThat(rule.feeOn(huge)).isEqualTo(huge);
        assertThatThrownBy(() -> new FeeRule(1, 10_000, 0, OptionalLong.empty()).feeOn(huge))
                .isInstanceOf(ArithmeticException.class);
    }

    @Property
    void feeIsExactlyTheRoundedProportionPlusFixedWithinBounds(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long amount,
                                                              @ForAll @IntRange(min = 0, max = 10_000) int bp,
                                                              @ForAll @LongRange(min = 0, max = 10_000) long fixed,
                                                              @ForAll @LongRange(min = 0, max = 10_000) long min) {
        FeeRule rule = new FeeRule(fixed, bp, min, OptionalLong.of(min + 50_000));
        long expected = fixed + java.math.BigDecimal.valueOf(amount).multiply(java.math.BigDecimal.valueOf(bp))
                .divide(java.math.BigDecimal.valueOf(10_000), 0, java.math.RoundingMode.HALF_UP).longValueExact();
        expected = Math.min(Math.max(expected, min), min + 50_000);
        assertThat(rule.feeOn(Money.cny(amount)).minor()).isEqualTo(expected);
    }
}
