package org.ticketledger.example.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.http.Principal;

/**
 * Console sessions in Postgres: the cookie carries a random 43-character token; the table holds
 * only its SHA-256, with the user, the session's CSRF token, its language, and the times that
 * decide expiry (idle and absolute). Thread-safe.
 */
final class Sessions {

    /** Refreshing last-seen on every request would write on every page view; a minute is precise enough. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    Sessions(Jdbi jdbi, Clock clock, Duration idle, Duration absolute) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** A live session. {@link #toString()} hides the CSRF token. */
    record Session(String digest, String username, Principal.AdminRole role, String csrf, String locale,
                   Instant createdAt, Instant lastSeenAt) {
        Session {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(csrf, "csrf");
            Objects.requireNonNull(locale, "locale");
        }

        @Override
        public String toString() {
            return "Session[username=" + username + ", role=" + role + "]";
        }
    }

    /** What a lookup found. */
    sealed interface Lookup {
        record Live(Session session) implements Lookup {
        }

        /** There was a session, but it timed out (it is deleted now). */
        record Expired() implements Lookup {
        }

        record None() implements Lookup {
        }
    }

    /** A new session for {@code username}; returns the cookie token (shown nowhere else). */
    String create(String username, String locale) {
        String token = Passwords.token(43);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            // Whoever logs in cleans up: expired sessions of everyone go.
            h.createUpdate("DELETE FROM host.console_sessions WHERE last_seen_at < :idle OR created_at < :abs")
                    .bind("idle", utc(now.minus(idle))).bind("abs", utc(now.minus(absolute))).execute();
            h.createUpdate("""
                            INSERT INTO host.console_sessions (id_digest, username, csrf_token, locale, created_at, last_seen_at)
                            VALUES (:d, :u, :c, :l, :now, :now)""")
                    .bind("d", Passwords.sha256Hex(token)).bind("u", username).bind("c", Passwords.token(43))
                    .bind("l", locale).bind("now", utc(now)).execute();
        });
        return token;
    }

    /** The session of a cookie token, if live; an expired one is deleted. */
    Lookup find(String token) {
        if (token == null || token.length() != 43) {
            return new Lookup.None();
        }
        String digest = Passwords.sha256Hex(token);
        Optional<Session> found = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.id_digest, s.username, a.role, s.csrf_token, s.locale, s.created_at, s.last_seen_at
                        FROM host.console_sessions s JOIN host.console_admins a ON a.username = s.username
                        WHERE s.id_digest = :d AND a.disabled_at IS NULL""")
                .bind("d", digest)
                .map((rs, c) -> new Session(rs.getString(1), rs.getString(2), Principal.AdminRole.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(),
                        rs.getObject(7, OffsetDateTime.class).toInstant()))
                .findOne());
        if (found.isEmpty()) {
            return new Lookup.None();
        }
        Session s = found.get();
        Instant now = clock.instant();
        if (now.isAfter(s.lastSeenAt().plus(idle)) || now.isAfter(s.createdAt().plus(absolute))) {
            delete(digest);
            return new Lookup.Expired();
        }
        if (now.isAfter(s.lastSeenAt().plus(TOUCH_EVERY))) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE host.console_sessions SET last_seen_at = :now WHERE id_digest = :d")
                    .bind("now", utc(now)).bind("d", digest).execute());
        }
        return new Lookup.Live(s);
    }

    void setLocale(Session s, String locale) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE host.console_sessions SET locale = :l WHERE id_digest = :d")
                .bind("l", locale).bind("d", s.digest()).execute());
    }

    void delete(String digest) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM host.console_sessions WHERE id_digest = :d").bind("d", digest).execute());
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
