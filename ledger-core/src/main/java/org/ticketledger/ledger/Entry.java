package org.ticketledger.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A recorded, immutable journal entry: the request as accepted, plus its place in the ledger's
 * sequence and hash chain. {@code hash = SHA-256(previousHash || canonical bytes)}, see
 * {@link CanonicalForm} and JOURNAL-FORMAT.md.
 *
 * <p>For kinds that derive their postings (reversal, void, expiry) {@link #postings()} holds the
 * derived postings, so every entry can be checked and replayed on its own.
 *
 * @param ledger         the ledger
 * @param sequence       position in the ledger, gapless from 1
 * @param kind           how the entry moves balances
 * @param idempotencyKey the caller's key
 * @param type           the business type code
 * @param postings       at least two balanced postings
 * @param reference      the entry this one reverses or resolves, if any
 * @param effectiveAt    business time
 * @param recordedAt     journal time; never decreases along the sequence
 * @param holdExpiresAt  for holds: when the hold expires, if ever
 * @param metadata       sorted, unmodifiable pairs
 * @param previousHash   the hash of entry {@code sequence - 1}, or {@link Hash#GENESIS}
 * @param hash           this entry's hash
 */
public record Entry(LedgerId ledger, long sequence, EntryKind kind, String idempotencyKey, String type,
                    List<Posting> postings, OptionalLong reference, Instant effectiveAt, Instant recordedAt,
                    Optional<Instant> holdExpiresAt, Map<String, String> metadata, Hash previousHash, Hash hash) {

    public Entry {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(holdExpiresAt, "holdExpiresAt");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
        postings = List.copyOf(postings);
        metadata = Metadata.copyOf(metadata);
    }

    /** The metadata value for {@code key}, if present. */
    public Optional<String> meta(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** The sum of the debit postings (equal to the credits). */
    public Money total() {
        long sum = 0;
        for (Posting p : postings) {
            if (p.side() == Side.DEBIT) {
                sum = Math.addExact(sum, p.amount().minor());
            }
        }
        return Money.of(sum, postings.get(0).amount().currency());
    }
}
