package org.ticketledger.verify.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * Unpadded base64url (RFC 4648 section 5), written here because java.util.Base64 needs Android
 * API 26 and the JWK fields must round-trip exactly. Not API. Thread-safe (stateless).
 */
public final class Base64Url {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** Encodes without padding; never returns null. */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 4 + 2) / 3);
        int i = 0;
        for (; i + 2 < data.length; i += 3) {
            int n = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF);
            out.append(ALPHABET[n >>> 18]).append(ALPHABET[n >>> 12 & 63])
                    .append(ALPHABET[n >>> 6 & 63]).append(ALPHABET[n & 63]);
        }
        int rest = data.length - i;
        if (rest == 1) {
            int n = (data[i] & 0xFF) << 16;
            out.append(ALPHABET[n >>> 18]).append(ALPHABET[n >>> 12 & 63]);
        } else if (rest == 2) {
            int n = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8;
            out.append(ALPHABET[n >>> 18]).append(ALPHABET[n >>> 12 & 63]).append(ALPHABET[n >>> 6 & 63]);
        }
        return out.toString();
    }

    /**
     * Decodes strictly: padding, whitespace, the standard alphabet's '+' and '/', an impossible
     * length and non-zero unused trailing bits are refused (empty).
     */
    public static Optional<byte[]> decode(String text) {
        int length = text.length();
        if (length % 4 == 1) {
            return Optional.empty();
        }
        byte[] out = new byte[length * 3 / 4];
        int o = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            int a = digit(text.charAt(i));
            int b = digit(text.charAt(i + 1));
            int c = digit(text.charAt(i + 2));
            int d = digit(text.charAt(i + 3));
            if ((a | b | c | d) < 0) {
                return Optional.empty();
            }
            int n = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (n >>> 16);
            out[o++] = (byte) (n >>> 8);
            out[o++] = (byte) n;
        }
        int rest = length - i;
        if (rest == 2) {
            int a = digit(text.charAt(i));
            int b = digit(text.charAt(i + 1));
            if ((a | b) < 0 || (b & 0x0F) != 0) {
                return Optional.empty();
            }
            out[o] = (byte) (a << 2 | b >>> 4);
        } else if (rest == 3) {
            int a = digit(text.charAt(i));
            int b = digit(text.charAt(i + 1));
            int c = digit(text.charAt(i + 2));
            if ((a | b | c) < 0 || (c & 0x03) != 0) {
                return Optional.empty();
            }
            int n = a << 12 | b << 6 | c;
            out[o++] = (byte) (n >>> 10);
            out[o] = (byte) (n >>> 2);
        }
        return Optional.of(out);
    }

    private static int digit(char ch) {
        return ch < 128 ? DECODE[ch] : -1;
    }
}
