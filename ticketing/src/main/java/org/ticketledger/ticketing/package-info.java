/**
 * Ticketing: parties, the ticket pool, orders, tickets, redemption and payouts, on Postgres and the
 * ledger, moving real money through the payment-rail SPI.
 *
 * <p>Start at {@link org.ticketledger.ticketing.Ticketing}. Business outcomes are values
 * ({@link org.ticketledger.ticketing.Outcome}, {@link org.ticketledger.ticketing.order.IssueResult},
 * ...) carrying a {@link org.ticketledger.ticketing.Problem} with a stable
 * {@link org.ticketledger.ticketing.ErrorCode} when a request is refused; exceptions
 * ({@link org.ticketledger.ticketing.TicketingException}) mean a bug or an infrastructure failure.
 * Nothing in this API returns null.
 */
package org.ticketledger.ticketing;
