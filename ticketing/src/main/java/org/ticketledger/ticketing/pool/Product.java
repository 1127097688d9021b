package org.ticketledger.ticketing.pool;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * One version of a product in the pool.
 *
 * @param id               product id
 * @param kind             single or combo
 * @param publisherId      the spot (single) or {@code platform} (combo) that published it
 * @param status           on sale or not (of the product, not of this version)
 * @param version          this version's number
 * @param currentVersion   the product's current version
 * @param name             name
 * @param description      description
 * @param distributorPrice D per ticket
 * @param spots            where it is valid and the scenic price at each spot
 * @param validFrom        first visit date
 * @param validUntil       last visit date
 * @param validDays        days a ticket stays valid from its visit date
 * @param usageRules       usage rules
 * @param changeSeq        the pool change sequence of the product's last change (sync cursor)
 * @param publishedAt      when this version was published
 */
public record Product(String id, ProductKind kind, String publisherId, ProductStatus status, int version,
                      int currentVersion, String name, String description, Money distributorPrice,
                      List<SpotPrice> spots, LocalDate validFrom, LocalDate validUntil, int validDays,
                      String usageRules, long changeSeq, Instant publishedAt) {

    public Product {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(distributorPrice, "distributorPrice");
        spots = List.copyOf(spots);
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(usageRules, "usageRules");
        Objects.requireNonNull(publishedAt, "publishedAt");
    }

    /** Whether the product is on sale. */
    public boolean published() {
        return status == ProductStatus.PUBLISHED;
    }

    /** The scenic price at the only spot of a single ticket. */
    public Money scenicPrice() {
        return spots.get(0).scenicPrice();
    }
}
