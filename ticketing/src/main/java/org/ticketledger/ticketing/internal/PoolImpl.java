package org.ticketledger.ticketing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.pool.Overlay;
import org.ticketledger.ticketing.pool.OverlayDraft;
import org.ticketledger.ticketing.pool.PoolItem;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.ProductKind;
import org.ticketledger.ticketing.pool.ProductStatus;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.pool.SyncPage;
import org.ticketledger.ticketing.pool.TicketPool;

/** {@link TicketPool} on Postgres. */
final class PoolImpl implements TicketPool {

    private static final String PRODUCT_SELECT = "SELECT p.product_id, p.kind, p.publisher_id, p.status, p.current_version,"
            + " p.change_seq, v.version, v.name, v.description, v.distributor_price_minor, v.currency, v.valid_from,"
            + " v.valid_until, v.valid_days, v.usage_rules, v.published_at FROM ticketing.products p"
            + " JOIN ticketing.product_versions v ON v.product_id = p.product_id";

    private final Ctx ctx;

    PoolImpl(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public Outcome<Product> publish(SingleTicketDraft draft, String actor) {
        Optional<Problem> problem = check(draft);
        if (problem.isPresent()) {
            return Outcome.refused(problem.get());
        }
        String id = Ids.next("p", ctx.clock);
        ctx.db.tx(h -> {
            long seq = nextChange(h);
            h.createUpdate("INSERT INTO ticketing.products (product_id, kind, publisher_id, status, current_version, change_seq,"
                            + " created_at, updated_at) VALUES (:id, 'SINGLE', :pub, 'PUBLISHED', 1, :seq, :now, :now)")
                    .bind("id", id)
                    .bind("pub", draft.spotId())
                    .bind("seq", seq)
                    .bind("now", Db.ts(ctx.now()))
                    .execute();
            insertVersion(h, id, 1, draft);
            Audit.record(h, ctx, actor, "product.published", id, "v1 " + draft.name() + " D=" + draft.distributorPrice()
                    + " S=" + draft.scenicPrice());
            return null;
        });
        return Outcome.ok(product(id).orElseThrow());
    }

    @Override
    public Outcome<Product> update(String productId, SingleTicketDraft draft, String actor) {
        Optional<Product> existing = product(productId);
        if (existing.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PRODUCT, "no product " + productId);
        }
        if (existing.get().kind() != ProductKind.SINGLE || !existing.get().publisherId().equals(draft.spotId())) {
            return Outcome.refused(ErrorCode.WRONG_SCENIC_SPOT, "product " + productId + " was published by "
                    + existing.get().publisherId() + ", not " + draft.spotId());
        }
        Optional<Problem> problem = check(draft);
        if (problem.isPresent()) {
            return Outcome.refused(problem.get());
        }
        ctx.db.tx(h -> {
            int version = h.createQuery("SELECT current_version FROM ticketing.products WHERE product_id = :id FOR UPDATE")
                    .bind("id", productId).mapTo(Integer.class).one() + 1;
            insertVersion(h, productId, version, draft);
            h.createUpdate("UPDATE ticketing.products SET current_version = :v, status = 'PUBLISHED', change_seq = :seq,"
                            + " updated_at = :now WHERE product_id = :id")
                    .bind("v", version)
                    .bind("seq", nextChange(h))
                    .bind("now", Db.ts(ctx.now()))
                    .bind("id", productId)
                    .execute();
            Audit.record(h, ctx, actor, "product.updated", productId, "v" + version + " " + draft.name() + " D="
                    + draft.distributorPrice() + " S=" + draft.scenicPrice());
            return null;
        });
        return Outcome.ok(product(productId).orElseThrow());
    }

