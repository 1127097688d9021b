package org.ticketledger.ticketing.wealth;

/** Why a wealth instruction exists. */
public enum InstructionPurpose {
    /** A combo order was issued: invest its distributor prices. */
    ISSUANCE,
    /** A combo ticket was redeemed at a spot: withdraw that spot's scenic price. */
    REDEMPTION,
    /** A combo ticket was refunded: withdraw its distributor price. */
    REFUND
}
