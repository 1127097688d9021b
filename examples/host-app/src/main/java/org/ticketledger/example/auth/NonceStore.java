package org.ticketledger.example.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * Used nonces in Postgres ({@code host.nonces}), so that a replay is refused across restarts and
 * across app instances: the first insert of (key, nonce) wins, any later one finds the row.
 * Rows are purged once their request could no longer pass the timestamp window.
 *
 * <p>The insert commits asynchronously (no wait for the WAL flush): a nonce is spent on every
 * request, and waiting for the disk each time was the largest single cost of a signed request. The
 * price: after a crash of the database server (not of the app), nonces of the last few hundred
 * milliseconds may be forgotten, so those exact requests could be replayed until their timestamps
 * leave the window. A replayed money-moving request carries its Idempotency-Key and only gets the
 * stored answer again. Thread-safe.
 */
public final class NonceStore {

    private final Jdbi jdbi;

    private NonceStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Nonces stored through {@code jdbi} (the host schema must be migrated). */
    public static NonceStore of(Jdbi jdbi) {
        return new NonceStore(Objects.requireNonNull(jdbi, "jdbi"));
    }

    /** A nonce to record: its key, itself, and until when it must be kept. */
    public record Use(String keyId, String nonce, Instant keepUntil) {
        public Use {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(keepUntil, "keepUntil");
        }
    }

    /**
     * The insert of a nonce as a data-modifying CTE named {@code nonce} (binds {@code :nonce_key},
     * {@code :nonce}, {@code :nonce_until}; needs a CTE {@code async}), returning a row if the
     * nonce was new: for a statement that records the nonce together with something else.
     */
    public static final String INSERT_CTE = "nonce AS (INSERT INTO host.nonces (key_id, nonce, expires_at)"
            + " SELECT :nonce_key, :nonce, :nonce_until FROM async ON CONFLICT DO NOTHING RETURNING 1)";

    /** Records first use of {@code use}; false if the nonce was used with its key before. */
    public boolean firstUse(Use use) {
        return firstUse(use.keyId(), use.nonce(), use.keepUntil());
    }

    /** Records first use of {@code nonce} with {@code keyId}; false if it was used before. */
    public boolean firstUse(String keyId, String nonce, Instant keepUntil) {
        // Every signed request writes a nonce, so its commit skips the WAL flush. A database crash
        // can forget the last few; a request replayed in that window still meets the durable
        // idempotency record of any money-moving route, so nothing can move twice.
        return jdbi.withHandle(h -> h.createUpdate(
                        """
                        WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
                        INSERT INTO host.nonces (key_id, nonce, expires_at) SELECT :k, :n, :e FROM async
                        ON CONFLICT DO NOTHING""")
                .bind("k", keyId).bind("n", nonce).bind("e", keepUntil.atOffset(ZoneOffset.UTC))
                .execute()) == 1;
    }

    /** Deletes nonces whose window has passed; returns how many. */
    public int purge(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM host.nonces WHERE expires_at < :t")
                .bind("t", now.atOffset(ZoneOffset.UTC)).execute());
    }
}
