package org.ticketledger.ticketing.pool;

import java.time.Instant;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * A distributor's sale overlay of a product.
 *
 * @param distributorId the distributor
 * @param productId     the product
 * @param name          sale name
 * @param description   sale description
 * @param retailPrice   retail price
 * @param updatedAt     last change
 */
public record Overlay(String distributorId, String productId, String name, String description, Money retailPrice,
                      Instant updatedAt) {

    public Overlay {
        Objects.requireNonNull(distributorId, "distributorId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(retailPrice, "retailPrice");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
