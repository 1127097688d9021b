/**
 * Tickets: issued per unit with a unique number and a code; redeemed once per spot (which books
 * the spot's payable and creates its payout); refunded while unredeemed and valid.
 */
package org.ticketledger.ticketing.ticket;
