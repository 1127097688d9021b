package org.ticketledger.ticketing.internal;

import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.fee.Fees;

/** {@link Fees} on Postgres: one row per (kind, party), {@code '*'} for the default. */
final class FeesImpl implements Fees {

    private static final String DEFAULT = "*";

    private final Ctx ctx;

    FeesImpl(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public Outcome<FeeRule> setDefault(FeeKind kind, FeeRule rule, String actor) {
        return set(DEFAULT, kind, rule, actor);
    }

    @Override
    public Outcome<FeeRule> setOverride(String partyId, FeeKind kind, FeeRule rule, String actor) {
        String expected = kind == FeeKind.ISSUANCE ? "DISTRIBUTOR" : "SCENIC_SPOT";
        Optional<String> partyKind = ctx.db.read(h -> h.createQuery("SELECT kind FROM ticketing.parties WHERE party_id = :id")
                .bind("id", partyId).mapTo(String.class).findOne());
        if (partyKind.isEmpty() || !partyKind.get().equals(expected)) {
            return Outcome.refused(kind == FeeKind.ISSUANCE ? ErrorCode.UNKNOWN_DISTRIBUTOR : ErrorCode.UNKNOWN_SCENIC_SPOT,
                    kind + " fees are overridden per " + (kind == FeeKind.ISSUANCE ? "distributor" : "scenic spot")
                            + "; no such party " + partyId);
        }
        return set(partyId, kind, rule, actor);
    }

    @Override
    public Outcome<FeeRule> removeOverride(String partyId, FeeKind kind, String actor) {
        int n = ctx.db.tx(h -> {
            int deleted = h.createUpdate("DELETE FROM ticketing.fee_rules WHERE kind = :k AND party_id = :p")
                    .bind("k", kind.name()).bind("p", partyId).execute();
            if (deleted > 0) {
                Audit.record(h, ctx, actor, "fee.override-removed", partyId, kind.name());
            }
            return deleted;
        });
        if (n == 0) {
            return Outcome.refused(ErrorCode.UNKNOWN_PARTY, "no " + kind + " fee override for " + partyId);
        }
        return Outcome.ok(effective(kind, partyId));
    }

    @Override
    public FeeRule effective(FeeKind kind, String partyId) {
        return ctx.db.read(h -> effective(h, kind, partyId));
    }

    /**
     * The rule in force for the party bound as {@code :partyParam} and the kind bound as
     * {@code :kindParam}: its own, else the platform's ({@code '*'}). One spelling for every query
     * that selects a rule, so a statement that checks "the rule is still the one I was given" can
     * never select differently from {@link #effective}.
     */
    static String ruleInForce(String kindParam, String partyParam) {
        return " FROM ticketing.fee_rules WHERE kind = :" + kindParam + " AND party_id IN (:" + partyParam + ", '*')"
                + " ORDER BY (party_id = '*') LIMIT 1";
    }

    /**
     * The {@link #key} of the rule {@link #ruleInForce} selects, or the value bound as
     * {@code :noFeeParam} if there is none (bind {@code key(FeeRule.NONE)}): for a statement that
     * must only act while a rule it was given is still in force.
     */
    static String ruleKeySql(String kindParam, String partyParam, String noFeeParam) {
        return "COALESCE((SELECT concat_ws(':', fixed_minor, basis_points, min_minor, max_minor)"
                + ruleInForce(kindParam, partyParam) + "), :" + noFeeParam + ")";
    }

    /** The rule as {@link #ruleKeySql} spells it. */
    static String key(FeeRule r) {
        return r.fixedMinor() + ":" + r.basisPoints() + ":" + r.minMinor() + (r.maxMinor().isPresent() ? ":" + r.maxMinor().getAsLong() : "");
    }

    /** The rule in force for {@code partyId}, read on the caller's handle (inside its transaction). */
    static FeeRule effective(Handle h, FeeKind kind, String partyId) {
        return h.createQuery("SELECT fixed_minor, basis_points, min_minor, max_minor" + ruleInForce("k", "p"))
                .bind("k", kind.name())
                .bind("p", partyId)
                .map((rs, c) -> {
                    long max = rs.getLong("max_minor");
                    OptionalLong m = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(max);
                    return new FeeRule(rs.getLong("fixed_minor"), rs.getInt("basis_points"), rs.getLong("min_minor"), m);
                })
                .findOne()
                .orElse(FeeRule.NONE);
    }

    private Outcome<FeeRule> set(String partyId, FeeKind kind, FeeRule rule, String actor) {
        Optional<Problem> invalid = ctx.validation.check(rule);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        ctx.db.tx(h -> {
            h.createUpdate("INSERT INTO ticketing.fee_rules (kind, party_id, fixed_minor, basis_points, min_minor, max_minor,"
                            + " version, updated_at, updated_by) VALUES (:k, :p, :f, :bp, :min, :max, 1, :now, :by)"
                            + " ON CONFLICT (kind, party_id) DO UPDATE SET fixed_minor = :f, basis_points = :bp, min_minor = :min,"
                            + " max_minor = :max, version = ticketing.fee_rules.version + 1, updated_at = :now, updated_by = :by")
                    .bind("k", kind.name())
                    .bind("p", partyId)
                    .bind("f", rule.fixedMinor())
                    .bind("bp", rule.basisPoints())
                    .bind("min", rule.minMinor())
                    .bind("max", rule.maxMinor().isPresent() ? rule.maxMinor().getAsLong() : null)
                    .bind("now", Db.ts(ctx.now()))
                    .bind("by", actor)
                    .execute();
            Audit.record(h, ctx, actor, "fee.set", partyId.equals(DEFAULT) ? "platform" : partyId, kind + " " + rule);
            return null;
        });
        return Outcome.ok(rule);
    }
}
