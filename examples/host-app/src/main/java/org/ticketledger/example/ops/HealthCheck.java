package org.ticketledger.example.ops;

import java.util.Map;
import java.util.Objects;

/**
 * One component's health for {@code GET /health}: the database, each rail. Implementations answer
 * quickly (they run on every probe) and never throw: a failure is a {@code DOWN} status.
 */
public interface HealthCheck {

    /** The component's name in the health document, e.g. {@code database} or {@code rail:alipay}. */
    String name();

    /** The current status. */
    Status check();

    /** A component status with details for people (never secrets). */
    record Status(boolean up, Map<String, Object> details) {
        public Status {
            details = Map.copyOf(details);
        }

        /** Up, with details. */
        public static Status up(Map<String, Object> details) {
            return new Status(true, details);
        }

        /** Down, with the reason. */
        public static Status down(String reason) {
            return new Status(false, Map.of("reason", Objects.requireNonNull(reason, "reason")));
        }
    }
}
