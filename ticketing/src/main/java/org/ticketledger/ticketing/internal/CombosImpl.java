package org.ticketledger.ticketing.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.combo.Combos;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SpotPrice;

/** {@link Combos} on Postgres: products of kind COMBO plus the plan they are invested in. */
final class CombosImpl implements Combos {

    /** The publisher of combos in {@code products.publisher_id}. */
    static final String PLATFORM = "platform";

    private final Ctx ctx;
    private final Book book;
    private final RailGateway rails;

    CombosImpl(Ctx ctx, Book book, RailGateway rails) {
        this.ctx = ctx;
        this.book = book;
        this.rails = rails;
    }

    @Override
    public Outcome<ComboProduct> publish(ComboDraft draft, String actor) {
        Optional<Problem> invalid = ctx.validation.check(draft);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        Optional<Platform> platformOpt = ctx.platform();
        if (platformOpt.isEmpty()) {
            return Outcome.refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
        }
        Platform platform = platformOpt.get();
        Currency currency = platform.currency();
        Optional<Problem> d = Amounts.positive("distributorPrice", draft.distributorPrice(), currency);
        if (d.isPresent()) {
            return Outcome.refused(d.get());
        }
        Set<String> seen = new HashSet<>();
        long sum = 0;
        for (int i = 0; i < draft.spots().size(); i++) {
            SpotPrice s = draft.spots().get(i);
            Optional<Problem> p = Amounts.positive("spots[" + i + "].scenicPrice", s.scenicPrice(), currency);
            if (p.isPresent()) {
                return Outcome.refused(p.get());
            }
            if (!seen.add(s.spotId())) {
                return Outcome.refused(field(ErrorCode.VALIDATION_FAILED, "spots[" + i + "].spotId",
                        "spot " + s.spotId() + " appears twice; a combo redeems once per spot"));
            }
            boolean onboarded = ctx.db.read(h -> h.createQuery("SELECT 1 FROM ticketing.parties WHERE party_id = :id"
                    + " AND kind = 'SCENIC_SPOT'").bind("id", s.spotId()).mapTo(Integer.class).findOne()).isPresent();
            if (!onboarded) {
                return Outcome.refused(ErrorCode.UNKNOWN_SCENIC_SPOT, "no scenic spot " + s.spotId() + " (spots[" + i + "])");
            }
            try {
                sum = Math.addExact(sum, s.scenicPrice().minor());
            } catch (ArithmeticException e) {
                return Outcome.refused(Amounts.outOfRange("the sum of the scenic prices"));
            }
        }
        if (sum > draft.distributorPrice().minor()) {
            return Outcome.refused(field(ErrorCode.INVALID_AMOUNT, "spots", "the scenic prices add up to "
                    + Money.of(sum, currency).toDecimalString() + ", more than the distributor price "
                    + draft.distributorPrice().toDecimalString()));
        }
        if (draft.validUntil().isBefore(draft.validFrom())) {
            return Outcome.refused(field(ErrorCode.VALIDATION_FAILED, "validUntil", "must not be before validFrom"));
        }
        if (!draft.expiresOn().isAfter(draft.validUntil())) {
            return Outcome.refused(field(ErrorCode.VALIDATION_FAILED, "expiresOn", "must be after validUntil"));
        }
        Instant expiresAt = expiresAt(draft.expiresOn(), platform);
        if (!expiresAt.isAfter(ctx.now())) {
            return Outcome.refused(field(ErrorCode.VALIDATION_FAILED, "expiresOn", "must be in the future"));
        }
        if (!platform.settlesOn(ctx.wealthRail) || !rails.hasWealth(ctx.wealthRail)) {
            return Outcome.refused(ErrorCode.UNSUPPORTED_RAIL, "combos are invested on " + ctx.wealthRail
                    + ": the platform needs a settlement account there and the rail must be registered with wealth plans");
        }
        book.openWealth(platform.ledger(), ctx.wealthRail);
        String id = Ids.next("p", ctx.clock);
        try {
            ctx.db.tx(h -> {
                Instant now = ctx.now();
                h.createUpdate("INSERT INTO ticketing.wealth_plans (plan_id, rail, close_id, currency, expires_at, state,"
                                + " created_at, updated_at) VALUES (:plan, :rail, :close, :cur, :exp, 'OPEN', :now, :now)"
                                + " ON CONFLICT (plan_id) DO NOTHING")
                        .bind("plan", draft.planId()).bind("rail", ctx.wealthRail.value()).bind("close", Ids.next("cls", ctx.clock))
                        .bind("cur", currency.getCurrencyCode()).bind("exp", Db.ts(expiresAt)).bind("now", Db.ts(now))
                        .execute();
                PlanRow plan = h.createQuery("SELECT state, rail, expires_at FROM ticketing.wealth_plans WHERE plan_id = :plan"
                                + " FOR UPDATE")
                        .bind("plan", draft.planId())
                        .map((rs, c) -> new PlanRow(rs.getString("state"), rs.getString("rail"), Db.instant(rs, "expires_at")))
                        .one();
                if (!"OPEN".equals(plan.state()) || !plan.expiresAt().equals(expiresAt) || !ctx.wealthRail.value().equals(plan.rail())) {
                    throw new Db.Refusal(Problem.of(ErrorCode.PLAN_NOT_OPEN, "plan " + draft.planId() + " is " + plan.state()
                            + " on " + plan.rail() + " and expires at " + plan.expiresAt() + "; a combo expiring at " + expiresAt
                            + " needs its own plan (one plan per expiry: the redeem-all at expiry closes the whole position)"));
                }
                long seq = h.createQuery("SELECT nextval('ticketing.pool_change_seq')").mapTo(Long.class).one();
                h.createUpdate("INSERT INTO ticketing.products (product_id, kind, publisher_id, status, current_version, change_seq,"
                                + " created_at, updated_at) VALUES (:id, 'COMBO', :pub, 'PUBLISHED', 1, :seq, :now, :now)")
                        .bind("id", id).bind("pub", PLATFORM).bind("seq", seq).bind("now", Db.ts(now)).execute();
                h.createUpdate("INSERT INTO ticketing.product_versions (product_id, version, name, description,"
                                + " distributor_price_minor, currency, valid_from, valid_until, valid_days, usage_rules, published_at)"
                                + " VALUES (:id, 1, :name, :desc, :d, :cur, :from, :until, :days, :rules, :now)")
                        .bind("id", id).bind("name", draft.name()).bind("desc", draft.description())
                        .bind("d", draft.distributorPrice().minor()).bind("cur", currency.getCurrencyCode())
                        .bind("from", draft.validFrom()).bind("until", draft.validUntil()).bind("days", draft.validDays())
                        .bind("rules", draft.usageRules()).bind("now", Db.ts(now)).execute();
                for (SpotPrice s : draft.spots()) {
                    h.createUpdate("INSERT INTO ticketing.product_spots (product_id, version, spot_id, scenic_price_minor)"
                                    + " VALUES (:id, 1, :spot, :s)")
                            .bind("id", id).bind("spot", s.spotId()).bind("s", s.scenicPrice().minor()).execute();
                }
                h.createUpdate("INSERT INTO ticketing.combo_products (product_id, plan_id, expires_on) VALUES (:id, :plan, :on)")
                        .bind("id", id).bind("plan", draft.planId()).bind("on", draft.expiresOn()).execute();
                Audit.record(h, ctx, actor, "combo.published", id, "v1 " + draft.name() + " D=" + draft.distributorPrice()
                        + " spots=" + draft.spots() + " plan=" + draft.planId() + " expires " + draft.expiresOn());
                return null;
            });
        } catch (Db.Refusal r) {
            return Outcome.refused(r.problem());
        }
        return Outcome.ok(combo(id).orElseThrow());
    }

