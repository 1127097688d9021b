package org.ticketledger.verify;

import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One public key of the ticket issuer: its id (the code's key id), the P-256 public key and the
 * period in which codes signed by it are accepted. The server keeps a retired key in the key set
 * until every ticket it signed has expired ({@code notAfter} at or after their valid-until).
 * Immutable and thread-safe.
 */
public final class IssuerKey {

    private final int keyId;
    private final ECPublicKey publicKey;
    private final Instant notBefore;
    private final Instant notAfter;

    /** Creates a key; throws IllegalArgumentException for an id outside 0..65535 or an empty period. */
    public IssuerKey(int keyId, ECPublicKey publicKey, Instant notBefore, Instant notAfter) {
        if (keyId < 0 || keyId > TicketPayload.MAX_KEY_ID) {
            throw new IllegalArgumentException("keyId must be 0.." + TicketPayload.MAX_KEY_ID + ": " + keyId);
        }
        this.keyId = keyId;
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
        this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
    }

    /** The key id (0..65535). */
    public int keyId() {
        return keyId;
    }

    /** The P-256 public key (parsed once, reused for every verification). */
    public ECPublicKey publicKey() {
        return publicKey;
    }

    /** Start of the period in which codes signed by this key are accepted. */
    public Instant notBefore() {
        return notBefore;
    }

    /** End (exclusive) of that period. */
    public Instant notAfter() {
        return notAfter;
    }

    /** Whether {@code now} lies in [notBefore - leeway, notAfter + leeway). */
    public boolean isActiveAt(Instant now, Duration leeway) {
        return !now.isBefore(notBefore.minus(leeway)) && now.isBefore(notAfter.plus(leeway));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IssuerKey)) {
            return false;
        }
        IssuerKey k = (IssuerKey) o;
        return keyId == k.keyId && notBefore.equals(k.notBefore) && notAfter.equals(k.notAfter)
                && Arrays.equals(publicKey.getEncoded(), k.publicKey.getEncoded());
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, notBefore, notAfter);
    }

    @Override
    public String toString() {
        return "IssuerKey[" + keyId + ", " + notBefore + " .. " + notAfter + "]";
    }
}
