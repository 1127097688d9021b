package org.ticketledger.huijinbao.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ticketledger.ledger.Money;

/**
 * HJB-API v1 wire conventions shared by client and sandbox: yuan strings, Beijing-time
 * timestamps, operation names and paths. Stateless and thread-safe.
 */
public final class Wire {

    /** The protocol's time zone: business days start at 00:00 Beijing time. */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    /** Path prefix of protocol version 1. */
    public static final String V1 = "/v1";

    /** The only currency v1 carries. */
    public static final String CURRENCY = "CNY";

    /** One shared mapper: Jackson's ObjectMapper is thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper();

    // Exactly two decimals, no sign, no leading zeros: one spelling per amount, so that "same
    // parameters" is a string comparison and nobody has to guess about rounding.
    private static final Pattern YUAN = Pattern.compile("(0|[1-9][0-9]{0,16})\\.[0-9]{2}");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private Wire() {
    }

    /** The wire spelling of a CNY amount, e.g. {@code "101.00"}. */
    public static String yuan(Money amount) {
        if (!Money.CNY.equals(amount.currency())) {
            throw new IllegalArgumentException("Huijinbao carries CNY only, not " + amount.currency());
        }
        return amount.toDecimalString();
    }

    /** Parses a wire amount; empty unless it is spelled exactly as the protocol requires and fits a long of fen. */
    public static Optional<Money> parseYuan(String text) {
        if (text == null || !YUAN.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Money.parseCny(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An instant in the protocol's format: Beijing offset, millisecond precision. */
    public static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MILLIS).atOffset(BEIJING));
    }

    /** Parses a protocol timestamp (any ISO-8601 offset date-time is accepted). */
    public static Optional<Instant> parseTime(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The Beijing calendar date of an instant: the business day it belongs to. */
    public static LocalDate businessDay(Instant instant) {
        return LocalDate.ofInstant(instant, BEIJING);
    }
}
