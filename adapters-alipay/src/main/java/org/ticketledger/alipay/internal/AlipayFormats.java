package org.ticketledger.alipay.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.ticketledger.ledger.Money;

/**
 * Alipay's wire formats: times as {@code yyyy-MM-dd HH:mm:ss} in GMT+8, amounts as yuan strings
 * with two decimals. Thread-safe.
 */
public final class AlipayFormats {

    /** Alipay's time zone for request timestamps (and, very likely, reply times). */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    /** The largest amount Alipay accepts in one trade or transfer: 100,000,000.00 yuan. */
    public static final Money MAX_AMOUNT = Money.cny(100_000_000_00L);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private AlipayFormats() {
    }

    /** {@code instant} as Alipay writes it, e.g. {@code 2026-11-26 10:00:00}. */
    public static String time(Instant instant) {
        return TIME.format(LocalDateTime.ofInstant(instant, BEIJING));
    }

    /** The instant of an Alipay time, or empty when {@code text} is not one. */
    public static Optional<Instant> parseTime(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(text, TIME).toInstant(BEIJING));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A CNY amount as a yuan string with two decimals, e.g. {@code "101.00"}. */
    public static String yuan(Money amount) {
        if (!Money.CNY.equals(amount.currency())) {
            throw new IllegalArgumentException("Alipay moves CNY only, not " + amount.currency());
        }
        return amount.toDecimalString();
    }

    /**
     * The amount of a yuan string with at most two decimals; empty for anything else (negative
     * amounts included).
     */
    public static Optional<Money> parseYuan(String text) {
        if (text == null || text.isEmpty() || text.charAt(0) == '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(Money.parseCny(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
