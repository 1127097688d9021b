package org.ticketledger.ledger.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
 */
public final class RequestDigest {

    private RequestDigest() {
    }

    public static Hash of(EntryRequest r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // digest format version
            string(out, r.ledger().value());
            string(out, r.idempotencyKey());
            string(out, r.type());
            out.writeByte(r.kind().code());
            out.writeShort(r.postings().size());
            for (Posting p : r.postings()) {
                string(out, p.account().value());
                out.writeByte(p.side().code());
                string(out, p.amount().currency().getCurrencyCode());
                out.writeLong(p.amount().minor());
            }
            out.writeLong(r.reference().orElse(0));
            instant(out, r.effectiveAt().orElse(null));
            instant(out, r.holdExpiresAt().orElse(null));
            out.writeShort(r.metadata().size());
            for (Map.Entry<String, String> m : r.metadata().entrySet()) {
                string(out, m.getKey());
                string(out, m.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Hash.ofBytes(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new LedgerException("the JDK has no SHA-256", e);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        if (t == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            out.writeLong(CanonicalForm.micros(t));
        }
    }
}
