package org.ticketledger.ticketing.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.codes.Codes;
import org.ticketledger.ticketing.codes.SigningKeyInfo;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.Revocation;
import org.ticketledger.verify.RevocationDelta;

/**
 * Key set and revocation list. Revocations are numbered from counter {@code revocations} under its
 * row lock, so numbers grow in commit order and a delta reader never skips a late commit.
 */
final class CodesImpl implements Codes {

    /** Entries of tickets expired longer than this are left out of full lists. */
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);

    private final Ctx ctx;
    private final SigningKeys keys;

    CodesImpl(Ctx ctx, SigningKeys keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    @Override
    public KeySet keySet() {
        return keys.keySet();
    }

    @Override
    public List<SigningKeyInfo> signingKeys() {
        return keys.infos();
    }

    @Override
    public Outcome<IssuerKey> rotate(String actor) {
        Instant now = ctx.now();
        SigningKeys.Key k = ctx.db.tx(h -> {
            h.execute("SELECT pg_advisory_xact_lock(727001)");
            int expired = h.createUpdate("UPDATE ticketing.signing_keys SET removed_at = :now, removed_why = 'expired'"
                            + " WHERE removed_at IS NULL AND not_after < :cut")
                    .bind("now", Db.ts(now)).bind("cut", Db.ts(now.minus(KEEP_EXPIRED))).execute();
            if (expired > 0) {
                SigningKeys.bumpVersion(h);
            }
            return keys.insert(h, now, now.plus(keys.policy().publishLead()), actor);
        });
        keys.load();
        return Outcome.ok(k.issuerKey());
    }

    @Override
    public Outcome<SigningKeyInfo> removeKey(int keyId, String reason, String actor) {
        Instant now = ctx.now();
        try {
            ctx.db.tx(h -> {
                h.execute("SELECT pg_advisory_xact_lock(727001)");
                List<Integer> live = h.createQuery("SELECT key_id FROM ticketing.signing_keys WHERE removed_at IS NULL")
                        .mapTo(Integer.class).list();
                if (!live.contains(keyId)) {
                    throw new Db.Refusal(org.ticketledger.ticketing.Problem.of(ErrorCode.UNKNOWN_SIGNING_KEY,
                            "no published issuer key " + keyId));
                }
                boolean otherCanSign = h.createQuery("SELECT 1 FROM ticketing.signing_keys WHERE removed_at IS NULL"
                                + " AND key_id <> :id AND sign_from <= :now LIMIT 1")
                        .bind("id", keyId).bind("now", Db.ts(now)).mapTo(Integer.class).findOne().isPresent();
                if (!otherCanSign) {
                    throw new Db.Refusal(org.ticketledger.ticketing.Problem.of(ErrorCode.INVALID_STATE,
                            "key " + keyId + " is the only key that can sign now; rotate first (or accept that issuance"
                                    + " stops until the new key signs)"));
                }
                h.createUpdate("UPDATE ticketing.signing_keys SET removed_at = :now, removed_why = :why WHERE key_id = :id")
                        .bind("now", Db.ts(now)).bind("why", reason).bind("id", keyId).execute();
                SigningKeys.bumpVersion(h);
                Audit.record(h, ctx, actor, "signing-key.removed", "key " + keyId, reason);
                return null;
            });
        } catch (Db.Refusal r) {
            return Outcome.refused(r.problem());
        }
        keys.load();
        return Outcome.ok(keys.infos().stream().filter(i -> i.keyId() == keyId).findFirst().orElseThrow());
    }

    @Override
    public RevocationDelta revocations(long since) {
        if (since < 0) {
            throw new IllegalArgumentException("since must not be negative: " + since);
        }
        Instant now = ctx.now();
        return ctx.db.read(h -> {
            long version = revocationVersion(h);
            if (since == 0 || since > version) {
                List<Revocation> all = h.createQuery("SELECT * FROM ticketing.revocations WHERE expires_at > :cut ORDER BY version")
                        .bind("cut", Db.ts(now.minus(KEEP_EXPIRED))).map((rs, c) -> row(rs)).list();
                return new RevocationDelta(0, version, true, all);
            }
            List<Revocation> delta = h.createQuery("SELECT * FROM ticketing.revocations WHERE version > :since ORDER BY version")
                    .bind("since", since).map((rs, c) -> row(rs)).list();
            return new RevocationDelta(since, version, false, delta);
        });
    }

    @Override
    public long revocationVersion() {
        return ctx.db.read(CodesImpl::revocationVersion);
    }

    static long revocationVersion(Handle h) {
        return h.createQuery("SELECT value FROM ticketing.device_counters WHERE name = 'revocations'").mapTo(Long.class).one();
    }

    private static Revocation row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Revocation(rs.getLong("code_ticket_id"), Db.instant(rs, "revoked_at"), Db.instant(rs, "expires_at"),
                rs.getString("reason"));
    }

    /** Adds the ticket to the revocation list inside the caller's transaction (once per ticket). */
    static void revoke(Handle h, Ctx ctx, Ticket t, String reason) {
        boolean exists = h.createQuery("SELECT 1 FROM ticketing.revocations WHERE ticket_id = :t").bind("t", t.id())
                .mapTo(Integer.class).findOne().isPresent();
        if (exists) {
            return;
        }
        long version = h.createQuery("UPDATE ticketing.device_counters SET value = value + 1 WHERE name = 'revocations'"
                + " RETURNING value").mapTo(Long.class).one();
        h.createUpdate("INSERT INTO ticketing.revocations (version, ticket_id, code_ticket_id, reason, revoked_at, expires_at)"
                        + " VALUES (:v, :t, :no, :why, :now, :until)")
                .bind("v", version).bind("t", t.id()).bind("no", Long.parseLong(t.number())).bind("why", reason)
                .bind("now", Db.ts(ctx.now())).bind("until", Db.ts(t.validUntil()))
                .execute();
    }

    /** The revocation of a ticket number, if any: (revokedAt, reason). */
    static Optional<Revocation> revocationOf(Handle h, long ticketNumber) {
        return h.createQuery("SELECT * FROM ticketing.revocations WHERE code_ticket_id = :no ORDER BY version LIMIT 1")
                .bind("no", ticketNumber).map((rs, c) -> row(rs)).findOne();
    }
}
