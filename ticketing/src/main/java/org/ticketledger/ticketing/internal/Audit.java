package org.ticketledger.ticketing.internal;

import org.jdbi.v3.core.Handle;

/** Appends to the audit log inside the caller's transaction. */
final class Audit {

    private Audit() {
    }

    static void record(Handle h, Ctx ctx, String actor, String action, String subject, String detail) {
        h.createUpdate("INSERT INTO ticketing.audit_log (at, actor, action, subject, detail) VALUES (:at, :a, :ac, :s, :d)")
                .bind("at", Db.ts(ctx.now()))
                .bind("a", actor == null || actor.isBlank() ? "unknown" : actor)
                .bind("ac", action)
                .bind("s", subject)
                .bind("d", detail)
                .execute();
    }
}
