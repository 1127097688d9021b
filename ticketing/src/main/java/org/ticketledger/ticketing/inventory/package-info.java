/** Optional capacity per product, visit date and time slot; issuance refuses a sold-out date. */
package org.ticketledger.ticketing.inventory;
