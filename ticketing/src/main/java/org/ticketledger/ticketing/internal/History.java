package org.ticketledger.ticketing.internal;

import java.util.ArrayList;
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
        new Batch().add(orderId, subjectType, subjectId, from, to, event, detail).insert(h, ctx);
    }

    /**
     * Events of one transaction, written by a single multi-row insert (one round trip instead of one
     * per event: the order path records three to five). Rows keep the order they were added in,
     * so their ids, and the history's order, are as with one insert each. Inserting empties the
     * batch, so it can collect the transaction's next events.
     */
    static final class Batch {
        private final List<String[]> rows = new ArrayList<>(4);

        Batch add(String orderId, String subjectType, String subjectId, String from, String to, String event, String detail) {
            rows.add(new String[] {orderId, subjectType, subjectId, from, to, event, detail});
            return this;
        }

        void insert(Handle h, Ctx ctx) {
            if (rows.isEmpty()) {
                return;
            }
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO ticketing.events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at) VALUES ");
            for (int i = 0; i < rows.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(:o").append(i).append(", :t").append(i).append(", :s").append(i)
                        .append(", :f").append(i).append(", :to").append(i).append(", :e").append(i).append(", :d").append(i)
                        .append(", :at)");
            }
            var update = h.createUpdate(sql.toString()).bind("at", Db.ts(ctx.now()));
            for (int i = 0; i < rows.size(); i++) {
                String[] r = rows.get(i);
                update.bind("o" + i, r[0]).bind("t" + i, r[1]).bind("s" + i, r[2]).bind("f" + i, r[3]).bind("to" + i, r[4])
                        .bind("e" + i, r[5]).bind("d" + i, r[6]);
            }
            update.execute();
            rows.clear();
        }
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
