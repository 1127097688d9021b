/**
 * Signed ticket codes (TICKET-CODE.md in verification-sdk): the issuer key set devices verify
 * codes with, key rotation, and the revocation list of refunded tickets. Start at
 * {@link org.ticketledger.ticketing.codes.Codes}.
 */
package org.ticketledger.ticketing.codes;
