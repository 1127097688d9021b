package org.ticketledger.ledger.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.LedgerException;
import org.ticketledger.ledger.Posting;

/**
 * A SHA-256 over every field of an {@link EntryRequest}, length-prefixed so that no two different
 * requests share an encoding. Stored beside each entry so a repeated idempotency key can be told
 * apart as "same request" (duplicate) or "different request" (conflict) without keeping requests.
 * Runs once per written entry, so each thread reuses its buffer and digest.
 */
public final class RequestDigest {

    private static final ThreadLocal<RequestDigest> PER_THREAD = ThreadLocal.withInitial(RequestDigest::new);

    private final MessageDigest sha256;
    private byte[] buf = new byte[512];
    private int len;

    private RequestDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new LedgerException("the JDK has no SHA-256", e);
        }
    }

    /** The digest of {@code r}. */
    public static Hash of(EntryRequest r) {
        return PER_THREAD.get().digest(r);
    }

    private Hash digest(EntryRequest r) {
        len = 0;
        putByte(1); // digest format version
        putString(r.ledger().value());
        putString(r.idempotencyKey());
        putString(r.type());
        putByte(r.kind().code());
        putInt(r.postings().size());
        for (Posting p : r.postings()) {
            putString(p.account().value());
            putByte(p.side().code());
            putString(p.amount().currency().getCurrencyCode());
            putLong(p.amount().minor());
        }
        putLong(r.reference().orElse(0));
        putInstant(r.effectiveAt().orElse(null));
        putInstant(r.holdExpiresAt().orElse(null));
        putInt(r.metadata().size());
        for (Map.Entry<String, String> m : r.metadata().entrySet()) {
            putString(m.getKey());
            putString(m.getValue());
        }
        sha256.reset();
        sha256.update(buf, 0, len);
        return Hash.ofBytes(sha256.digest());
    }

    private void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void putInstant(Instant t) {
        if (t == null) {
            putByte(0);
        } else {
            putByte(1);
            putLong(CanonicalForm.micros(t));
        }
    }

    private void putByte(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
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
