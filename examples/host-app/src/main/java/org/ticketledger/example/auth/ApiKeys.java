package org.ticketledger.example.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Distributor API keys in Postgres ({@code host.api_keys}), with their distributor's rate limit.
 * Look-ups are cached for a few seconds because every signed request needs one; a revocation on
 * this instance takes effect at once, on other instances within {@link #CACHE_TTL}. Thread-safe.
 */
public final class ApiKeys {

    /** How long another instance may still accept a key revoked elsewhere. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(5);

    /** Distributor ids as the platform writes them (ticketing's ids fit this). */
    public static final Pattern DISTRIBUTOR_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Jdbi jdbi;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private ApiKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Keys stored through {@code jdbi} (the host schema must be migrated). */
    public static ApiKeys of(Jdbi jdbi, Clock clock) {
        return new ApiKeys(Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(clock, "clock"));
    }

    /** A key as issued: the only time the secret leaves the platform. */
    public record IssuedKey(String keyId, String secret, String distributorId, Instant createdAt) {
        public IssuedKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(distributorId, "distributorId");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        @Override
        public String toString() {
            return "IssuedKey[keyId=" + keyId + ", distributorId=" + distributorId + ", secret=***]";
        }
    }

    /** What the verifier needs about a live key. */
    public record ActiveKey(String keyId, String distributorId, String secret, Optional<RateLimiter.Limit> limit) {
        public ActiveKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(distributorId, "distributorId");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(limit, "limit");
        }

        @Override
        public String toString() {
            return "ActiveKey[keyId=" + keyId + ", distributorId=" + distributorId + ", secret=***]";
        }
    }

    /** A key's public facts, for listings. */
    public record KeyInfo(String keyId, String distributorId, Instant createdAt, Optional<Instant> revokedAt) {
        public KeyInfo {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(distributorId, "distributorId");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(revokedAt, "revokedAt");
        }
    }

    /** Issues a new key for {@code distributorId}. */
    public IssuedKey issue(String distributorId) {
        if (!DISTRIBUTOR_ID.matcher(distributorId).matches()) {
            throw new IllegalArgumentException("invalid distributor id");
        }
        String keyId = "tlk_" + random(16);
        String secret = "tls_" + random(40);
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO host.api_keys (key_id, distributor_id, secret, created_at) "
                        + "VALUES (:k, :d, :s, :t)")
                .bind("k", keyId).bind("d", distributorId).bind("s", secret).bind("t", at(now)).execute());
        return new IssuedKey(keyId, secret, distributorId, now);
    }

    /** The live (not revoked) key {@code keyId}, if any. */
    public Optional<ActiveKey> active(String keyId) {
        long now = System.nanoTime();
        Cached c = cache.get(keyId);
        if (c != null && now - c.loadedNanos < CACHE_TTL.toNanos()) {
            return c.key;
        }
        Optional<ActiveKey> loaded = jdbi.withHandle(h -> h.createQuery("""
                        SELECT k.key_id, k.distributor_id, k.secret, l.per_minute, l.burst
                          FROM host.api_keys k LEFT JOIN host.rate_limits l ON l.distributor_id = k.distributor_id
                         WHERE k.key_id = :k AND k.revoked_at IS NULL""")
                .bind("k", keyId)
                .map((rs, ctx) -> {
                    long perMinute = rs.getLong("per_minute");
                    Optional<RateLimiter.Limit> limit = rs.wasNull() ? Optional.empty()
                            : Optional.of(new RateLimiter.Limit(perMinute, rs.getInt("burst")));
                    return new ActiveKey(rs.getString("key_id"), rs.getString("distributor_id"), rs.getString("secret"), limit);
                })
                .findOne());
        // Unknown ids are cached too, so a flood of made-up key ids costs one query per id per TTL.
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(keyId, new Cached(loaded, now));
        return loaded;
    }

    /** Revokes {@code keyId}; false if there was no live key of that id. */
    public boolean revoke(String keyId) {
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE host.api_keys SET revoked_at = :t WHERE key_id = :k AND revoked_at IS NULL")
                .bind("t", at(clock.instant())).bind("k", keyId).execute());
        cache.remove(keyId);
        return n == 1;
    }

    /** The keys of {@code distributorId}, newest first. */
    public List<KeyInfo> list(String distributorId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT key_id, distributor_id, created_at, revoked_at FROM host.api_keys "
                        + "WHERE distributor_id = :d ORDER BY created_at DESC, key_id")
                .bind("d", distributorId)
                .map((rs, ctx) -> new KeyInfo(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject(4, OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                .list());
    }

    /** Sets {@code distributorId}'s rate limit (replacing the platform default for it). */
    public void setLimit(String distributorId, RateLimiter.Limit limit) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO host.rate_limits (distributor_id, per_minute, burst) VALUES (:d, :p, :b)
                        ON CONFLICT (distributor_id) DO UPDATE SET per_minute = EXCLUDED.per_minute, burst = EXCLUDED.burst""")
                .bind("d", distributorId).bind("p", limit.perMinute()).bind("b", limit.burst()).execute());
        cache.clear();
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static String random(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(c);
    }

    private record Cached(Optional<ActiveKey> key, long loadedNanos) {
    }
}
