package org.ticketledger.ticketing.device;

/** The outcome of an online redeem, named as in DEVICE-API.md §4.8 (stable). */
public enum RedeemOutcome {
    /** Admitted and recorded now. */
    REDEEMED,
    /** All uses at this spot are spent. */
    ALREADY_REDEEMED,
    /** The ticket does not list this device's spot. */
    WRONG_SPOT,
    /** Before the ticket's validity. */
    NOT_YET_VALID,
    /** At or after the end of validity. */
    EXPIRED,
    /** Refunded or cancelled. */
    REVOKED,
    /** The code's signature does not verify. */
    FORGED,
    /** The code's key id is not in the key set. */
    UNKNOWN_KEY,
    /** The key is outside its notBefore/notAfter. */
    KEY_EXPIRED,
    /** Not a decodable ticket code. */
    INVALID,
    /** A code format the server does not know. */
    UNSUPPORTED_VERSION
}
