/**
 * Fees: the issuance fee (added to what a distributor pays) and the payout fee (kept from what a
 * scenic spot receives), each fixed plus basis points with a minimum and an optional maximum, per
 * platform with per-party overrides.
 */
package org.ticketledger.ticketing.fee;
