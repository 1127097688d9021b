/**
 * For plugin writers: the {@link org.ticketledger.ticketing.spi.Notifier} an SMS provider
 * implements, and the {@link org.ticketledger.ticketing.spi.TicketCodeMinter} that turns a
 * ticket's claims into a code.
 */
package org.ticketledger.ticketing.spi;
