package org.ticketledger.verify.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * Base45 (RFC 9285): the densest text encoding of bytes that a QR code can carry in alphanumeric
 * mode. Not API. Thread-safe (stateless).
 */
public final class Base45 {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DECODE[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Base45() {
    }

    /** Encodes bytes; never returns null. */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder(data.length / 2 * 3 + 2);
        int i = 0;
        for (; i + 1 < data.length; i += 2) {
            int n = ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
            out.append(ALPHABET.charAt(n % 45));
            out.append(ALPHABET.charAt(n / 45 % 45));
            out.append(ALPHABET.charAt(n / 2025));
        }
        if (i < data.length) {
            int n = data[i] & 0xFF;
            out.append(ALPHABET.charAt(n % 45));
            out.append(ALPHABET.charAt(n / 45));
        }
        return out.toString();
    }

    /**
     * Decodes strictly: characters outside the alphabet, a dangling single character and groups
     * whose value overflows are refused (empty), so one text maps to at most one byte string.
     */
    public static Optional<byte[]> decode(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 0 || length % 3 == 1) {
            return Optional.empty();
        }
        byte[] out = new byte[length / 3 * 2 + (length % 3 == 2 ? 1 : 0)];
        int o = 0;
        int i = from;
        for (; i + 2 < to; i += 3) {
            int c = digit(text.charAt(i));
            int d = digit(text.charAt(i + 1));
            int e = digit(text.charAt(i + 2));
            if (c < 0 || d < 0 || e < 0) {
                return Optional.empty();
            }
            int n = c + d * 45 + e * 2025;
            if (n > 0xFFFF) {
                return Optional.empty();
            }
            out[o++] = (byte) (n >>> 8);
            out[o++] = (byte) n;
        }
        if (i < to) {
            int c = digit(text.charAt(i));
            int d = digit(text.charAt(i + 1));
            if (c < 0 || d < 0) {
                return Optional.empty();
            }
            int n = c + d * 45;
            if (n > 0xFF) {
                return Optional.empty();
            }
            out[o] = (byte) n;
        }
        return Optional.of(out);
    }

    private static int digit(char ch) {
        return ch < 128 ? DECODE[ch] : -1;
    }
}
