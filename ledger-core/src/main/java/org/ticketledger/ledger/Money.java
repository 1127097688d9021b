package org.ticketledger.ledger;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in the minor unit of its currency (fen for CNY).
 *
 * <p>Arithmetic is exact and overflow-checked: every operation that would leave the range of
 * {@code long} throws {@link ArithmeticException} instead of wrapping. Amounts travel on the wire
 * as decimal strings ("101.00"), never as binary floating point; {@link #parse} refuses more
 * decimals than the currency has, so "0.001" CNY is an error rather than a silent rounding.
 *
 * <p>Instances are immutable and thread-safe. Money may be negative (a net balance can be), but
 * postings and rail instructions require positive amounts and check that themselves.
 *
 * @param minor    the amount in minor units (fen for CNY)
 * @param currency the ISO 4217 currency; never null
 */
public record Money(long minor, Currency currency) implements Comparable<Money> {

    /** Chinese yuan renminbi, the currency of every rail the platform speaks today. */
    public static final Currency CNY = Currency.getInstance("CNY");

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency " + currency + " has no minor unit");
        }
    }

    /** Money of {@code minor} units of {@code currency}. */
    public static Money of(long minor, Currency currency) {
        return new Money(minor, currency);
    }

    /** Money of {@code minor} fen. */
    public static Money cny(long fen) {
        return new Money(fen, CNY);
    }

    /** Zero in {@code currency}. */
    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * Parses a plain decimal string such as {@code "101.00"}, {@code "0.5"} or {@code "-3"}.
     *
     * <p>Accepted: an optional leading minus, digits, and optionally a dot followed by at most as
     * many digits as the currency has decimals. Refused with {@link IllegalArgumentException}:
     * exponents, thousands separators, a leading plus, blanks, more decimals than the currency
     * allows, and values outside the range of {@code long} minor units.
     */
    public static Money parse(String text, Currency currency) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(currency, "currency");
        int scale = currency.getDefaultFractionDigits();
        int len = text.length();
        if (len == 0) {
            throw new IllegalArgumentException("empty amount");
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '-') {
            negative = true;
            i = 1;
        }
        long units = 0;
        int intDigits = 0;
        int fracDigits = 0;
        boolean dot = false;
        // Accumulate as a negative number so that Long.MIN_VALUE minor units round-trips.
        for (; i < len; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (dot) {
                    throw new IllegalArgumentException("amount has two decimal points: \"" + text + "\"");
                }
                dot = true;
                continue;
            }
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("amount is not a plain decimal number: \"" + text + "\"");
            }
            if (dot) {
                fracDigits++;
                if (fracDigits > scale) {
                    throw new IllegalArgumentException("amount \"" + text + "\" has more than " + scale
                            + " decimals for " + currency.getCurrencyCode());
                }
            } else {
                intDigits++;
            }
            try {
                units = Math.subtractExact(Math.multiplyExact(units, 10), c - '0');
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("amount \"" + text + "\" is out of range", e);
            }
        }
        if (intDigits == 0 || (dot && fracDigits == 0)) {
            throw new IllegalArgumentException("amount is not a plain decimal number: \"" + text + "\"");
        }
        try {
            for (int k = fracDigits; k < scale; k++) {
                units = Math.multiplyExact(units, 10);
            }
            return new Money(negative ? units : Math.negateExact(units), currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount \"" + text + "\" is out of range", e);
        }
    }

    /** Parses a CNY amount in yuan, e.g. {@code "101.00"}. */
    public static Money parseCny(String yuan) {
        return parse(yuan, CNY);
    }

    /** The sum; throws {@link ArithmeticException} on overflow, {@link IllegalArgumentException} on a currency mix. */
    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minor, other.minor), currency);
    }

    /** The difference; throws {@link ArithmeticException} on overflow, {@link IllegalArgumentException} on a currency mix. */
    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minor, other.minor), currency);
    }

    /** This amount times {@code factor}; throws {@link ArithmeticException} on overflow. */
    public Money times(long factor) {
        return new Money(Math.multiplyExact(minor, factor), currency);
    }

    /** The negated amount; throws {@link ArithmeticException} for {@code Long.MIN_VALUE}. */
    public Money negate() {
        return new Money(Math.negateExact(minor), currency);
    }

    public boolean isZero() {
        return minor == 0;
    }

    public boolean isPositive() {
        return minor > 0;
    }

    public boolean isNegative() {
        return minor < 0;
    }

    /** Orders amounts of the same currency; a currency mix is an {@link IllegalArgumentException}. */
    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    public boolean isGreaterThan(Money other) {
        return compareTo(other) > 0;
    }

    public boolean isLessThan(Money other) {
        return compareTo(other) < 0;
    }

    /** The plain decimal string with exactly the currency's number of decimals, e.g. {@code "101.00"}. */
    public String toDecimalString() {
        int scale = currency.getDefaultFractionDigits();
        if (scale == 0) {
            return Long.toString(minor);
        }
        // Work on the absolute value as an unsigned string so Long.MIN_VALUE formats correctly.
        String digits = minor < 0 ? Long.toString(minor).substring(1) : Long.toString(minor);
        StringBuilder sb = new StringBuilder(digits.length() + 3);
        if (minor < 0) {
            sb.append('-');
        }
        if (digits.length() <= scale) {
            sb.append('0').append('.');
            for (int k = digits.length(); k < scale; k++) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            sb.append(digits, 0, digits.length() - scale).append('.').append(digits, digits.length() - scale, digits.length());
        }
        return sb.toString();
    }

    /** E.g. {@code "CNY 101.00"}. */
    @Override
    public String toString() {
        return currency.getCurrencyCode() + " " + toDecimalString();
    }

    private void requireSameCurrency(Money other) {
        Objects.requireNonNull(other, "other");
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currency mix: " + currency.getCurrencyCode() + " and "
                    + other.currency.getCurrencyCode());
        }
    }
}
