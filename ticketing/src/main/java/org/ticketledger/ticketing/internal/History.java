package org.ticketledger.ticketing.internal;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ticketing.HistoryEvent;

/** Appends to and reads the event history (table {@code ticketing.events}). */
final class History {

    private History() {
    }

    static void record(Handle h, Ctx ctx, String orderId, String subjectType, String subjectId, String from, String to,
                       String event, String detail) {
        h.createUpdate("INSERT INTO ticketing.events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)"
                        + " VALUES (:o, :t, :s, :f, :to, :e, :d, :at)")
                .bind("o", orderId)
                .bind("t", subjectType)
                .bind("s", subjectId)
                .bind("f", from)
                .bind("to", to)
                .bind("e", event)
                .bind("d", detail)
                .bind("at", Db.ts(ctx.now()))
                .execute();
    }

    static List<HistoryEvent> forOrder(Ctx ctx, String orderId) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.events WHERE order_id = :o ORDER BY id")
                .bind("o", orderId)
                .map((rs, c) -> new HistoryEvent(rs.getLong("id"), rs.getString("order_id"), rs.getString("subject_type"),
                        rs.getString("subject_id"), Optional.ofNullable(rs.getString("from_state")),
                        rs.getString("to_state"), rs.getString("event"), rs.getString("detail"), Db.instant(rs, "at")))
                .list());
    }
}
