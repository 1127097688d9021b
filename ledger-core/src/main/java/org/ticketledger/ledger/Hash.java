package org.ticketledger.ledger;

import java.util.Objects;

/**
 * A SHA-256 value, held as four longs so that it is a plain value without an array inside.
 *
 * @param w0 bytes 0-7, big-endian
 * @param w1 bytes 8-15
 * @param w2 bytes 16-23
 * @param w3 bytes 24-31
 */
public record Hash(long w0, long w1, long w2, long w3) {

    /** The 32 zero bytes that stand before the first entry of every ledger. */
    public static final Hash GENESIS = new Hash(0, 0, 0, 0);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** From 32 bytes; {@link IllegalArgumentException} for any other length. */
    public static Hash ofBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + bytes.length);
        }
        return new Hash(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
    }

    /** From 64 lower- or upper-case hex digits; {@link IllegalArgumentException} otherwise. */
    public static Hash ofHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a SHA-256 hash has 64 hex digits, got " + hex.length());
        }
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex string: \"" + hex + "\"");
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return ofBytes(b);
    }

    /** A fresh 32-byte array. */
    public byte[] toBytes() {
        byte[] b = new byte[32];
        writeTo(b, 0);
        return b;
    }

    /** Writes the 32 bytes into {@code target} at {@code offset}. */
    public void writeTo(byte[] target, int offset) {
        put(target, offset, w0);
        put(target, offset + 8, w1);
        put(target, offset + 16, w2);
        put(target, offset + 24, w3);
    }

    /** 64 lower-case hex digits. */
    public String toHex() {
        char[] out = new char[64];
        long[] words = {w0, w1, w2, w3};
        int p = 0;
        for (long w : words) {
            for (int shift = 60; shift >= 0; shift -= 4) {
                out[p++] = HEX[(int) (w >>> shift) & 0xF];
            }
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static long word(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFFL);
        }
        return v;
    }

    private static void put(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
