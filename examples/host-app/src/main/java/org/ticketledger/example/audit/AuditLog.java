package org.ticketledger.example.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The platform's append-only record of admin actions ({@code host.audit_log}): who did what to
 * which subject, and when — from the admin API (bearer tokens) and the operator console alike. A
 * trigger refuses updates and deletes, so what is written stays as written. Details never hold
 * secrets. Thread-safe; nothing returns null; database failures surface as Jdbi's exceptions.
 */
public final class AuditLog {

    /** The longest detail kept; longer ones are cut (a log line, not a document). */
    public static final int MAX_DETAIL = 1000;

    private final Jdbi jdbi;
    private final Clock clock;

    private AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The log in the host schema behind {@code jdbi} (migrated). */
    public static AuditLog of(Jdbi jdbi, Clock clock) {
        return new AuditLog(Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * One recorded action.
     *
     * @param id      increasing id
     * @param at      when
     * @param actor   who, e.g. {@code admin:ops} (API token) or {@code console:alice}
     * @param action  what, e.g. {@code payout.retry}
     * @param subject the thing acted on, e.g. a payout id
     * @param detail  the outcome and anything a reader needs, for people
     */
    public record Record(long id, Instant at, String actor, String action, String subject, String detail) {
        public Record {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Appends a record and returns it. */
    public Record append(String actor, String action, String subject, String detail) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        String d = Objects.requireNonNull(detail, "detail");
        if (d.length() > MAX_DETAIL) {
            d = d.substring(0, MAX_DETAIL - 1) + "…";
        }
        Instant now = clock.instant();
        String cut = d;
        long id = jdbi.withHandle(h -> h.createUpdate(
                        "INSERT INTO host.audit_log (at, actor, action, subject, detail) VALUES (:at, :actor, :action, :subject, :detail)")
                .bind("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).bind("actor", actor).bind("action", action)
                .bind("subject", subject).bind("detail", cut)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new Record(id, now, actor, action, subject, cut);
    }

    /**
     * The newest records first, older than {@code beforeId} when given, at most {@code limit}; with a
     * {@code search}, only those whose actor, action or subject contains it (case-insensitive).
     */
    public List<Record> recent(Optional<Long> beforeId, Optional<String> search, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000: " + limit);
        }
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, at, actor, action, subject, detail FROM host.audit_log
                        WHERE (CAST(:before AS bigint) IS NULL OR id < :before)
                          AND (CAST(:q AS text) IS NULL OR strpos(lower(actor || ' ' || action || ' ' || subject), lower(:q)) > 0)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("before", beforeId.orElse(null)).bind("q", search.filter(s -> !s.isBlank()).orElse(null))
                .bind("limit", limit)
                .map((rs, c) -> new Record(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("detail")))
                .list());
    }

    /** Every record about {@code subject}, oldest first. */
    public List<Record> bySubject(String subject) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, at, actor, action, subject, detail FROM host.audit_log WHERE subject = :s ORDER BY id")
                .bind("s", subject)
                .map((rs, c) -> new Record(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("detail")))
                .list());
    }
}
