/**
 * Optional capacity per product, visit date and time slot ({@code ""} is the whole day); issuance
 * refuses a sold-out date or slot. A date without any capacity row is unlimited. Once a date has
 * capacity rows, an order must name one of them: an order for a slot (or the whole day) without
 * its own row is refused, since it would escape the limits set for that date.
 */
package org.ticketledger.ticketing.inventory;
