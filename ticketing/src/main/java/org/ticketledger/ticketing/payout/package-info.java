/**
 * Payouts: the platform paying scenic spots (S − payout fee, after redemption) and distributors
 * (refunds) from its settlement account on the payee's rail. Funds are held in the ledger before
 * the rail call; a short platform waits for an admin {@code retryPayout}; unknown outcomes are
 * queried and retried inside a window, then left for manual review.
 */
package org.ticketledger.ticketing.payout;
