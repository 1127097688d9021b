/**
 * The ticket pool: products scenic spots publish (versions, unpublish), the cursor-based sync
 * distributors use to fetch changes, and each distributor's own sale overlay (name, description,
 * retail price), which never changes what is settled.
 */
package org.ticketledger.ticketing.pool;
