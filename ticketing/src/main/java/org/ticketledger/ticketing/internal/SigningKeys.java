package org.ticketledger.ticketing.internal;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.UnableToStartException;
import org.ticketledger.ticketing.codes.KeyPolicy;
import org.ticketledger.ticketing.codes.SigningKeyInfo;
import org.ticketledger.ticketing.spi.KeyProtector;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;

/**
 * Issuer keys in table {@code signing_keys}, with an in-memory snapshot (private halves opened) for
 * minting and for judging online redeems. The snapshot is reloaded when this instance changes keys
 * and otherwise at most {@link #STALE} after the last load: another instance's new key signs only
 * after the publish lead (hours), so a stale snapshot signs with the previous key, which is still
 * valid. Thread-safe.
 */
final class SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    static final Duration STALE = Duration.ofSeconds(60);

    /** One key with the signer of its private half (empty for removed keys, which never sign). */
    record Key(int id, ECPublicKey publicKey, Optional<P256Signer> signer, Instant notBefore, Instant signFrom,
               Instant notAfter, Optional<Instant> removedAt) {

        IssuerKey issuerKey() {
            return new IssuerKey(id, publicKey, notBefore, notAfter);
        }
    }

    private record Snapshot(List<Key> keys, long loadedAtNanos) {
    }

    private final Ctx ctx;
    private final KeyProtector protector;
    private final KeyPolicy policy;
    private final ReentrantLock reload = new ReentrantLock();
    private volatile Snapshot snapshot;

    SigningKeys(Ctx ctx, KeyProtector protector, KeyPolicy policy) {
        this.ctx = ctx;
        this.protector = protector;
        this.policy = policy;
    }

    KeyPolicy policy() {
        return policy;
    }

    /**
     * Creates the first key if there is none (it signs at once: no device knows any key yet), then
     * loads the snapshot.
     *
     * @throws UnableToStartException if stored keys were sealed under another scheme or master key
     */
    void ensureKey() {
        if (protector.scheme().equals("NONE")) {
            LOG.warn("issuer private keys are stored unencrypted; configure a KeyProtector (e.g. KeyProtector.aesGcm) in production");
        }
        ctx.db.tx(h -> {
            h.execute("SELECT pg_advisory_xact_lock(727001)");
            boolean any = h.createQuery("SELECT 1 FROM ticketing.signing_keys WHERE removed_at IS NULL LIMIT 1")
                    .mapTo(Integer.class).findOne().isPresent();
            if (!any) {
                Instant now = ctx.now();
                insert(h, now, now, "ticketing");
            }
            return null;
        });
        try {
            load();
        } catch (IllegalArgumentException e) {
            throw new UnableToStartException("issuer keys cannot be opened: " + e.getMessage(), e);
        }
    }

    /** Inserts a new key and bumps the key-set version; returns it. Caller holds the advisory lock. */
    Key insert(Handle h, Instant notBefore, Instant signFrom, String actor) {
        int id = h.createQuery("SELECT COALESCE(MAX(key_id) + 1, 1) FROM ticketing.signing_keys").mapTo(Integer.class).one();
        if (id > 65535) {
            throw new TicketingException("issuer key ids are exhausted (65535)");
        }
        KeyPair pair = EcP256.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        Instant notAfter = signFrom.plus(policy.lifetime());
        h.createUpdate("INSERT INTO ticketing.signing_keys (key_id, public_x, public_y, private_key, protection, not_before,"
                        + " sign_from, not_after, created_at, created_by) VALUES (:id, :x, :y, :priv, :prot, :nb, :sf, :na, :now, :by)")
                .bind("id", id).bind("x", EcP256.x(pub)).bind("y", EcP256.y(pub))
                .bind("priv", protector.seal(pair.getPrivate().getEncoded())).bind("prot", protector.scheme())
                .bind("nb", Db.ts(notBefore)).bind("sf", Db.ts(signFrom)).bind("na", Db.ts(notAfter))
                .bind("now", Db.ts(ctx.now())).bind("by", actor)
                .execute();
        bumpVersion(h);
        Audit.record(h, ctx, actor, "signing-key.created", "key " + id, "signs from " + signFrom + ", valid until " + notAfter);
        LOG.info("issuer key {} published; signs from {}, valid until {}", id, signFrom, notAfter);
        return new Key(id, pub, Optional.of(P256Signer.of((ECPrivateKey) pair.getPrivate(), pub)), notBefore, signFrom, notAfter,
                Optional.empty());
    }

    static long bumpVersion(Handle h) {
        return h.createQuery("UPDATE ticketing.device_counters SET value = value + 1 WHERE name = 'key_set' RETURNING value")
                .mapTo(Long.class).one();
    }

    /** Reloads the snapshot from the table. */
    void load() {
        List<Key> keys = ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.signing_keys ORDER BY key_id")
                .map((rs, c) -> {
                    int id = rs.getInt("key_id");
                    Optional<Instant> removed = Db.optInstant(rs, "removed_at");
                    ECPublicKey pub = EcP256.publicKey(rs.getBytes("public_x"), rs.getBytes("public_y"));
                    Optional<P256Signer> signer = Optional.empty();
                    if (removed.isEmpty()) {
                        String scheme = rs.getString("protection");
                        if (!scheme.equals(protector.scheme())) {
                            throw new IllegalArgumentException("issuer key " + id + " is protected as " + scheme
                                    + " but this process uses " + protector.scheme());
                        }
                        // The signer takes the key's words once here, not on every signature.
                        signer = Optional.of(P256Signer.of(EcP256.privateKeyFromPkcs8(protector.open(rs.getBytes("private_key"))), pub));
                    }
                    return new Key(id, pub, signer,
                            Db.instant(rs, "not_before"), Db.instant(rs, "sign_from"), Db.instant(rs, "not_after"), removed);
                })
                .list());
        snapshot = new Snapshot(List.copyOf(keys), System.nanoTime());
    }

    private List<Key> keys() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.loadedAtNanos() > STALE.toNanos()) {
            // One thread reloads; the others go on with the snapshot they have.
            if (reload.tryLock()) {
                try {
                    load();
                } finally {
                    reload.unlock();
                }
            }
            s = snapshot;
            if (s == null) {
                throw new TicketingException("issuer keys are not loaded yet");
            }
        }
        return s.keys();
    }

    /** The key that signs at {@code now}: the newest not removed whose signFrom has passed. */
    Key signingKey(Instant now) {
        return keys().stream()
                .filter(k -> k.removedAt().isEmpty() && !k.signFrom().isAfter(now))
                .max(Comparator.comparing(Key::signFrom).thenComparing(Key::id))
                .orElseThrow(() -> new TicketingException("no issuer key can sign at " + now));
    }

    /** A key of the published set (not removed), for verification. */
    Optional<Key> published(int keyId) {
        return keys().stream().filter(k -> k.id() == keyId && k.removedAt().isEmpty()).findFirst();
    }

    /** The published set as stored now (read from the table, not the snapshot: the ETag must be exact). */
    KeySet keySet() {
        return ctx.db.read(h -> {
            long version = h.createQuery("SELECT value FROM ticketing.device_counters WHERE name = 'key_set'")
                    .mapTo(Long.class).one();
            List<IssuerKey> keys = h.createQuery("SELECT key_id, public_x, public_y, not_before, not_after"
                            + " FROM ticketing.signing_keys WHERE removed_at IS NULL ORDER BY key_id")
                    .map((rs, c) -> new IssuerKey(rs.getInt("key_id"), EcP256.publicKey(rs.getBytes("public_x"),
                            rs.getBytes("public_y")), Db.instant(rs, "not_before"), Db.instant(rs, "not_after")))
                    .list();
            return new KeySet(version, keys);
        });
    }

    List<SigningKeyInfo> infos() {
        Instant now = ctx.now();
        load();
        List<Key> all = snapshot.keys();
        Optional<Integer> signing = all.stream()
                .filter(k -> k.removedAt().isEmpty() && !k.signFrom().isAfter(now))
                .max(Comparator.comparing(Key::signFrom).thenComparing(Key::id)).map(Key::id);
        return all.stream().map(k -> new SigningKeyInfo(k.id(), k.notBefore(), k.signFrom(), k.notAfter(), k.removedAt(),
                signing.isPresent() && signing.get() == k.id())).toList();
    }
}
