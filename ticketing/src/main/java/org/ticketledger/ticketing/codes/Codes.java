package org.ticketledger.ticketing.codes;

import java.util.List;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.RevocationDelta;

/**
 * Issuer keys and the revocation list, as devices fetch them (DEVICE-API.md §4.6, §4.7) and as the
 * admin manages them. Tickets are minted with the signing key automatically at issuance; a refund
 * adds the ticket to the revocation list in the same transaction. Thread-safe; nothing returns
 * null; refusals are {@link Outcome.Refused}.
 */
public interface Codes {

    /**
     * The published key set: every key not removed, public halves only, with a version that grows
     * whenever the set changes (the HTTP layer's ETag).
     */
    KeySet keySet();

    /** Every key, removed ones included, for the admin. */
    List<SigningKeyInfo> signingKeys();

    /**
     * Publishes a new key now that starts signing after {@link KeyPolicy#publishLead()}; the
     * current key keeps signing until then and keeps verifying until its {@code notAfter}. Keys
     * whose {@code notAfter} passed over a day ago leave the set.
     */
    Outcome<IssuerKey> rotate(String actor);

    /**
     * Withdraws a (compromised) key from the set at once: its codes then verify as
     * {@code UNKNOWN_KEY} and must be re-issued. Refused for the only key that can sign.
     */
    Outcome<SigningKeyInfo> removeKey(int keyId, String reason, String actor);

    /**
     * Revocations above {@code since} (a delta), or the whole current list when {@code since} is 0
     * or not a version this list can continue (then {@code full} is true). Entries of tickets
     * expired over a day ago are left out of full lists.
     *
     * @throws IllegalArgumentException if {@code since} is negative
     */
    RevocationDelta revocations(long since);

    /** The number of the latest revocation (0 when there is none). */
    long revocationVersion();
}
