package org.ticketledger.cli.internal.journal;

import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON the one way the export spells it: no blanks, strings with
 * only {@code \"}, {@code \\} and <code>&#92;u00xx</code> (lower-case hex, for control characters) escaped,
 * everything else as raw UTF-8. Not thread-safe; reused line after line.
 */
final class LineBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    byte[] bytes = new byte[1024];
    int length;

    void reset() {
        length = 0;
    }

    /** Appends ASCII text as is (field names, punctuation, enum names). */
    LineBuffer raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    LineBuffer raw(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    LineBuffer number(long v) {
        return raw(Long.toString(v));
    }

    /** Appends {@code "value"} with the export's escaping. */
    LineBuffer string(String s) {
        int n = s.length();
        ensure(n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                bytes[length++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                ensure(2);
                bytes[length++] = '\\';
                bytes[length++] = (byte) c;
            } else if (c < 0x20) {
                ensure(6);
                bytes[length++] = '\\';
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[c >> 4];
                bytes[length++] = HEX[c & 0xF];
            } else if (c < 0x800) {
                ensure(2);
                bytes[length++] = (byte) (0xC0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("text is not valid Unicode (lone surrogate at " + i + ")");
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else {
                ensure(3);
                bytes[length++] = (byte) (0xE0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
        ensure(1);
        bytes[length++] = '"';
        return this;
    }

    LineBuffer timestamp(java.time.Instant t) {
        ensure(Timestamps.LENGTH + 2);
        bytes[length++] = '"';
        Timestamps.write(t, bytes, length);
        length += Timestamps.LENGTH;
        bytes[length++] = '"';
        return this;
    }

    /** Whether the buffer holds exactly {@code other[from, to)}. */
    boolean sameAs(byte[] other, int from, int to) {
        return Arrays.equals(bytes, 0, length, other, from, to);
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }
}
