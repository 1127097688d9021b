package org.ticketledger.example.console;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.console.view.Models.Resolution;

/**
 * What people record when they settle a work-queue item outside the platform ("paid by bank
 * transfer", "distributor cancelled"): the item leaves the console's queue; the money state in
 * ticketing is untouched. One resolution per item, never changed. Thread-safe.
 */
final class Resolutions {

    /** The queues whose items can be marked resolved. */
    enum Kind {
        ORDER, PAYOUT, CONFLICT, INSTRUCTION
    }

    private final Jdbi jdbi;
    private final Clock clock;

    Resolutions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Records the resolution; false when the item was already resolved (the first one stands). */
    boolean resolve(Kind kind, String subjectId, String reason, String actor) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO host.console_resolutions (kind, subject_id, reason, resolved_by, resolved_at)
                        VALUES (:k, :s, :r, :by, :at) ON CONFLICT DO NOTHING""")
                .bind("k", kind.name()).bind("s", subjectId).bind("r", reason).bind("by", actor)
                .bind("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute()) == 1;
    }

    Optional<Resolution> find(Kind kind, String subjectId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT reason, resolved_by, resolved_at FROM host.console_resolutions WHERE kind = :k AND subject_id = :s")
                .bind("k", kind.name()).bind("s", subjectId)
                .map((rs, c) -> new Resolution(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()))
                .findOne());
    }

    /** The resolved ids of a queue. */
    Set<String> resolved(Kind kind) {
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT subject_id FROM host.console_resolutions WHERE kind = :k")
                .bind("k", kind.name()).mapTo(String.class).list()));
    }
}
