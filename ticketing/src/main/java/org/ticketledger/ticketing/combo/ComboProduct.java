package org.ticketledger.ticketing.combo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.pool.Product;

/**
 * A published combo: the pool product (kind COMBO, one {@code SpotPrice} per spot) and where its
 * money is invested.
 *
 * @param product   the product as the pool shows it
 * @param plan      the wealth plan holding the distributor prices of its issued tickets
 * @param expiresOn the expiry day
 * @param expiresAt the expiry instant (00:00 of {@code expiresOn} in the platform's zone)
 */
public record ComboProduct(Product product, PlanId plan, LocalDate expiresOn, Instant expiresAt) {

    public ComboProduct {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(expiresOn, "expiresOn");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