    @Override
    public Optional<ComboProduct> combo(String productId) {
        return ctx.db.read(h -> load(h, productId));
    }

    @Override
    public List<ComboProduct> byPlan(String planId) {
        return ctx.db.read(h -> {
            List<ComboProduct> out = new ArrayList<>();
            for (String id : h.createQuery("SELECT product_id FROM ticketing.combo_products WHERE plan_id = :p ORDER BY product_id")
                    .bind("p", planId).mapTo(String.class).list()) {
                load(h, id).ifPresent(out::add);
            }
            return out;
        });
    }

    static Optional<ComboProduct> load(Handle h, String productId) {
        Optional<Product> product = PoolImpl.load(h, productId, Optional.empty());
        if (product.isEmpty()) {
            return Optional.empty();
        }
        return h.createQuery("SELECT c.plan_id, c.expires_on, w.expires_at FROM ticketing.combo_products c"
                        + " JOIN ticketing.wealth_plans w ON w.plan_id = c.plan_id WHERE c.product_id = :id")
                .bind("id", productId)
                .map((rs, c) -> new ComboProduct(product.get(), PlanId.of(rs.getString("plan_id")), Db.date(rs, "expires_on"),
                        Db.instant(rs, "expires_at")))
                .findOne();
    }

    static Instant expiresAt(LocalDate expiresOn, Platform platform) {
        return expiresOn.atStartOfDay(platform.timeZone()).toInstant();
    }

    private record PlanRow(String state, String rail, Instant expiresAt) {
    }

    private static Problem field(ErrorCode code, String path, String message) {
        return new Problem(code, path + ": " + message, List.of(new Problem.FieldError(path, message)));
    }
}
