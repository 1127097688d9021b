package org.ticketledger.ticketing.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A provisioned gate device as the admin sees it.
 *
 * @param id            server-assigned id ({@code dev-...})
 * @param spot          the spot it is bound to
 * @param gate          its gate, if any
 * @param platform      the platform it reported at provisioning
 * @param provisionedAt provisioned
 * @param revokedAt     when it was revoked
 * @param lastSeenAt    its latest heartbeat
 * @param heartbeat     what that heartbeat said
 * @param syncOverdue   whether its last reported sync is older than the maximum offline time
 */
public record Device(String id, SpotRef spot, Optional<String> gate, Optional<String> platform, Instant provisionedAt,
                     Optional<Instant> revokedAt, Optional<Instant> lastSeenAt, Optional<Heartbeat> heartbeat,
                     boolean syncOverdue) {

    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spot, "spot");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(provisionedAt, "provisionedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(heartbeat, "heartbeat");
    }
}
