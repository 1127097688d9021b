/**
 * Wealth plans (理财计划) at a wealth-capable rail (Huijinbao): combo money invested at issuance,
 * withdrawn spot by spot at redemption, redeemed in full with its yield at expiry; the yield
 * attributed to tickets. Instructions follow the payout state machine (PENDING → SENT → DONE |
 * AWAITING_FUNDS | RETRYING → MANUAL_REVIEW, plus CANCELLED).
 */
package org.ticketledger.ticketing.wealth;
