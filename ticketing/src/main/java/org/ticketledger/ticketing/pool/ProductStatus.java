package org.ticketledger.ticketing.pool;

/** Whether a product is on sale. */
public enum ProductStatus {
    PUBLISHED,
    UNPUBLISHED
}
