package org.ticketledger.verify;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.ticketledger.verify.internal.Base64Url;
import org.ticketledger.verify.spi.DeviceSigner;

/**
 * One scan at a gate, signed by the scanning device: the unit of online redeem and of the offline
 * journal that sync uploads (DEVICE-API.md, "Scan records"). The signature covers
 * {@link #signedMessage()}, a line-based canonical text, so the server can verify it without
 * canonicalising JSON. Immutable and thread-safe.
 */
public final class ScanRecord {

    /** First line of the signed message; names the record format version. */
    public static final String SIGNATURE_CONTEXT = "TL-SCAN-1";

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String recordId;
    private final String deviceId;
    private final long spotId;
    private final long ticketId;
    private final String code;
    private final Instant scannedAt;
    private final long clockOffsetMillis;
    private final long sequence;
    private final String nonce;
    private final byte[] signature;

    private ScanRecord(Builder b, byte[] signature) {
        this.recordId = Objects.requireNonNull(b.recordId, "recordId");
        if (!UUID_TEXT.matcher(recordId).matches()) {
            throw new IllegalArgumentException("recordId must be a lower-case UUID: " + recordId);
        }
        this.deviceId = Objects.requireNonNull(b.deviceId, "deviceId");
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("deviceId must match " + DEVICE_ID.pattern());
        }
        if (b.spotId < 1 || b.spotId > TicketPayload.MAX_U32) {
            throw new IllegalArgumentException("spotId out of range: " + b.spotId);
        }
        this.spotId = b.spotId;
        if (b.ticketId < 1) {
            throw new IllegalArgumentException("ticketId must be positive: " + b.ticketId);
        }
        this.ticketId = b.ticketId;
        this.code = Objects.requireNonNull(b.code, "code");
        if (code.isEmpty() || code.length() > 400 || code.indexOf('\n') >= 0 || code.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("code must be 1..400 characters without line breaks");
        }
        this.scannedAt = Objects.requireNonNull(b.scannedAt, "scannedAt");
        if (scannedAt.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("scannedAt must have millisecond precision");
        }
        this.clockOffsetMillis = b.clockOffsetMillis;
        if (b.sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative");
        }
        this.sequence = b.sequence;
        this.nonce = Objects.requireNonNull(b.nonce, "nonce");
        if (nonce.length() != 22 || !Base64Url.decode(nonce).isPresent()) {
            throw new IllegalArgumentException("nonce must be 16 bytes in base64url (22 characters)");
        }
        if (signature.length != EcP256.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        this.signature = signature.clone();
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A fresh random record id (lower-case UUID v4). */
    public static String newRecordId() {
        return UUID.randomUUID().toString();
    }

    /** A fresh 128-bit nonce in base64url. */
    public static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }

    /** Random UUID chosen by the device: the idempotency key of this redemption. */
    public String recordId() {
        return recordId;
    }

    /** The scanning device. */
    public String deviceId() {
        return deviceId;
    }

    /** The scenic spot the device is bound to. */
    public long spotId() {
        return spotId;
    }

    /** The ticket id read from the code. */
    public long ticketId() {
        return ticketId;
    }

    /** The ticket code text as scanned. */
    public String code() {
        return code;
    }

    /** Scan time: device clock corrected by {@link #clockOffsetMillis()}, millisecond precision. */
    public Instant scannedAt() {
        return scannedAt;
    }

    /** The correction the device applied to its own clock (server minus device time). */
    public long clockOffsetMillis() {
        return clockOffsetMillis;
    }

    /** Per-device increasing sequence number (gaps allowed). */
    public long sequence() {
        return sequence;
    }

    /** 128-bit random nonce, base64url. */
    public String nonce() {
        return nonce;
    }

    /** A copy of the 64-byte {@code r || s} device signature. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The exact text the device signed (UTF-8, lines joined by LF, no trailing LF). */
    public String signedMessage() {
        return signedMessage(recordId, deviceId, spotId, ticketId, scannedAt, clockOffsetMillis, sequence, nonce, code);
    }

    /** Whether the signature verifies with the device's registered public key. */
    public boolean isSignedBy(PublicKey deviceKey) {
        return EcP256.verify(deviceKey, signedMessage().getBytes(StandardCharsets.UTF_8), signature);
    }

    private static String signedMessage(String recordId, String deviceId, long spotId, long ticketId, Instant scannedAt,
            long clockOffsetMillis, long sequence, String nonce, String code) {
        return SIGNATURE_CONTEXT + '\n' + recordId + '\n' + deviceId + '\n' + spotId + '\n' + ticketId + '\n'
                + scannedAt.toEpochMilli() + '\n' + clockOffsetMillis + '\n' + sequence + '\n' + nonce + '\n' + code;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScanRecord)) {
            return false;
        }
        ScanRecord r = (ScanRecord) o;
        return recordId.equals(r.recordId) && deviceId.equals(r.deviceId) && spotId == r.spotId && ticketId == r.ticketId
                && code.equals(r.code) && scannedAt.equals(r.scannedAt) && clockOffsetMillis == r.clockOffsetMillis
                && sequence == r.sequence && nonce.equals(r.nonce) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return recordId.hashCode();
    }

    @Override
    public String toString() {
        return "ScanRecord[" + recordId + " ticket " + ticketId + " at spot " + spotId + " by " + deviceId + " "
                + scannedAt + "]";
    }

    /** Collects the fields of a record, then signs it or takes an existing signature. Not thread-safe. */
    public static final class Builder {
        private String recordId;
        private String deviceId;
        private long spotId;
        private long ticketId;
        private String code;
        private Instant scannedAt;
        private long clockOffsetMillis;
        private long sequence;
        private String nonce;

        private Builder() {
        }

        /** Lower-case UUID; see {@link ScanRecord#newRecordId()}. */
        public Builder recordId(String recordId) {
            this.recordId = recordId;
            return this;
        }

        /** Device id ({@code [A-Za-z0-9._:-]{1,64}}). */
        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /** Spot id. */
        public Builder spotId(long spotId) {
            this.spotId = spotId;
            return this;
        }

        /** Ticket id. */
        public Builder ticketId(long ticketId) {
            this.ticketId = ticketId;
            return this;
        }

        /** The code text. */
        public Builder code(String code) {
            this.code = code;
            return this;
        }

        /** Scan time, millisecond precision. */
        public Builder scannedAt(Instant scannedAt) {
            this.scannedAt = scannedAt;
            return this;
        }

        /** Clock correction applied, in milliseconds. */
        public Builder clockOffsetMillis(long clockOffsetMillis) {
            this.clockOffsetMillis = clockOffsetMillis;
            return this;
        }

        /** Sequence number. */
        public Builder sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        /** Nonce; see {@link ScanRecord#newNonce()}. */
        public Builder nonce(String nonce) {
            this.nonce = nonce;
            return this;
        }

        /** Signs the record with the device key; IllegalArgumentException for an invalid field. */
        public ScanRecord sign(DeviceSigner signer) {
            ScanRecord unsigned = new ScanRecord(this, new byte[EcP256.SIGNATURE_LENGTH]);
            byte[] sig = signer.sign(unsigned.signedMessage().getBytes(StandardCharsets.UTF_8));
            return new ScanRecord(this, sig);
        }

        /** Builds a record with a signature made elsewhere (parsing); IllegalArgumentException if invalid. */
        public ScanRecord withSignature(byte[] signature) {
            return new ScanRecord(this, Objects.requireNonNull(signature, "signature"));
        }
    }
}