    @Override
    public Outcome<Product> unpublish(String productId, String actor) {
        Optional<Product> existing = product(productId);
        if (existing.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PRODUCT, "no product " + productId);
        }
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.products SET status = 'UNPUBLISHED', change_seq = nextval('ticketing.pool_change_seq'),"
                            + " updated_at = :now WHERE product_id = :id AND status = 'PUBLISHED'")
                    .bind("now", Db.ts(ctx.now()))
                    .bind("id", productId)
                    .execute();
            if (n > 0) {
                Audit.record(h, ctx, actor, "product.unpublished", productId, "");
            }
            return null;
        });
        return Outcome.ok(product(productId).orElseThrow());
    }

    @Override
    public Optional<Product> product(String productId) {
        return ctx.db.read(h -> load(h, productId, Optional.empty()));
    }

    @Override
    public Optional<Product> product(String productId, int version) {
        return ctx.db.read(h -> load(h, productId, Optional.of(version)));
    }

    static Optional<Product> load(Handle h, String productId, Optional<Integer> version) {
        // The version's spots come with it (one round trip; every order reads its product).
        return h.createQuery(PRODUCT_SELECT.replace(" FROM ticketing.products p", ", ARRAY(SELECT s.spot_id FROM ticketing.product_spots s"
                        + " WHERE s.product_id = p.product_id AND s.version = v.version ORDER BY s.spot_id) AS spot_ids,"
                        + " ARRAY(SELECT s.scenic_price_minor FROM ticketing.product_spots s WHERE s.product_id = p.product_id"
                        + " AND s.version = v.version ORDER BY s.spot_id) AS spot_prices FROM ticketing.products p")
                        + " WHERE p.product_id = :id AND v.version = " + (version.isPresent() ? ":v" : "p.current_version"))
                .bind("id", productId)
                .bind("v", version.orElse(0))
                .map((rs, c) -> {
                    Product p = product(rs, List.of());
                    String[] ids = (String[]) rs.getArray("spot_ids").getArray();
                    Long[] prices = (Long[]) rs.getArray("spot_prices").getArray();
                    List<SpotPrice> spots = new ArrayList<>(ids.length);
                    for (int i = 0; i < ids.length; i++) {
                        spots.add(new SpotPrice(ids[i], Money.of(prices[i], p.distributorPrice().currency())));
                    }
                    return new Product(p.id(), p.kind(), p.publisherId(), p.status(), p.version(), p.currentVersion(),
                            p.name(), p.description(), p.distributorPrice(), spots, p.validFrom(), p.validUntil(), p.validDays(),
                            p.usageRules(), p.changeSeq(), p.publishedAt());
                })
                .findOne();
    }

    @Override
    public Outcome<SyncPage> sync(String distributorId, long cursor, int limit) {
        if (cursor < 0 || limit < 1 || limit > 500) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: cursor must be >= 0 and limit 1-500",
                    List.of(new Problem.FieldError(cursor < 0 ? "cursor" : "limit", cursor < 0 ? "must be >= 0" : "must be 1-500"))));
        }
        if (!isDistributor(distributorId)) {
            return Outcome.refused(ErrorCode.UNKNOWN_DISTRIBUTOR, "no distributor " + distributorId);
        }
        return Outcome.ok(ctx.db.read(h -> {
            List<String> ids = h.createQuery("SELECT product_id FROM ticketing.products WHERE change_seq > :c"
                            + " ORDER BY change_seq LIMIT :n")
                    .bind("c", cursor)
                    .bind("n", limit + 1)
                    .mapTo(String.class)
                    .list();
            boolean more = ids.size() > limit;
            List<PoolItem> items = new ArrayList<>();
            long next = cursor;
            for (String id : ids.subList(0, Math.min(limit, ids.size()))) {
                Product p = load(h, id, Optional.empty()).orElseThrow();
                items.add(new PoolItem(p, loadOverlay(h, distributorId, id)));
                next = Math.max(next, p.changeSeq());
            }
            return new SyncPage(items, next, more);
        }));
    }

    @Override
    public Outcome<Overlay> setOverlay(String distributorId, String productId, OverlayDraft draft) {
        Optional<Problem> invalid = ctx.validation.check(draft);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return Outcome.refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
        }
        if (!isDistributor(distributorId)) {
            return Outcome.refused(ErrorCode.UNKNOWN_DISTRIBUTOR, "no distributor " + distributorId);
        }
        if (product(productId).isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PRODUCT, "no product " + productId);
        }
        Optional<Problem> money = Amounts.nonNegative("retailPrice", draft.retailPrice(), platform.get().currency());
        if (money.isPresent()) {
            return Outcome.refused(money.get());
        }
        ctx.db.tx(h -> h.createUpdate("INSERT INTO ticketing.distributor_overlays (distributor_id, product_id, name, description,"
                        + " retail_price_minor, currency, updated_at) VALUES (:d, :p, :n, :desc, :price, :cur, :now)"
                        + " ON CONFLICT (distributor_id, product_id) DO UPDATE SET name = :n, description = :desc,"
                        + " retail_price_minor = :price, currency = :cur, updated_at = :now")
                .bind("d", distributorId)
                .bind("p", productId)
                .bind("n", draft.name())
                .bind("desc", draft.description())
                .bind("price", draft.retailPrice().minor())
                .bind("cur", draft.retailPrice().currency().getCurrencyCode())
                .bind("now", Db.ts(ctx.now()))
                .execute());
        return Outcome.ok(overlay(distributorId, productId).orElseThrow());
    }

    @Override
    public Optional<Overlay> overlay(String distributorId, String productId) {
        return ctx.db.read(h -> loadOverlay(h, distributorId, productId));
    }

    private static Optional<Overlay> loadOverlay(Handle h, String distributorId, String productId) {
        return h.createQuery("SELECT * FROM ticketing.distributor_overlays WHERE distributor_id = :d AND product_id = :p")
                .bind("d", distributorId)
                .bind("p", productId)
                .map((rs, c) -> new Overlay(rs.getString("distributor_id"), rs.getString("product_id"), rs.getString("name"),
                        rs.getString("description"),
                        Money.of(rs.getLong("retail_price_minor"), Currency.getInstance(rs.getString("currency"))),
                        Db.instant(rs, "updated_at")))
                .findOne();
    }

    private boolean isDistributor(String id) {
        return ctx.db.read(h -> h.createQuery("SELECT 1 FROM ticketing.parties WHERE party_id = :id AND kind = 'DISTRIBUTOR'")
                .bind("id", id).mapTo(Integer.class).findOne()).isPresent();
    }

    private Optional<Problem> check(SingleTicketDraft draft) {
        Optional<Problem> invalid = ctx.validation.check(draft);
        if (invalid.isPresent()) {
            return invalid;
        }
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return Optional.of(Problem.of(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first"));
        }
        boolean spot = ctx.db.read(h -> h.createQuery("SELECT 1 FROM ticketing.parties WHERE party_id = :id AND kind = 'SCENIC_SPOT'")
                .bind("id", draft.spotId()).mapTo(Integer.class).findOne()).isPresent();
        if (!spot) {
            return Optional.of(Problem.of(ErrorCode.UNKNOWN_SCENIC_SPOT, "no scenic spot " + draft.spotId()));
        }
        Currency currency = platform.get().currency();
        Optional<Problem> d = Amounts.positive("distributorPrice", draft.distributorPrice(), currency);
        if (d.isPresent()) {
            return d;
        }
        Optional<Problem> s = Amounts.positive("scenicPrice", draft.scenicPrice(), currency);
        if (s.isPresent()) {
            return s;
        }
        if (draft.scenicPrice().isGreaterThan(draft.distributorPrice())) {
            return Optional.of(new Problem(ErrorCode.INVALID_AMOUNT, "the scenic price " + draft.scenicPrice().toDecimalString()
                    + " exceeds the distributor price " + draft.distributorPrice().toDecimalString(),
                    List.of(new Problem.FieldError("scenicPrice", "must not exceed distributorPrice"))));
        }
        if (draft.validUntil().isBefore(draft.validFrom())) {
            return Optional.of(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: validUntil is before validFrom",
                    List.of(new Problem.FieldError("validUntil", "must not be before validFrom"))));
        }
        return Optional.empty();
    }

    private void insertVersion(Handle h, String id, int version, SingleTicketDraft d) {
        h.createUpdate("INSERT INTO ticketing.product_versions (product_id, version, name, description, distributor_price_minor,"
                        + " currency, valid_from, valid_until, valid_days, usage_rules, published_at)"
                        + " VALUES (:id, :v, :name, :desc, :d, :cur, :from, :until, :days, :rules, :now)")
                .bind("id", id)
                .bind("v", version)
                .bind("name", d.name())
                .bind("desc", d.description())
                .bind("d", d.distributorPrice().minor())
                .bind("cur", d.distributorPrice().currency().getCurrencyCode())
                .bind("from", d.validFrom())
                .bind("until", d.validUntil())
                .bind("days", d.validDays())
                .bind("rules", d.usageRules())
                .bind("now", Db.ts(ctx.now()))
                .execute();
        h.createUpdate("INSERT INTO ticketing.product_spots (product_id, version, spot_id, scenic_price_minor)"
                        + " VALUES (:id, :v, :spot, :s)")
                .bind("id", id)
                .bind("v", version)
                .bind("spot", d.spotId())
                .bind("s", d.scenicPrice().minor())
                .execute();
    }

    private static long nextChange(Handle h) {
        return h.createQuery("SELECT nextval('ticketing.pool_change_seq')").mapTo(Long.class).one();
    }

    private static Product product(ResultSet rs, List<SpotPrice> spots) throws SQLException {
        Currency cur = Currency.getInstance(rs.getString("currency"));
        Instant published = Db.instant(rs, "published_at");
        return new Product(rs.getString("product_id"), ProductKind.valueOf(rs.getString("kind")), rs.getString("publisher_id"),
                ProductStatus.valueOf(rs.getString("status")), rs.getInt("version"), rs.getInt("current_version"),
                rs.getString("name"), rs.getString("description"), Money.of(rs.getLong("distributor_price_minor"), cur),
                spots, Db.date(rs, "valid_from"), Db.date(rs, "valid_until"), rs.getInt("valid_days"),
                rs.getString("usage_rules"), rs.getLong("change_seq"), published);
    }
}
