package org.ticketledger.example.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.auth.NonceStore;

/**
 * Idempotency records in Postgres ({@code host.idempotency_keys}), keyed by principal and key so
 * that two callers can never see each other's responses. A request first {@link #claim claims} its
 * key; the winner runs and {@link #complete completes} it with the response, later requests get that
 * response back. A claim that is never completed (the process died) can be taken over once its lease
 * ends. Thread-safe; safe across app instances (the primary key arbitrates).
 */
public final class IdempotencyStore {

    private final Jdbi jdbi;
    private final NonceStore nonces;

    private IdempotencyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.nonces = NonceStore.of(jdbi);
    }

    /** Records stored through {@code jdbi} (the host schema must be migrated). */
    public static IdempotencyStore of(Jdbi jdbi) {
        return new IdempotencyStore(Objects.requireNonNull(jdbi, "jdbi"));
    }

    /** A stored response. */
    public record StoredResponse(int status, String contentType, Optional<String> location, String body) {
        public StoredResponse {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(body, "body");
        }
    }

    /** The outcome of a claim. */
    public sealed interface Claim {
        /** The caller owns the key now and must complete or release it. */
        record Granted() implements Claim {
        }

        /** The key was used before with this request and has a response. */
        record Replay(StoredResponse response) implements Claim {
        }

        /** The key was used before with a different request. */
        record Mismatch(String method, String path) implements Claim {
        }

        /** The same request is being processed right now. */
        record InProgress() implements Claim {
        }

        /** The request's nonce, recorded with the claim, was used before: nothing was claimed. */
        record ReplayedNonce() implements Claim {
        }
    }

    /** Claims {@code key} for {@code principal}'s request with digest {@code requestHash}. */
    public Claim claim(String principal, String key, String requestHash, String method, String path, Instant now, Duration lease) {
        return claim(principal, key, requestHash, method, path, now, lease, Optional.empty());
    }

    /**
     * Records the request's {@code nonce} (as {@link NonceStore#firstUse}, in the same statement)
     * and, if it was new, claims {@code key} for {@code principal}'s request with digest
     * {@code requestHash}; {@link Claim.ReplayedNonce} if the nonce was used before.
     */
    public Claim claim(String principal, String key, String requestHash, String method, String path, Instant now, Duration lease,
                       Optional<NonceStore.Use> nonce) {
        if (nonce.isPresent()) {
            NonceStore.Use n = nonce.get();
            boolean[] outcome = jdbi.withHandle(h -> h.createQuery("WITH async AS (SELECT set_config('synchronous_commit', 'off', true)), "
                            + NonceStore.INSERT_CTE + ", claim AS (" + INSERT_CLAIM + " WHERE EXISTS (SELECT 1 FROM nonce)"
                            + " ON CONFLICT DO NOTHING RETURNING 1)"
                            + " SELECT EXISTS (SELECT 1 FROM nonce) AS fresh, EXISTS (SELECT 1 FROM claim) AS claimed")
                    .bind("nonce_key", n.keyId()).bind("nonce", n.nonce()).bind("nonce_until", n.keepUntil().atOffset(ZoneOffset.UTC))
                    .bind("p", principal).bind("k", key).bind("h", requestHash).bind("m", method).bind("path", path)
                    .bind("until", now.plus(lease).atOffset(ZoneOffset.UTC)).bind("now", now.atOffset(ZoneOffset.UTC))
                    .map((rs, ctx) -> new boolean[] {rs.getBoolean("fresh"), rs.getBoolean("claimed")})
                    .one());
            if (!outcome[0]) {
                return new Claim.ReplayedNonce();
            }
            return outcome[1] ? new Claim.Granted() : seen(principal, key, requestHash, now, lease);
        }
        // The claim commits without waiting for the WAL flush: if the database server crashes and
        // forgets it, the request that held it is gone too and a retry simply claims again (the
        // operation below is idempotent by its own id). The stored answer (complete) is durable.
        // A new key (the usual case) is one statement in its own transaction; only a key seen before
        // needs the locking read below.
        int inserted = jdbi.withHandle(h -> h.createUpdate("WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) "
                        + INSERT_CLAIM + " ON CONFLICT DO NOTHING")
                .bind("p", principal).bind("k", key).bind("h", requestHash).bind("m", method).bind("path", path)
                .bind("until", now.plus(lease).atOffset(ZoneOffset.UTC)).bind("now", now.atOffset(ZoneOffset.UTC))
                .execute());
        if (inserted == 1) {
            return new Claim.Granted();
        }
        return seen(principal, key, requestHash, now, lease);
    }

    /** The claim of a key that was there already. */
    private Claim seen(String principal, String key, String requestHash, Instant now, Duration lease) {
        return jdbi.inTransaction(h -> {
            Optional<Row> row = h.createQuery("""
                            SELECT request_hash, method, path, state, locked_until, status, content_type, location, response_body
                              FROM host.idempotency_keys WHERE principal = :p AND idem_key = :k FOR UPDATE""")
                    .bind("p", principal).bind("k", key)
                    .map((rs, ctx) -> new Row(rs.getString("request_hash"), rs.getString("method"), rs.getString("path"),
                            rs.getString("state"), rs.getObject("locked_until", OffsetDateTime.class).toInstant(),
                            rs.getInt("status"), rs.getString("content_type"), rs.getString("location"),
                            rs.getString("response_body")))
                    .findOne();
            if (row.isEmpty()) {
                // Released between our insert and select: a rare race; the caller may simply retry.
                return new Claim.InProgress();
            }
            Row r = row.get();
            if (!requestHash.equals(r.requestHash())) {
                return new Claim.Mismatch(r.method(), r.path());
            }
            if ("DONE".equals(r.state())) {
                return new Claim.Replay(new StoredResponse(r.status(), r.contentType(), Optional.ofNullable(r.location()),
                        r.body()));
            }
            if (r.lockedUntil().isBefore(now)) {
                h.createUpdate("UPDATE host.idempotency_keys SET locked_until = :until WHERE principal = :p AND idem_key = :k")
                        .bind("until", now.plus(lease).atOffset(ZoneOffset.UTC)).bind("p", principal).bind("k", key).execute();
                return new Claim.Granted();
            }
            return new Claim.InProgress();
        });
    }

    /** Records first use of a nonce (see {@link NonceStore#firstUse}); false if it was used before. */
    public boolean firstUse(NonceStore.Use nonce) {
        return nonces.firstUse(nonce);
    }

    /** Stores the response of a granted claim; later claims replay it. */
    public void complete(String principal, String key, StoredResponse response, Instant now) {
        jdbi.useHandle(h -> {
            try {
                completeOn(h.getConnection(), principal, key, response, now);
            } catch (SQLException e) {
                throw new IllegalStateException("storing the answer of Idempotency-Key " + key + " failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * As {@link #complete}, on {@code connection} inside its caller's transaction: the answer then
     * commits with the operation that produced it (one durable commit fewer than completing after).
     */
    public void completeOn(Connection connection, String principal, String key, StoredResponse response, Instant now)
            throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                UPDATE host.idempotency_keys
                   SET state = 'DONE', status = ?, content_type = ?, location = ?, response_body = ?, completed_at = ?
                 WHERE principal = ? AND idem_key = ?""")) {
            st.setInt(1, response.status());
            st.setString(2, response.contentType());
            st.setString(3, response.location().orElse(null));
            st.setString(4, response.body());
            st.setObject(5, now.atOffset(ZoneOffset.UTC));
            st.setString(6, principal);
            st.setString(7, key);
            st.executeUpdate();
        }
    }

    /** Gives up a granted claim without a response (the outcome was not final), so the key can be used again. */
    public void release(String principal, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM host.idempotency_keys WHERE principal = :p AND idem_key = :k AND state = 'IN_PROGRESS'")
                .bind("p", principal).bind("k", key).execute());
    }

    /** Deletes records created before {@code cutoff}; returns how many. */
    public int purge(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM host.idempotency_keys WHERE created_at < :t")
                .bind("t", cutoff.atOffset(ZoneOffset.UTC)).execute());
    }

    private static final String INSERT_CLAIM = "INSERT INTO host.idempotency_keys"
            + " (principal, idem_key, request_hash, method, path, state, locked_until, created_at)"
            + " SELECT :p, :k, :h, :m, :path, 'IN_PROGRESS', :until, :now FROM async";

    private record Row(String requestHash, String method, String path, String state, Instant lockedUntil, int status,
                       String contentType, String location, String body) {
    }
}
