package org.ticketledger.example.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.wire.Views;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * Distributor webhooks: ticket issued, redeemed (per spot), refunded and expired events, delivered
 * at least once, HMAC-signed (see {@link WebhookSigning}). Each event carries a stable id and the
 * ticket's cumulative state at enqueue time, so receivers can drop duplicates by id and ignore a
 * snapshot older than one they already hold ({@code ticket.updatedAt}).
 *
 * <p>Events come from ticketing's transition history ({@code ticketing.events}), read with a cursor.
 * Event ids are assigned at insert but become visible at commit, so the cursor only moves past
 * events older than {@link #SETTLE}; newer ones are looked at again on the next poll (an
 * enqueue is idempotent by event id). Several instances may run this: the cursor row is locked while
 * enqueuing and due deliveries are claimed with {@code SKIP LOCKED} and a lease.
 *
 * <p>Thread-safe. {@link #start()} runs the poller on one daemon thread; {@link #runOnce()} does one
 * round (tests, the demo).
 */
public final class Webhooks implements AutoCloseable {

    /** How old an event must be before the cursor moves past it. */
    static final Duration SETTLE = Duration.ofSeconds(30);
    /** Attempts before a delivery is given up (then visible to admins, who may retry it). */
    public static final int MAX_ATTEMPTS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LEASE = Duration.ofSeconds(60);
    /** The ticket events distributors receive; ticketing's other ticket events (e.g. breakage bookings) are internal. */
    public static final Set<String> TYPES = Set.of("ticket.issued", "ticket.redeemed", "ticket.refunded", "ticket.expired");
    /** How ticketing words a redemption's detail: {@code at <spot> by <who>...}. */
    private static final Pattern REDEEMED_AT = Pattern.compile("at (\\S+) by ");

    private final Jdbi jdbi;
    private final Ticketing ticketing;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService poller;
    /**
     * Events past the cursor already turned into deliveries (or found to need none) by this
     * process: the poller re-reads the last few seconds of events on every pass, because ids may
     * commit out of order, and should not rebuild their payloads each time. Pruned as the cursor
     * moves; after a restart the unique event id keeps the queue free of duplicates.
     */
    private final java.util.NavigableSet<Long> handled = new java.util.concurrent.ConcurrentSkipListSet<>();

    private Webhooks(Jdbi jdbi, Ticketing ticketing, Clock clock) {
        this.jdbi = jdbi;
        this.ticketing = ticketing;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhooks");
            t.setDaemon(true);
            return t;
        });
    }

    /** Webhooks over the host schema in {@code jdbi} and ticketing's events in the same database. */
    public static Webhooks of(Jdbi jdbi, Ticketing ticketing, Clock clock) {
        return new Webhooks(Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(ticketing, "ticketing"),
                Objects.requireNonNull(clock, "clock"));
    }

    /** A configured endpoint. */
    public record Endpoint(String distributorId, URI url, String secret) {
        public Endpoint {
            Objects.requireNonNull(distributorId, "distributorId");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Endpoint[" + distributorId + " " + url + " secret=***]";
        }
    }

    /** One delivery's state, for admins. */
    public record Delivery(String eventId, String distributorId, String type, String state, int attempts,
                           Optional<Integer> lastStatus, Optional<String> lastError, Instant createdAt,
                           Optional<Instant> deliveredAt) {
    }

    /** Sets {@code distributorId}'s endpoint with a new secret; returns it. */
    public Endpoint configure(String distributorId, URI url) {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String secret = "whs_" + java.util.HexFormat.of().formatHex(b);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO host.webhook_endpoints (distributor_id, url, secret, updated_at) VALUES (:d, :u, :s, :t)
                        ON CONFLICT (distributor_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = EXCLUDED.updated_at""")
                .bind("d", distributorId).bind("u", url.toString()).bind("s", secret).bind("t", now()).execute());
        return new Endpoint(distributorId, url, secret);
    }

    /** The endpoint of {@code distributorId}, if configured. */
    public Optional<Endpoint> endpoint(String distributorId) {
        return jdbi.withHandle(h -> endpoint(h, distributorId));
    }

    private static Optional<Endpoint> endpoint(Handle h, String distributorId) {
        return h.createQuery("SELECT distributor_id, url, secret FROM host.webhook_endpoints WHERE distributor_id = :d")
                .bind("d", distributorId)
                .map((rs, c) -> new Endpoint(rs.getString(1), URI.create(rs.getString(2)), rs.getString(3))).findOne();
    }

    /** Removes the endpoint; pending deliveries then fail. */
    public boolean remove(String distributorId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM host.webhook_endpoints WHERE distributor_id = :d")
                .bind("d", distributorId).execute()) == 1;
    }

    /** Deliveries of {@code state} (PENDING, DELIVERED, FAILED), newest first. */
    public List<Delivery> deliveries(String state, Optional<String> distributorId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM host.webhook_deliveries WHERE state = :s AND (CAST(:d AS text) IS NULL OR distributor_id = CAST(:d AS text))
                         ORDER BY created_at DESC, event_id LIMIT :n""")
                .bind("s", state).bind("d", distributorId.orElse(null)).bind("n", limit)
                .map((rs, c) -> {
                    int status = rs.getInt("last_status");
                    Optional<Integer> last = rs.wasNull() ? Optional.empty() : Optional.of(status);
                    return new Delivery(rs.getString("event_id"), rs.getString("distributor_id"), rs.getString("type"),
                            rs.getString("state"), rs.getInt("attempts"), last, Optional.ofNullable(rs.getString("last_error")),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            Optional.ofNullable(rs.getObject("delivered_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant));
                }).list());
    }

    /** Puts a FAILED delivery back in the queue; false if there is no such failed delivery. */
    public boolean retry(String eventId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE host.webhook_deliveries SET state = 'PENDING', attempts = 0, next_attempt_at = :t
                         WHERE event_id = :e AND state = 'FAILED'""")
                .bind("t", now()).bind("e", eventId).execute()) == 1;
    }

    /** Starts polling every {@code interval}. */
    public Webhooks start(Duration interval) {
        poller.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("webhook round failed; will retry", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round: enqueue new events, then attempt due deliveries. Returns how many were attempted. */
    public int runOnce() {
        enqueue();
        return deliverDue();
    }

    private void enqueue() {
        List<Long> seen = new java.util.ArrayList<>();
        long moved = jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO host.webhook_cursor (name, last_event_id) VALUES ('ticket-events', 0) ON CONFLICT DO NOTHING").execute();
            long cursor = h.createQuery("SELECT last_event_id FROM host.webhook_cursor WHERE name = 'ticket-events' FOR UPDATE")
                    .mapTo(Long.class).one();
            List<Event> events = h.createQuery("""
                            SELECT e.id, e.subject_type, e.subject_id, e.event, e.at, e.detail, o.distributor_id
                              FROM ticketing.events e LEFT JOIN ticketing.orders o ON o.order_id = e.order_id
                             WHERE e.id > :c ORDER BY e.id LIMIT 500""")
                    .bind("c", cursor)
                    .map((rs, c) -> new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), Optional.ofNullable(rs.getString(7))))
                    .list();
            // Only distributors with an endpoint get deliveries: one read of the (few) endpoints per
            // pass instead of a ticket and an endpoint lookup per event.
            java.util.Set<String> subscribed = new java.util.HashSet<>(h.createQuery("SELECT distributor_id FROM host.webhook_endpoints")
                    .mapTo(String.class).list());
            Instant settled = clock.instant().minus(SETTLE);
            long advance = cursor;
            boolean contiguous = true;
            for (Event e : events) {
                if (e.subjectType().equals("TICKET") && TYPES.contains(e.event()) && !handled.contains(e.id())
                        && (e.distributorId().isEmpty() || subscribed.contains(e.distributorId().get()))) {
                    enqueue(h, e);
                }
                seen.add(e.id());
                if (contiguous && e.at().isBefore(settled)) {
                    advance = e.id();
                } else {
                    contiguous = false;
                }
            }
            if (advance != cursor) {
                h.createUpdate("UPDATE host.webhook_cursor SET last_event_id = :a WHERE name = 'ticket-events'").bind("a", advance).execute();
            }
            return advance;
        });
        // Only once the deliveries are committed may the events count as handled.
        handled.addAll(seen);
        handled.headSet(moved, true).clear();
    }

    private void enqueue(Handle h, Event e) {
        Optional<Ticket> ticket = ticketing.tickets().ticket(e.subjectId());
        if (ticket.isEmpty() || endpoint(h, ticket.get().distributorId()).isEmpty()) {
            return;
        }
        Ticket t = ticket.get();
        String id = "evt_" + e.id();
        ObjectNode payload = Json.object().put("id", id).put("type", e.event()).put("occurredAt", e.at().toString());
        if (e.event().equals("ticket.redeemed")) {
            // Which spot this redemption was at (a combo redeems once at each, in any order); the
            // snapshot below shows every spot's state as of enqueueing.
            Matcher m = REDEEMED_AT.matcher(e.detail() == null ? "" : e.detail());
            if (m.lookingAt() && t.spots().stream().anyMatch(s -> s.spotId().equals(m.group(1)))) {
                payload.put("spotId", m.group(1));
            }
        }
        payload.set("ticket", Views.ticket(t));
        h.createUpdate("""
                        INSERT INTO host.webhook_deliveries (event_id, distributor_id, type, payload, state, next_attempt_at, created_at)
                        VALUES (:e, :d, :type, :p, 'PENDING', :t, :t) ON CONFLICT DO NOTHING""")
                .bind("e", id).bind("d", t.distributorId()).bind("type", e.event()).bind("p", Json.write(payload))
                .bind("t", now()).execute();
    }

    private int deliverDue() {
        List<Due> due = jdbi.inTransaction(h -> {
            List<Due> list = h.createQuery("""
                            SELECT event_id, distributor_id, type, payload, attempts FROM host.webhook_deliveries
                             WHERE state = 'PENDING' AND next_attempt_at <= :t ORDER BY next_attempt_at LIMIT 20
                             FOR UPDATE SKIP LOCKED""")
                    .bind("t", now())
                    .map((rs, c) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                    .list();
            for (Due d : list) {
                // The lease: other instances skip it until then, and a crash mid-delivery only delays it.
                h.createUpdate("UPDATE host.webhook_deliveries SET next_attempt_at = :l WHERE event_id = :e")
                        .bind("l", clock.instant().plus(LEASE).atOffset(ZoneOffset.UTC)).bind("e", d.eventId()).execute();
            }
            return list;
        });
        for (Due d : due) {
            attempt(d);
        }
        return due.size();
    }

    private void attempt(Due d) {
        Optional<Endpoint> ep = endpoint(d.distributorId());
        if (ep.isEmpty()) {
            finish(d, "FAILED", null, "no webhook endpoint configured", d.attempts());
            return;
        }
        long ts = clock.instant().getEpochSecond();
        Integer status = null;
        String error = null;
        try {
            HttpRequest req = HttpRequest.newBuilder(ep.get().url()).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "TicketLedger-Webhooks/1")
                    .header(WebhookSigning.EVENT_ID, d.eventId())
                    .header(WebhookSigning.EVENT_TYPE, d.type())
                    .header(WebhookSigning.TIMESTAMP, Long.toString(ts))
                    .header(WebhookSigning.SIGNATURE, WebhookSigning.sign(ep.get().secret(), ts, d.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            status = resp.statusCode();
            if (status >= 200 && status < 300) {
                finish(d, "DELIVERED", status, null, d.attempts() + 1);
                return;
            }
            error = "HTTP " + status;
        } catch (java.io.IOException e) {
            error = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (IllegalArgumentException e) {
            error = "unusable URL";
        }
        int attempts = d.attempts() + 1;
        LOG.info("webhook {} to {} failed ({}), attempt {}", d.eventId(), d.distributorId(), error, attempts);
        finish(d, attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING", status, error, attempts);
    }

    private void finish(Due d, String state, Integer status, String error, int attempts) {
        Instant next = clock.instant().plus(backoff(attempts));
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE host.webhook_deliveries SET state = :s, attempts = :a, last_status = :st, last_error = :err,
                               next_attempt_at = :n, delivered_at = CASE WHEN :s = 'DELIVERED' THEN :now ELSE delivered_at END
                         WHERE event_id = :e""")
                .bind("s", state).bind("a", attempts).bind("st", status).bind("err", error)
                .bind("n", next.atOffset(ZoneOffset.UTC)).bind("now", now()).bind("e", d.eventId()).execute());
    }

    /** 2 s doubling per attempt, at most one hour: twenty attempts span about a day. */
    static Duration backoff(int attempts) {
        long seconds = 2L << Math.min(Math.max(attempts - 1, 0), 20);
        return Duration.ofSeconds(Math.min(seconds, 3600));
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    private record Event(long id, String subjectType, String subjectId, String event, Instant at, String detail,
                         Optional<String> distributorId) {
    }

    private record Due(String eventId, String distributorId, String type, String payload, int attempts) {
    }
}
