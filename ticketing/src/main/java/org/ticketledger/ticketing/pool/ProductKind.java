package org.ticketledger.ticketing.pool;

/** What a product is. */
public enum ProductKind {
    /** Valid at one scenic spot, published by that spot. */
    SINGLE,
    /** Valid at several spots, each with its own scenic price; published by the platform. */
    COMBO
}
