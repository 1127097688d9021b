package org.ticketledger.cli.internal.audit;

/**
 * Kinds of damage an audit reports: the ledger core's
 * {@link org.ticketledger.ledger.VerificationReport.ProblemKind} plus what only a reader of the
 * whole stream can see.
 */
public enum FindingKind {
    /** An entry is missing at this sequence, or an entry sits where another sequence belongs. */
    SEQUENCE_GAP,
    /** The entry's previous hash is not the hash of the entry before it. */
    CHAIN_BROKEN,
    /** The entry's stored hash is not the hash of its content. */
    HASH_MISMATCH,
    /** The entry's debits and credits differ, or it has fewer than two postings, or a foreign currency. */
    UNBALANCED,
    /** The entry references a missing or unsuitable entry, or posts to an unknown account. */
    BAD_REFERENCE,
    /** After the entry an account is outside its balance policy. */
    POLICY_VIOLATED,
    /** Stored totals differ from the totals rebuilt from the journal. */
    BALANCE_MISMATCH,
    /** The ledger's stored head (last sequence and hash) does not match its last entry. */
    HEAD_MISMATCH,
    /** The entry's recorded time is earlier than the one before it. */
    TIME_REVERSED
}
