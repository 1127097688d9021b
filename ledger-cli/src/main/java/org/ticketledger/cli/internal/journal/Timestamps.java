package org.ticketledger.cli.internal.journal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.ticketledger.ledger.CanonicalForm;

/**
 * The export's one time format, {@code 2026-11-26T02:00:00.123456Z}: UTC, always six fraction
 * digits, years 0000-9999. Parsing is strict (upper-case 'T' and 'Z', no other layout) so that a
 * text that parses has exactly one spelling, which is what lets verify call any edit of a line an
 * edit.
 */
public final class Timestamps {

    /** The length of every timestamp. */
    public static final int LENGTH = 27;

    private Timestamps() {
    }

    /** Writes the timestamp of {@code t} (truncated to microseconds) into {@code out} at {@code at}. */
    public static void write(Instant t, byte[] out, int at) {
        long micros = CanonicalForm.micros(t);
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        LocalDateTime d = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("time " + t + " is outside the years 0000-9999");
        }
        digits(out, at, year, 4);
        out[at + 4] = '-';
        digits(out, at + 5, d.getMonthValue(), 2);
        out[at + 7] = '-';
        digits(out, at + 8, d.getDayOfMonth(), 2);
        out[at + 10] = 'T';
        digits(out, at + 11, d.getHour(), 2);
        out[at + 13] = ':';
        digits(out, at + 14, d.getMinute(), 2);
        out[at + 16] = ':';
        digits(out, at + 17, d.getSecond(), 2);
        out[at + 19] = '.';
        digits(out, at + 20, fraction, 6);
        out[at + 26] = 'Z';
    }

    /** The timestamp of {@code t} as a string. */
    public static String format(Instant t) {
        byte[] b = new byte[LENGTH];
        write(t, b, 0);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Parses exactly the format above; {@link IllegalArgumentException} for anything else. */
    public static Instant parse(CharSequence s) {
        if (s.length() != LENGTH || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(26) != 'Z') {
            throw new IllegalArgumentException("not a time in the form 2026-11-26T02:00:00.000000Z: \"" + s + "\"");
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        int fraction = number(s, 20, 6);
        try {
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
            return Instant.ofEpochSecond(epochSecond, fraction * 1_000L);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid time: \"" + s + "\"", e);
        }
    }

    private static int number(CharSequence s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a time in the form 2026-11-26T02:00:00.000000Z: \"" + s + "\"");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void digits(byte[] out, int at, int value, int len) {
        for (int i = at + len - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
