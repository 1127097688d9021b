package org.ticketledger.ticketing.ticket;

/** Where a ticket stands: ISSUED → REDEEMED (every spot) | EXPIRED (by the expiry job) | REFUNDED. */
public enum TicketState {
    ISSUED,
    /** Redeemed (at every spot it is valid at). */
    REDEEMED,
    EXPIRED,
    REFUNDED
}
