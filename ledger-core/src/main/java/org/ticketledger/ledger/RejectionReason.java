package org.ticketledger.ledger;

/** Why a journal refused an entry. Nothing is written for a rejected entry. */
public enum RejectionReason {
    /** The ledger does not exist. */
    UNKNOWN_LEDGER,
    /** A posting names an account that is not open in the ledger. */
    UNKNOWN_ACCOUNT,
    /** The postings' currency is not the ledger's. */
    CURRENCY_MISMATCH,
    /** The entry would break an account's balance policy (counting pending amounts). */
    INSUFFICIENT_BALANCE,
    /** An account total would leave the range of {@code long}. */
    BALANCE_OVERFLOW,
    /** The idempotency key was used before for an entry with different content. */
    IDEMPOTENCY_CONFLICT,
    /** The referenced sequence does not exist in the ledger. */
    UNKNOWN_REFERENCE,
    /** A hold operation references an entry that is not a hold. */
    NOT_A_HOLD,
    /** The hold was already posted, voided or expired. */
    HOLD_NOT_PENDING,
    /** The hold's expiry has passed; it can only expire now. */
    HOLD_EXPIRED,
    /** An expiry was requested for a hold whose expiry has not passed. */
    HOLD_NOT_EXPIRED,
    /** A posting of a hold exceeds what the hold reserved for that account and side. */
    HOLD_AMOUNT_EXCEEDED,
    /** Only STANDARD and HOLD_POST entries can be reversed. */
    NOT_REVERSIBLE,
    /** The entry has been reversed already. */
    ALREADY_REVERSED
}
