/**
 * The outbox of messages to people (SMS): what was queued, sent or failed, per subject or
 * recipient. Sending goes through {@link org.ticketledger.ticketing.spi.Notifier}.
 */
package org.ticketledger.ticketing.notify;
