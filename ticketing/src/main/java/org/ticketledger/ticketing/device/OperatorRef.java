package org.ticketledger.ticketing.device;

import java.util.Objects;

/**
 * The operator of a session.
 *
 * @param id   operator id
 * @param name display name
 */
public record OperatorRef(String id, String name) {

    public OperatorRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
