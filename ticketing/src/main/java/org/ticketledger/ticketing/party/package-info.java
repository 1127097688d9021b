/**
 * Parties and their rail accounts: the platform (settlement accounts on its rails), scenic spots
 * (receiving account) and distributors (payment account, contact phone, optional parent). Account
 * settings are versioned and audited; money in flight keeps the version it started with.
 */
package org.ticketledger.ticketing.party;
