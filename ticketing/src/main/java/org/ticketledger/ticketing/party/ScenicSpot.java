package org.ticketledger.ticketing.party;

import java.time.Instant;
import java.util.Objects;

/**
 * An onboarded scenic spot.
 *
 * @param id               our id
 * @param name             its name
 * @param contactPhone     its phone
 * @param receivingAccount the current version of its receiving account
 * @param createdAt        when it was onboarded
 */
public record ScenicSpot(String id, String name, String contactPhone, AccountVersion receivingAccount,
                         Instant createdAt) {

    public ScenicSpot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contactPhone, "contactPhone");
        Objects.requireNonNull(receivingAccount, "receivingAccount");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
