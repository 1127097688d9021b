package org.ticketledger.verify;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A structurally valid ticket code as scanned: its text, the decoded payload and the signature.
 * Obtained from {@link TicketCodec#decode}; the signature has not been checked until
 * {@link #isSignedBy} says so. Immutable and thread-safe.
 */
public final class TicketCode {

    private final String text;
    private final TicketPayload payload;
    private final byte[] binary;
    private final int signedLength;
    private final byte[] signature;

    TicketCode(String text, TicketPayload payload, byte[] binary, int signedLength) {
        this.text = Objects.requireNonNull(text, "text");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.binary = binary;
        this.signedLength = signedLength;
        this.signature = Arrays.copyOfRange(binary, signedLength, binary.length);
    }

    /** The code text exactly as minted ("TL:" + Base45), without any trailing line break. */
    public String text() {
        return text;
    }

    /** The decoded payload (not yet authenticated). */
    public TicketPayload payload() {
        return payload;
    }

    /** A copy of the signed bytes (version byte through the last spot id). */
    public byte[] signedBytes() {
        return Arrays.copyOf(binary, signedLength);
    }

    /** A copy of the 64-byte {@code r || s} signature. */
    public byte[] signature() {
        return signature.clone();
    }

    /** Whether the signature verifies with this issuer public key; never throws for a bad signature. */
    public boolean isSignedBy(PublicKey issuerKey) {
        return EcP256.verify(issuerKey, binary, 0, signedLength, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketCode && ((TicketCode) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "TicketCode[" + payload + "]";
    }
}
