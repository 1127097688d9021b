package org.ticketledger.ticketing.ticket;

import java.util.List;
import java.util.Optional;

/** Tickets: queries, redemption, refunds. Thread-safe; a ticket redeems once per spot under any concurrency. */
public interface Tickets {

    /** The order's tickets by unit. */
    List<Ticket> byOrder(String orderId);

    /** A ticket by id or number. */
    Optional<Ticket> ticket(String idOrNumber);

    /**
     * Redeems the ticket at the spot: books unredeemed value into the spot's payable (and the
     * margin) and creates the spot's payout.
     */
    RedeemResult redeem(RedeemRequest request);

    /** Refunds an unredeemed, valid ticket: reverses its value and pays the distributor back. */
    RefundResult refund(RefundRequest request);
}
