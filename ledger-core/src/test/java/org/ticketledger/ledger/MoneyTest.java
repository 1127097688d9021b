package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static final Currency JPY = Currency.getInstance("JPY");
    private static final Currency BHD = Currency.getInstance("BHD");

    @Test
    void parsesPlainDecimalsIntoFen() {
        assertThat(Money.parseCny("101.00")).isEqualTo(Money.cny(10100));
        assertThat(Money.parseCny("0.5")).isEqualTo(Money.cny(50));
        assertThat(Money.parseCny("0.01")).isEqualTo(Money.cny(1));
        assertThat(Money.parseCny("-3")).isEqualTo(Money.cny(-300));
        assertThat(Money.parseCny("007.10")).isEqualTo(Money.cny(710));
        assertThat(Money.parse("1000", JPY)).isEqualTo(Money.of(1000, JPY));
        assertThat(Money.parse("1.234", BHD)).isEqualTo(Money.of(1234, BHD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", ".", "1.", ".5", "1.001", "0.000", "1e3", "+1", " 1", "1 ", "1,000", "1..0",
            "1.0.0", "abc", "--1", "92233720368547758.08", "-92233720368547758.09", "99999999999999999999"})
    void refusesAnythingButAPlainDecimalWithinRange(String text) {
        assertThatThrownBy(() -> Money.parseCny(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusingMoreDecimalsThanTheCurrencyHasSaysWhy() {
        assertThatThrownBy(() -> Money.parseCny("0.001")).hasMessageContaining("more than 2 decimals for CNY");
        assertThatThrownBy(() -> Money.parse("1.5", JPY)).hasMessageContaining("more than 0 decimals for JPY");
    }

    @Test
    void theExtremesOfLongRoundTrip() {
        assertThat(Money.parseCny("92233720368547758.07")).isEqualTo(Money.cny(Long.MAX_VALUE));
        assertThat(Money.parseCny("-92233720368547758.08")).isEqualTo(Money.cny(Long.MIN_VALUE));
        assertThat(Money.cny(Long.MIN_VALUE).toDecimalString()).isEqualTo("-92233720368547758.08");
    }

    @Test
    void formatsWithTheCurrencysDecimals() {
        assertThat(Money.cny(10100).toDecimalString()).isEqualTo("101.00");
        assertThat(Money.cny(5).toDecimalString()).isEqualTo("0.05");
        assertThat(Money.cny(-5).toDecimalString()).isEqualTo("-0.05");
        assertThat(Money.cny(0).toDecimalString()).isEqualTo("0.00");
        assertThat(Money.of(7, JPY).toDecimalString()).isEqualTo("7");
        assertThat(Money.of(7, BHD).toDecimalString()).isEqualTo("0.007");
        assertThat(Money.cny(10100)).hasToString("CNY 101.00");
    }

    @Test
    void arithmeticIsOverflowCheckedAndRefusesCurrencyMixes() {
        assertThat(Money.cny(100).plus(Money.cny(1))).isEqualTo(Money.cny(101));
        assertThat(Money.cny(100).minus(Money.cny(101))).isEqualTo(Money.cny(-1));
        assertThat(Money.cny(3).times(4)).isEqualTo(Money.cny(12));
        assertThatThrownBy(() -> Money.cny(Long.MAX_VALUE).plus(Money.cny(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.cny(Long.MIN_VALUE).minus(Money.cny(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.cny(Long.MAX_VALUE).times(2)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.cny(Long.MIN_VALUE).negate()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.cny(1).plus(Money.of(1, JPY))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currency mix");
        assertThatThrownBy(() -> Money.cny(1).compareTo(Money.of(1, JPY))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Money.cny(2).isGreaterThan(Money.cny(1))).isTrue();
        assertThat(Money.cny(1).isLessThan(Money.cny(2))).isTrue();
        assertThatThrownBy(() -> new Money(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Property
    void decimalStringsRoundTrip(@ForAll long minor) {
        Money m = Money.cny(minor);
        assertThat(Money.parseCny(m.toDecimalString())).isEqualTo(m);
    }

    @Property
    void additionAgreesWithBigIntegerOrThrows(@ForAll long a, @ForAll long b) {
        java.math.BigInteger exact = java.math.BigInteger.valueOf(a).add(java.math.BigInteger.valueOf(b));
        if (exact.bitLength() < 64) {
            assertThat(Money.cny(a).plus(Money.cny(b)).minor()).isEqualTo(exact.longValueExact());
        } else {
            assertThatThrownBy(() -> Money.cny(a).plus(Money.cny(b))).isInstanceOf(ArithmeticException.class);
        }
    }
}
