package org.ticketledger.ticketing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.notify.NotificationState;
import org.ticketledger.ticketing.notify.Notifications;
import org.ticketledger.ticketing.notify.StoredNotification;
import org.ticketledger.ticketing.party.Patterns;
import org.ticketledger.ticketing.spi.Notification;
import org.ticketledger.ticketing.spi.SendResult;

/**
 * The message outbox. A message is queued in the same transaction as the state change that
 * causes it, under a business-derived id (so it is queued once however often that step re-runs),
 * then sent by {@link #dispatch} right after commit or by the sweep. Sending claims a lease on
 * the row, so two workers never send the same message at once.
 */
final class Outbox implements Notifications {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ctx ctx;

    Outbox(Ctx ctx) {
        this.ctx = ctx;
    }

    /** Queues a message inside the caller's transaction; a second queueing of the same id is a no-op. */
    void enqueue(Handle h, String id, String recipient, String template, String body, Map<String, String> params,
                 String subjectId) {
        h.createUpdate("INSERT INTO ticketing.notifications (notification_id, recipient, template, body, params, subject_id,"
                        + " state, next_attempt_at, created_at) VALUES (:id, :r, :t, :b, :p, :s, 'PENDING', :now, :now)"
                        + " ON CONFLICT (notification_id) DO NOTHING")
                .bind("id", id)
                .bind("r", recipient)
                .bind("t", template)
                .bind("b", body)
                .bind("p", toJson(params))
                .bind("s", subjectId)
                .bind("now", Db.ts(ctx.now()))
                .execute();
    }

    /** Sends the message now if it is pending, due and not being sent by someone else. */
    boolean dispatch(String id) {
        Instant now = ctx.now();
        String token = ctx.leaseToken();
        Optional<Notification> claimed = ctx.db.tx(h -> h.createQuery(
                        "UPDATE ticketing.notifications SET lease_owner = :tok, lease_until = :until"
                                + " WHERE notification_id = :id AND state = 'PENDING' AND next_attempt_at <= :now"
                                + " AND (lease_until IS NULL OR lease_until < :now)"
                                + " RETURNING notification_id, recipient, template, body, params")
                .bind("tok", token)
                .bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                .bind("id", id)
                .bind("now", Db.ts(now))
                .map((rs, c) -> notification(rs))
                .findOne());
        if (claimed.isEmpty()) {
            return false;
        }
        Notification n = claimed.get();
        SendResult result;
        try {
            result = ctx.notifier.send(n);
            if (result == null) {
                result = new SendResult.Failed("notifier returned nothing", true);
            }
        } catch (RuntimeException e) {
            result = new SendResult.Failed("notifier threw " + e.getClass().getSimpleName(), true);
        }
        SendResult r = result;
        Instant done = ctx.now();
        ctx.db.tx(h -> {
            if (r instanceof SendResult.Sent sent) {
                h.createUpdate("UPDATE ticketing.notifications SET state = 'SENT', provider_ref = :ref, sent_at = :at,"
                                + " attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE notification_id = :id")
                        .bind("ref", sent.providerReference())
                        .bind("at", Db.ts(done))
                        .bind("id", id)
                        .execute();
            } else {
                SendResult.Failed f = (SendResult.Failed) r;
                LOG.warn("message {} to {} not sent: {}", id, Patterns.maskPhone(n.recipient()), f.reason());
                h.createUpdate("UPDATE ticketing.notifications SET attempts = attempts + 1, last_error = :err,"
                                + " state = CASE WHEN :retry AND attempts + 1 < :max THEN 'PENDING' ELSE 'FAILED' END,"
                                + " next_attempt_at = :next, lease_owner = NULL, lease_until = NULL WHERE notification_id = :id")
                        .bind("err", f.reason())
                        .bind("retry", f.retryable())
                        .bind("max", ctx.jobs.notifyMaxAttempts())
                        .bind("next", Db.ts(done.plus(ctx.jobs.notifyBackoff())))
                        .bind("id", id)
                        .execute();
            }
            return null;
        });
        return true;
    }

    /** Sends due messages; returns how many were attempted. */
    int sweep() {
        Instant now = ctx.now();
        List<String> due = ctx.db.read(h -> h.createQuery("SELECT notification_id FROM ticketing.notifications"
                        + " WHERE state = 'PENDING' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)"
                        + " ORDER BY next_attempt_at LIMIT :n")
                .bind("now", Db.ts(now))
                .bind("n", ctx.jobs.batchSize())
                .mapTo(String.class)
                .list());
        int n = 0;
        for (String id : due) {
            if (ctx.stopping()) {
                break;
            }
            try {
                if (dispatch(id)) {
                    n++;
                }
            } catch (TicketingException e) {
                LOG.warn("sending message {} failed: {}", id, e.getMessage());
            }
        }
        return n;
    }

    @Override
    public List<StoredNotification> bySubject(String subjectId) {
        return query("subject_id = :v", subjectId);
    }

    @Override
    public List<StoredNotification> byRecipient(String recipient) {
        return query("recipient = :v", recipient);
    }

    @Override
    public List<StoredNotification> byState(NotificationState state, int limit) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.notifications WHERE state = :v"
                        + " ORDER BY created_at, notification_id LIMIT :n")
                .bind("v", state.name())
                .bind("n", Math.max(1, limit))
                .map((rs, c) -> stored(rs))
                .list());
    }

    private List<StoredNotification> query(String where, String value) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.notifications WHERE " + where
                        + " ORDER BY created_at, notification_id")
                .bind("v", value)
                .map((rs, c) -> stored(rs))
                .list());
    }

    private static StoredNotification stored(ResultSet rs) throws SQLException {
        return new StoredNotification(notification(rs), rs.getString("subject_id"),
                NotificationState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                Db.optString(rs, "provider_ref"), Db.optString(rs, "last_error"), Db.instant(rs, "created_at"),
                Db.optInstant(rs, "sent_at"));
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        return new Notification(rs.getString("notification_id"), rs.getString("recipient"), rs.getString("template"),
                rs.getString("body"), fromJson(rs.getString("params")));
    }

    private static String toJson(Map<String, String> params) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(params));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode message parameters", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode message parameters", e);
        }
    }
}
