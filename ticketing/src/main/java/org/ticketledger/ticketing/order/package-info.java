/**
 * Orders and issuance: idempotent by (distributor, distributor order id); the collection of
 * D × quantity + fee on the distributor's rail with an order-derived request id; insufficient
 * balance waits for a top-up and a {@code reapply}; unknown outcomes are queried and retried with
 * the same request id until final.
 */
package org.ticketledger.ticketing.order;
