package org.ticketledger.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a caller asks the journal to record. Structural mistakes (no postings, a zero amount, an
 * unbalanced or mixed-currency set of postings, an overflowing total, a missing field) are refused
 * here with {@link IllegalArgumentException} or {@link NullPointerException}, before anything
 * reaches a journal; mistakes that depend on the journal's state (unknown account, a balance
 * policy, an idempotency conflict) come back as {@link PostResult.Rejected}.
 *
 * <p>The idempotency key makes a request safe to repeat: the same key with the same content
 * returns the original entry as {@link PostResult.Duplicate}; the same key with different content
 * is an {@link RejectionReason#IDEMPOTENCY_CONFLICT}. "Content" is every field of this record, so a
 * retry must rebuild the request exactly; leave {@code effectiveAt} empty to mean "when recorded".
 *
 * <p>Instants are truncated to microseconds, the precision the journal stores.
 *
 * @param ledger         the ledger to post to
 * @param idempotencyKey the caller's key, unique per ledger; 1-200 printable ASCII characters
 * @param type           what the entry is in business terms, e.g. {@code issuance}; [a-z0-9._-]{1,64}
 * @param kind           how the entry moves balances
 * @param postings       the caller's postings; empty for kinds that derive them
 * @param reference      the sequence of the entry this one reverses or resolves, for kinds that need one
 * @param effectiveAt    when the movement happened in business terms; empty means when recorded
 * @param holdExpiresAt  for holds only: after this instant the hold can no longer be posted
 * @param metadata       order id, ticket id, rail transaction id, ...
 */
public record EntryRequest(LedgerId ledger, String idempotencyKey, String type, EntryKind kind,
                           List<Posting> postings, OptionalLong reference, Optional<Instant> effectiveAt,
                           Optional<Instant> holdExpiresAt, Map<String, String> metadata) {

    private static final int MAX_KEY_LENGTH = 200;
    /** Bounded so the canonical form and a batch stay small; real entries have a handful. */
    public static final int MAX_POSTINGS = 256;

    public EntryRequest {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(postings, "postings");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(holdExpiresAt, "holdExpiresAt");
        Objects.requireNonNull(metadata, "metadata");
        checkKey(idempotencyKey);
        if (!validType(type)) {
            throw new IllegalArgumentException("invalid entry type \"" + type + "\": use 1-64 of [a-z0-9._-]");
        }
        postings = List.copyOf(postings);
        metadata = Metadata.copyOf(metadata);
        effectiveAt = effectiveAt.map(EntryRequest::micros);
        holdExpiresAt = holdExpiresAt.map(EntryRequest::micros);
        if (kind.derivesPostings()) {
            if (!postings.isEmpty()) {
                throw new IllegalArgumentException(kind + " entries derive their postings from the referenced entry; give none");
            }
        } else {
            checkBalanced(postings);
        }
        if (kind.needsReference()) {
            if (reference.isEmpty() || reference.getAsLong() < 1) {
                throw new IllegalArgumentException(kind + " entries need the sequence (>= 1) of the entry they refer to");
            }
        } else if (reference.isPresent()) {
            throw new IllegalArgumentException(kind + " entries take no reference");
        }
        if (holdExpiresAt.isPresent() && kind != EntryKind.HOLD) {
            throw new IllegalArgumentException("only HOLD entries take an expiry");
        }
    }

    /** A builder for a STANDARD entry. */
    public static Builder builder(LedgerId ledger, String idempotencyKey, String type) {
        return new Builder(ledger, idempotencyKey, type, EntryKind.STANDARD);
    }

    /** A builder for a HOLD: its postings reserve pending amounts until posted, voided or expired. */
    public static Builder hold(LedgerId ledger, String idempotencyKey, String type) {
        return new Builder(ledger, idempotencyKey, type, EntryKind.HOLD);
    }

    /**
     * A builder for posting the hold at {@code holdSequence}: give postings that are at most what the
     * hold reserved per account and side (in full or in part); the whole reservation is released.
     */
    public static Builder postHold(LedgerId ledger, String idempotencyKey, String type, long holdSequence) {
        return new Builder(ledger, idempotencyKey, type, EntryKind.HOLD_POST).reference(holdSequence);
    }

    /** A request that voids the hold at {@code holdSequence}. */
    public static EntryRequest voidHold(LedgerId ledger, String idempotencyKey, String type, long holdSequence) {
        return new Builder(ledger, idempotencyKey, type, EntryKind.HOLD_VOID).reference(holdSequence).build();
    }

    /** A request that reverses the STANDARD or HOLD_POST entry at {@code sequence}. */
    public static EntryRequest reversal(LedgerId ledger, String idempotencyKey, String type, long sequence) {
        return new Builder(ledger, idempotencyKey, type, EntryKind.REVERSAL).reference(sequence).build();
    }

    /** A builder for reversals and hold resolutions that also need metadata. */
    public static Builder referencing(LedgerId ledger, String idempotencyKey, String type, EntryKind kind, long sequence) {
        return new Builder(ledger, idempotencyKey, type, kind).reference(sequence);
    }

    /** The currency of the postings; empty for kinds that derive their postings. */
    public Optional<Currency> currency() {
        return postings.isEmpty() ? Optional.empty() : Optional.of(postings.get(0).amount().currency());
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    /** {@code [a-z0-9][a-z0-9._-]{0,63}}, hand-checked because it runs for every entry. */
    static boolean validType(String t) {
        int n = t.length();
        if (n == 0 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("idempotency key must have 1-" + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("idempotency key must be printable ASCII without spaces");
            }
        }
    }

    private static void checkBalanced(List<Posting> postings) {
        if (postings.size() < 2) {
            throw new IllegalArgumentException("an entry needs at least 2 postings, got " + postings.size());
        }
        if (postings.size() > MAX_POSTINGS) {
            throw new IllegalArgumentException("an entry takes at most " + MAX_POSTINGS + " postings");
        }
        Currency currency = postings.get(0).amount().currency();
        long debits = 0;
        long credits = 0;
        for (Posting p : postings) {
            Objects.requireNonNull(p, "posting");
            if (!p.amount().currency().equals(currency)) {
                throw new IllegalArgumentException("currency mix in one entry: " + currency.getCurrencyCode()
                        + " and " + p.amount().currency().getCurrencyCode());
            }
            try {
                if (p.side() == Side.DEBIT) {
                    debits = Math.addExact(debits, p.amount().minor());
                } else {
                    credits = Math.addExact(credits, p.amount().minor());
                }
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the postings' total overflows", e);
            }
        }
        if (debits != credits) {
            throw new IllegalArgumentException("unbalanced entry: debits " + Money.of(debits, currency).toDecimalString()
                    + " != credits " + Money.of(credits, currency).toDecimalString());
        }
    }

    /** Builds an {@link EntryRequest}; not thread-safe. */
    public static final class Builder {
        private final LedgerId ledger;
        private final String idempotencyKey;
        private final String type;
        private final EntryKind kind;
        private final List<Posting> postings = new ArrayList<>(4);
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private OptionalLong reference = OptionalLong.empty();
        private Optional<Instant> effectiveAt = Optional.empty();
        private Optional<Instant> holdExpiresAt = Optional.empty();

        private Builder(LedgerId ledger, String idempotencyKey, String type, EntryKind kind) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            this.type = Objects.requireNonNull(type, "type");
            this.kind = kind;
        }

        public Builder debit(AccountCode account, Money amount) {
            postings.add(Posting.debit(account, amount));
            return this;
        }

        public Builder debit(String account, Money amount) {
            return debit(AccountCode.of(account), amount);
        }

        public Builder credit(AccountCode account, Money amount) {
            postings.add(Posting.credit(account, amount));
            return this;
        }

        public Builder credit(String account, Money amount) {
            return credit(AccountCode.of(account), amount);
        }

        public Builder posting(Posting posting) {
            postings.add(Objects.requireNonNull(posting, "posting"));
            return this;
        }

        public Builder meta(String key, String value) {
            Objects.requireNonNull(key, "metadata key");
            Objects.requireNonNull(value, "metadata value for " + key);
            metadata.put(key, value);
            return this;
        }

        public Builder metadata(Map<String, String> pairs) {
            new HashMap<>(pairs).forEach(this::meta);
            return this;
        }

        public Builder effectiveAt(Instant at) {
            this.effectiveAt = Optional.of(at);
            return this;
        }

        public Builder expiresAt(Instant at) {
            this.holdExpiresAt = Optional.of(at);
            return this;
        }

        Builder reference(long sequence) {
            this.reference = OptionalLong.of(sequence);
            return this;
        }

        public EntryRequest build() {
            return new EntryRequest(ledger, idempotencyKey, type, kind, postings, reference, effectiveAt,
                    holdExpiresAt, metadata);
        }
    }
}
