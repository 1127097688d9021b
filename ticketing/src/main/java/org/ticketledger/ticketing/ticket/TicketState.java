package org.ticketledger.ticketing.ticket;

/** Where a ticket stands. */
public enum TicketState {
    ISSUED,
    /** Redeemed (at every spot it is valid at). */
    REDEEMED,
    EXPIRED,
    REFUNDED
}
