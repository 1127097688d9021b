package org.ticketledger.verify;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ticketledger.verify.internal.Base45;

/**
 * Mints and decodes ticket codes in the format of TICKET-CODE.md (version 1):
 * {@code "TL:" + Base45(payload || r || s)}, signed with ECDSA P-256 / SHA-256. The server's
 * ticketing module mints with {@link #mint}; devices decode with {@link #decode} and check the
 * signature against the key set. Stateless and thread-safe; never returns null.
 */
public final class TicketCodec {

    /** The text prefix of every code; an alphanumeric-mode QR character set member. */
    public static final String PREFIX = "TL:";
    /** The binary format version this SDK mints and reads. */
    public static final int VERSION = 1;

    static final int HEADER_LENGTH = 25; // version .. spot count
    static final int MAX_TEXT_LENGTH = PREFIX.length() + (HEADER_LENGTH + 4 * TicketPayload.MAX_SPOTS
            + EcP256.SIGNATURE_LENGTH + 1) / 2 * 3;

    private TicketCodec() {
    }

    /** The signed bytes of a payload (the binary code without its signature). */
    public static byte[] encodePayload(TicketPayload payload) {
        int n = payload.spotCount();
        byte[] out = new byte[HEADER_LENGTH + 4 * n];
        out[0] = (byte) VERSION;
        putU16(out, 1, payload.keyId());
        putLong(out, 3, payload.ticketId());
        putU32(out, 11, payload.productId());
        putU32(out, 15, payload.validFrom().getEpochSecond());
        putU32(out, 19, payload.validUntil().getEpochSecond());
        out[23] = (byte) payload.uses();
        out[24] = (byte) n;
        for (int i = 0; i < n; i++) {
            putU32(out, HEADER_LENGTH + 4 * i, payload.spotAt(i));
        }
        return out;
    }

    /**
     * Signs the payload with the issuer's private key (whose id must be {@code payload.keyId()})
     * and returns the code text for the QR. Throws {@link UnableToSignException} when the key is
     * not a usable P-256 private key.
     */
    public static String mint(TicketPayload payload, PrivateKey issuerKey) {
        return mint(payload, signed -> EcP256.sign(issuerKey, signed));
    }

    /**
     * Signs the payload through {@code signer}, which gets the signed bytes and returns their
     * 64-byte {@code r || s} signature as {@link EcP256#sign} does, and returns the code text: for
     * issuers that sign with their own implementation of the same algorithm. Throws
     * IllegalArgumentException when the signer returns anything but 64 bytes.
     */
    public static String mint(TicketPayload payload, Function<byte[], byte[]> signer) {
        byte[] signed = encodePayload(payload);
        byte[] signature = signer.apply(signed.clone());
        if (signature == null || signature.length != EcP256.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a ticket code signature is 64 bytes (r || s)");
        }
        byte[] binary = new byte[signed.length + signature.length];
        System.arraycopy(signed, 0, binary, 0, signed.length);
        System.arraycopy(signature, 0, binary, signed.length, signature.length);
        return PREFIX + Base45.encode(binary);
    }

    /**
     * Decodes code text without checking the signature. Trailing CR/LF (added by some scanners) are
     * ignored; anything else that is not exactly a canonical version-1 code is {@link
     * DecodeResult.Malformed}. Never throws for bad input.
     */
    public static DecodeResult decode(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end > MAX_TEXT_LENGTH) {
            return malformed("too long for a ticket code");
        }
        if (!text.startsWith(PREFIX)) {
            return malformed("not a ticket code of this platform");
        }
        Optional<byte[]> decoded = Base45.decode(text, PREFIX.length(), end);
        if (!decoded.isPresent()) {
            return malformed("damaged code (not Base45)");
        }
        byte[] b = decoded.get();
        if (b.length == 0) {
            return malformed("empty code");
        }
        int version = b[0] & 0xFF;
        if (version == 0) {
            return malformed("version 0 is not a ticket code");
        }
        if (version != VERSION) {
            return new DecodeResult.Malformed(ResultCode.UNSUPPORTED_VERSION, "format version " + version);
        }
        if (b.length < HEADER_LENGTH) {
            return malformed("truncated code");
        }
        int n = b[24] & 0xFF;
        if (n == 0 || n > TicketPayload.MAX_SPOTS) {
            return malformed("bad spot count " + n);
        }
        int signedLength = HEADER_LENGTH + 4 * n;
        if (b.length < signedLength + EcP256.SIGNATURE_LENGTH) {
            return malformed("truncated code");
        }
        if (b.length > signedLength + EcP256.SIGNATURE_LENGTH) {
            return malformed("trailing bytes after the signature");
        }
        List<Long> spots = new ArrayList<>(n);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long spot = u32(b, HEADER_LENGTH + 4 * i);
            if (spot <= previous) {
                return malformed("spot ids not strictly ascending and positive");
            }
            spots.add(spot);
            previous = spot;
        }
        TicketPayload payload;
        try {
            payload = TicketPayload.builder()
                    .keyId(u16(b, 1))
                    .ticketId(getLong(b, 3))
                    .productId(u32(b, 11))
                    .validFrom(Instant.ofEpochSecond(u32(b, 15)))
                    .validUntil(Instant.ofEpochSecond(u32(b, 19)))
                    .uses(b[23] & 0xFF)
                    .spotIds(spots)
                    .build();
        } catch (IllegalArgumentException e) {
            return malformed("field out of range (" + e.getMessage() + ")");
        }
        String canonical = end == text.length() ? text : text.substring(0, end);
        return new DecodeResult.Decoded(new TicketCode(canonical, payload, b, signedLength));
    }

    private static DecodeResult malformed(String detail) {
        return new DecodeResult.Malformed(ResultCode.INVALID, detail);
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        putU32(b, at, v >>> 32);
        putU32(b, at + 4, v & TicketPayload.MAX_U32);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }
}
