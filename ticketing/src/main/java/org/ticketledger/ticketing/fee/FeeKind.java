package org.ticketledger.ticketing.fee;

/** Which fee a rule sets. */
public enum FeeKind {
    /** Charged to the distributor on top of the distributor price; overridable per distributor. */
    ISSUANCE,
    /** Kept from the scenic price paid out to a spot; overridable per scenic spot. */
    PAYOUT
}
