package org.ticketledger.ledger;

/**
 * What an entry does to balances. Every kind is an immutable, sequenced, hash-chained entry; holds
 * and their resolutions are entries too, so the journal alone rebuilds posted and pending balances.
 */
public enum EntryKind {
    /** Moves posted balances by its postings. */
    STANDARD(1),
    /** Undoes a STANDARD or HOLD_POST entry: its postings are the original's, sides swapped. */
    REVERSAL(2),
    /** Reserves: its postings move pending balances only, until posted, voided or expired. */
    HOLD(3),
    /** Posts a hold in full or in part (its postings) and releases the whole reservation. */
    HOLD_POST(4),
    /** Releases a hold without posting; its postings repeat the hold's. */
    HOLD_VOID(5),
    /** Releases a hold whose expiry has passed; its postings repeat the hold's. */
    HOLD_EXPIRE(6);

    private final int code;

    EntryKind(int code) {
        this.code = code;
    }

    /** The number that stands for this kind in the canonical form and in storage. */
    public int code() {
        return code;
    }

    /** Whether the entry's postings are derived from the referenced entry rather than given by the caller. */
    public boolean derivesPostings() {
        return this == REVERSAL || this == HOLD_VOID || this == HOLD_EXPIRE;
    }

    /** Whether the entry must reference an earlier entry. */
    public boolean needsReference() {
        return this != STANDARD && this != HOLD;
    }

    /** Whether the entry resolves (ends) a hold. */
    public boolean resolvesHold() {
        return this == HOLD_POST || this == HOLD_VOID || this == HOLD_EXPIRE;
    }

    /** The kind for a code; {@link IllegalArgumentException} for an unknown code. */
    public static EntryKind ofCode(int code) {
        for (EntryKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown entry kind code " + code);
    }
}
