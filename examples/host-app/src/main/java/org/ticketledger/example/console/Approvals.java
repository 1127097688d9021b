package org.ticketledger.example.console;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.console.view.Models.Approval;
import org.ticketledger.ledger.Money;

/**
 * Maker-checker requests ({@code host.console_approvals}): one admin asks for a money action, a
 * different admin approves it (then the console carries it out) or either turns it down. The
 * state moves PENDING → APPROVED → EXECUTED/FAILED, or PENDING → REJECTED, each step a
 * conditional update, so two checkers clicking at once approve once. Thread-safe.
 */
final class Approvals {

    /** What an approval is for. */
    enum Kind {
        /** {@code Payouts.retryPayout} of a payout above the threshold. */
        PAYOUT_RETRY,
        /** {@code Wealth.retry} of an invest or withdraw above the threshold. */
        INSTRUCTION_RETRY
    }

    enum State {
        PENDING, APPROVED, EXECUTED, FAILED, REJECTED
    }

    private final Jdbi jdbi;
    private final Clock clock;

    Approvals(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** What a request or a decision did. */
    sealed interface Result {
        record Done(Approval approval) implements Result {
        }

        /** Refused, with a message key ({@code approvals.refused.*}). */
        record Refused(String reasonKey) implements Result {
        }
    }

    /** Asks for approval; refused while a request for the same thing is pending. */
    Result request(Kind kind, String subjectId, Money amount, String summary, String requestedBy) {
        String id = "apr-" + Passwords.token(12);
        Instant now = clock.instant();
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO host.console_approvals (id, kind, subject_id, amount_minor, currency, summary, state, requested_by, requested_at)
                        VALUES (:id, :k, :s, :a, :c, :sum, 'PENDING', :by, :at) ON CONFLICT DO NOTHING""")
                .bind("id", id).bind("k", kind.name()).bind("s", subjectId).bind("a", amount.minor())
                .bind("c", amount.currency().getCurrencyCode()).bind("sum", summary).bind("by", requestedBy)
                .bind("at", utc(now)).execute());
        if (n == 0) {
            return new Result.Refused("approvals.refused.pending");
        }
        return new Result.Done(find(id).orElseThrow());
    }

    /** The checker's approval: refused for the requester and for anything not pending. */
    Result approve(String id, String checker) {
        Optional<Approval> a = find(id);
        if (a.isEmpty() || !a.get().state().equals(State.PENDING.name())) {
            return new Result.Refused("approvals.refused.notPending");
        }
        if (a.get().requestedBy().equals(checker)) {
            return new Result.Refused("approvals.refused.samePerson");
        }
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE host.console_approvals SET state = 'APPROVED', decided_by = :by, decided_at = :at
                        WHERE id = :id AND state = 'PENDING' AND requested_by <> :by""")
                .bind("id", id).bind("by", checker).bind("at", utc(clock.instant())).execute());
        return n == 1 ? new Result.Done(find(id).orElseThrow()) : new Result.Refused("approvals.refused.notPending");
    }

    /** Turns a pending request down (the requester may withdraw their own). */
    Result reject(String id, String admin, String note) {
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE host.console_approvals SET state = 'REJECTED', decided_by = :by, decided_at = :at, outcome = :note
                        WHERE id = :id AND state = 'PENDING'""")
                .bind("id", id).bind("by", admin).bind("at", utc(clock.instant())).bind("note", note).execute());
        return n == 1 ? new Result.Done(find(id).orElseThrow()) : new Result.Refused("approvals.refused.notPending");
    }

    /** Records what carrying out an approved request gave. */
    void complete(String id, boolean succeeded, String outcome) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE host.console_approvals SET state = :s, outcome = :o WHERE id = :id AND state = 'APPROVED'""")
                .bind("s", succeeded ? State.EXECUTED.name() : State.FAILED.name()).bind("o", outcome).bind("id", id).execute());
    }

    Optional<Approval> find(String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, c) -> map(rs)).findOne());
    }

    /** Pending requests, oldest first. */
    List<Approval> pending() {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE state = 'PENDING' ORDER BY requested_at, id")
                .map((rs, c) -> map(rs)).list());
    }

    /** Decided requests, newest first. */
    List<Approval> decided(int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE state <> 'PENDING' ORDER BY decided_at DESC NULLS LAST, id LIMIT :n")
                .bind("n", limit).map((rs, c) -> map(rs)).list());
    }

    /** Every request about {@code subjectId}, newest first. */
    List<Approval> bySubject(String subjectId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE subject_id = :s ORDER BY requested_at DESC, id")
                .bind("s", subjectId).map((rs, c) -> map(rs)).list());
    }

    private static final String SELECT = "SELECT id, kind, subject_id, amount_minor, currency, summary, state, requested_by, "
            + "requested_at, decided_by, decided_at, outcome FROM host.console_approvals";

    private static Approval map(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime decided = rs.getObject("decided_at", OffsetDateTime.class);
        return new Approval(rs.getString("id"), rs.getString("kind"), rs.getString("subject_id"),
                Money.of(rs.getLong("amount_minor"), Currency.getInstance(rs.getString("currency"))), rs.getString("summary"),
                rs.getString("state"), rs.getString("requested_by"),
                rs.getObject("requested_at", OffsetDateTime.class).toInstant(), Optional.ofNullable(rs.getString("decided_by")),
                Optional.ofNullable(decided).map(OffsetDateTime::toInstant), Optional.ofNullable(rs.getString("outcome")));
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
