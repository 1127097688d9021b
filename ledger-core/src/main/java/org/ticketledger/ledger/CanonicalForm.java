package org.ticketledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical byte form of an entry and its hash, exactly as written down in
 * {@code ledger-core/JOURNAL-FORMAT.md}. Auditors and third parties recompute hashes from it, so
 * any change here is a new format version, never an edit.
 *
 * <p>An instance reuses one buffer and one digest: it is <em>not</em> thread-safe; give each
 * thread its own (they are cheap). The static helpers allocate a fresh instance.
 */
public final class CanonicalForm {

    /** The four magic bytes that start format version 1. */
    static final byte[] MAGIC = {'T', 'L', 'E', '1'};

    private byte[] buf = new byte[512];
    private final byte[] previousBytes = new byte[32];
    private final byte[] digest = new byte[32];
    private int len;
    private final MessageDigest sha256;

    public CanonicalForm() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new LedgerException("the JDK has no SHA-256", e);
        }
    }

    /** The canonical bytes of the entry (its hashes are not part of them). */
    public static byte[] bytesOf(Entry entry) {
        CanonicalForm f = new CanonicalForm();
        f.encode(entry);
        return Arrays.copyOf(f.buf, f.len);
    }

    /** {@code SHA-256(previousHash || canonical bytes)} of the entry. */
    public static Hash hashOf(Entry entry) {
        return new CanonicalForm().hash(entry);
    }

    /** {@code SHA-256(entry.previousHash() || canonical bytes of entry)}. */
    public Hash hash(Entry entry) {
        return hash(entry.previousHash(), entry.ledger(), entry.sequence(), entry.kind(), entry.idempotencyKey(),
                entry.type(), entry.postings(), entry.reference().orElse(0), entry.effectiveAt(), entry.recordedAt(),
                entry.holdExpiresAt(), entry.metadata());
    }

    /** The hash of an entry with these fields, without building the entry first. */
    public Hash hash(Hash previous, LedgerId ledger, long sequence, EntryKind kind, String key, String type,
                     java.util.List<Posting> postings, long reference, Instant effectiveAt, Instant recordedAt,
                     Optional<Instant> holdExpiresAt, Map<String, String> metadata) {
        encode(ledger, sequence, kind, key, type, postings, reference, effectiveAt, recordedAt, holdExpiresAt, metadata);
        previous.writeTo(previousBytes, 0);
        sha256.reset();
        sha256.update(previousBytes);
        sha256.update(buf, 0, len);
        try {
            // Into a reused array: digest() would allocate one per entry.
            sha256.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new LedgerException("SHA-256 refused a 32-byte output buffer", e);
        }
        return Hash.ofBytes(digest);
    }

    void encode(Entry e) {
        encode(e.ledger(), e.sequence(), e.kind(), e.idempotencyKey(), e.type(), e.postings(),
                e.reference().orElse(0), e.effectiveAt(), e.recordedAt(), e.holdExpiresAt(), e.metadata());
    }

    private void encode(LedgerId ledger, long sequence, EntryKind kind, String key, String type,
                        java.util.List<Posting> postings, long reference, Instant effectiveAt, Instant recordedAt,
                        Optional<Instant> holdExpiresAt, Map<String, String> metadata) {
        len = 0;
        ensure(MAGIC.length);
        System.arraycopy(MAGIC, 0, buf, 0, MAGIC.length);
        len = MAGIC.length;
        putString(ledger.value());
        putLong(sequence);
        putByte(kind.code());
        putString(key);
        putString(type);
        putLong(reference);
        putLong(micros(effectiveAt));
        putLong(micros(recordedAt));
        if (holdExpiresAt.isPresent()) {
            putByte(1);
            putLong(micros(holdExpiresAt.get()));
        } else {
            putByte(0);
        }
        putShort(postings.size());
        for (Posting p : postings) {
            putString(p.account().value());
            putByte(p.side().code());
            putAscii3(p.amount().currency().getCurrencyCode());
            putLong(p.amount().minor());
        }
        // Metadata maps are sorted by key (ASCII keys, so String order is byte order).
        putShort(metadata.size());
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            putString(m.getKey());
            putString(m.getValue());
        }
    }

    /** Microseconds since the epoch, the journal's time precision. */
    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** The instant for microseconds since the epoch. */
    public static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private void putString(String s) {
        // One pass for ASCII, which is what codes and keys are: copy while checking, and start over
        // with UTF-8 at the first non-ASCII character. The bytes are the same either way.
        int n = s.length();
        ensure(4 + n);
        int start = len;
        int p = start + 4;
        byte[] b = buf;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                putUtf8(s);
                return;
            }
            b[p++] = (byte) c;
        }
        putIntRaw(n);
        len = p;
    }

    private void putUtf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + b.length);
        putIntRaw(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void putAscii3(String code) {
        ensure(3);
        buf[len++] = (byte) code.charAt(0);
        buf[len++] = (byte) code.charAt(1);
        buf[len++] = (byte) code.charAt(2);
    }

    private void putByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void putShort(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putIntRaw(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
