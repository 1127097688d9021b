package org.ticketledger.ticketing.device;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gate operator (never the secret hashes).
 *
 * @param id        our id ({@code op-...})
 * @param username  the login name
 * @param name      the display name
 * @param spotIds   the spots the operator may work at
 * @param hasPassword whether a password is set
 * @param hasPin    whether a PIN is set
 * @param revokedAt when the operator was revoked
 * @param createdAt created
 */
public record Operator(String id, String username, String name, List<String> spotIds, boolean hasPassword, boolean hasPin,
                       Optional<Instant> revokedAt, Instant createdAt) {

    public Operator {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(name, "name");
        spotIds = List.copyOf(spotIds);
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
