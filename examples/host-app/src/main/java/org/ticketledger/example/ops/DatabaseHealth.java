package org.ticketledger.example.ops;

import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/** The database check: a {@code SELECT 1} round trip with its latency. Thread-safe. */
public final class DatabaseHealth implements HealthCheck {

    private final Jdbi jdbi;

    /** Checks the database behind {@code jdbi}. */
    public DatabaseHealth(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Status check() {
        long start = System.nanoTime();
        try {
            jdbi.useHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            return Status.up(Map.of("pingMicros", (System.nanoTime() - start) / 1000));
        } catch (RuntimeException e) {
            return Status.down("database unreachable: " + e.getClass().getSimpleName());
        }
    }
}
