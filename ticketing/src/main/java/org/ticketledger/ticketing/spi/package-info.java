/**
 * For plugin writers: the {@link org.ticketledger.ticketing.spi.Notifier} an SMS provider
 * implements, the {@link org.ticketledger.ticketing.spi.TicketCodeMinter} that turns a ticket's
 * claims into a code, and the {@link org.ticketledger.ticketing.spi.KeyProtector} that seals issuer
 * private keys at rest (a KMS or HSM).
 */
package org.ticketledger.ticketing.spi;
