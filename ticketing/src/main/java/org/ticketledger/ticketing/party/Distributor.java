package org.ticketledger.ticketing.party;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An onboarded distributor.
 *
 * @param id             our id
 * @param name           its name
 * @param contactPhone   where top-up requests go
 * @param paymentAccount the current version of its payment account
 * @param parentId       the distributor it resells through, if any
 * @param createdAt      when it was onboarded
 */
public record Distributor(String id, String name, String contactPhone, AccountVersion paymentAccount,
                          Optional<String> parentId, Instant createdAt) {

    public Distributor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contactPhone, "contactPhone");
        Objects.requireNonNull(paymentAccount, "paymentAccount");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
