package org.ticketledger.ticketing.party;

import java.time.Instant;
import java.util.Objects;

/**
 * One administrative change (onboarding, an account change, a fee change, a manual payout retry).
 *
 * @param id      increasing id
 * @param at      when
 * @param actor   who
 * @param action  what, e.g. {@code account.changed}
 * @param subject the object changed, e.g. a party id
 * @param detail  a description without secrets
 */
public record AuditRecord(long id, Instant at, String actor, String action, String subject, String detail) {

    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }
}
