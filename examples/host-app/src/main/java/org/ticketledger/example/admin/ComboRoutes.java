package org.ticketledger.example.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.example.wire.FinanceViews;
import org.ticketledger.example.wire.Refusals;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.pool.SpotPrice;

/**
 * Admin routes for combo tickets, {@code /admin/v1/combos}: the platform publishes a combo over
 * several onboarded spots (a scenic price each, Σ S ≤ D), bound to the wealth plan its money is
 * invested in until the spots are paid or it expires, and takes it off sale. Distributors then see
 * it in their product sync and buy it through the ordinary order routes.
 */
public final class ComboRoutes implements ApiModule {

    private static final String BASE = "/admin/v1/combos";

    private final Ticketing ticketing;

    /** The routes over {@code ticketing}. */
    public ComboRoutes(Ticketing ticketing) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
    }

    static final ObjectNode COMBO = Schemas.object().open()
            .prop("id", Schemas.string("Product id"), true).prop("kind", Schemas.string("COMBO"), true)
            .prop("status", Schemas.string("PUBLISHED or UNPUBLISHED"), true)
            .prop("distributorPrice", Schemas.amount("D"), true)
            .prop("spots", Schemas.array(Schemas.object().prop("spotId", Schemas.string(), true)
                    .prop("scenicPrice", Schemas.amount("S_k"), true).build()), true)
            .prop("planId", Schemas.string("The wealth plan"), true)
            .prop("expiresOn", Schemas.string("Date; from 00:00 in the platform's time zone"), true)
            .prop("expiresAt", Schemas.string("Instant"), true).build();

    @Override
    public void register(Routes routes) {
        ObjectNode draft = Schemas.object()
                .prop("name", Schemas.string(), true).prop("description", Schemas.string(), false)
                .prop("distributorPrice", Schemas.amount("D: what distributors pay per ticket; invested until the spots are paid"), true)
                .prop("spots", Schemas.array(Schemas.object().prop("spotId", Schemas.string("An onboarded scenic spot"), true)
                        .prop("scenicPrice", Schemas.amount("S_k: what the spot receives when the ticket is redeemed there"), true)
                        .build()), true)
                .prop("validFrom", Schemas.string("First visit date"), true)
                .prop("validUntil", Schemas.string("Last visit date"), true)
                .prop("validDays", Schemas.integer("1-366 days of validity from the visit date"), true)
                .prop("expiresOn", Schemas.string("Expiry day, after validUntil: the plan is redeemed with its yield, the rest is breakage"), true)
                .prop("planId", Schemas.string("The Huijinbao wealth plan ([A-Za-z0-9_-]{1,64}); combos share a plan only with the same expiry"), true)
                .prop("usageRules", Schemas.string(), false).build();
        routes.post(BASE).access(Access.ADMIN).tag("admin-combos").operationId("publishCombo")
                .summary("Publish a combo ticket over 2-20 spots (each redeemable once, in any order)")
                .requestBody(draft)
                .response(201, "Published; distributors see it in their next product sync", COMBO)
                .handle(ctx -> {
                    ComboDraft d = draft(Routes.jsonBody(ctx));
                    ComboProduct c = Refusals.orThrow(ticketing.combos().publish(d, AdminParams.actor(ctx)));
                    ctx.header("Location", BASE + "/" + c.product().id());
                    Routes.json(ctx, 201, FinanceViews.combo(c));
                });
        routes.get(BASE).access(Access.ADMIN_READ).tag("admin-combos").operationId("listCombosByPlan")
                .summary("The combos invested in a wealth plan")
                .param("query", "planId", true, "string", "The wealth plan")
                .response(200, "Combos", Schemas.object().prop("items", Schemas.array(COMBO), true).build())
                .handle(ctx -> {
                    String plan = AdminParams.optionalId(ctx, "planId", 64)
                            .orElseThrow(() -> AdminParams.bad("planId", "is required"));
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    ticketing.combos().byPlan(plan).forEach(c -> items.add(FinanceViews.combo(c)));
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/{productId}").access(Access.ADMIN_READ).tag("admin-combos").operationId("getCombo")
                .summary("A combo (current version) with its plan and expiry")
                .response(200, "The combo", COMBO)
                .handle(ctx -> Routes.json(ctx, 200, FinanceViews.combo(combo(ctx))));
        routes.post(BASE + "/{productId}/unpublish").access(Access.ADMIN).tag("admin-combos").operationId("unpublishCombo")
                .summary("Take a combo off sale (tickets already sold stay valid until they expire)")
                .response(200, "Unpublished", COMBO)
                .handle(ctx -> {
                    ComboProduct c = combo(ctx);
                    Refusals.orThrow(ticketing.pool().unpublish(c.product().id(), AdminParams.actor(ctx)));
                    Routes.json(ctx, 200, FinanceViews.combo(combo(ctx)));
                });
    }

    private ComboProduct combo(Context ctx) {
        String id = ctx.pathParam("productId");
        return ticketing.combos().combo(id)
                .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_PRODUCT, "no combo product " + id));
    }

    private static ComboDraft draft(JsonBody b) {
        String name = b.requiredString("name", 100);
        String description = b.optionalString("description", 2000).orElse("");
        Money d = b.requiredAmount("distributorPrice", Money.CNY);
        List<SpotPrice> spots = new ArrayList<>();
        b.requiredObjects("spots", 2, 20, s -> {
            String spot = s.requiredString("spotId", 64);
            Money price = s.requiredAmount("scenicPrice", Money.CNY);
            spots.add(new SpotPrice(spot, price));
        });
        LocalDate from = b.requiredDate("validFrom");
        LocalDate until = b.requiredDate("validUntil");
        long days = b.requiredLong("validDays", 1, 366);
        LocalDate expires = b.requiredDate("expiresOn");
        String plan = b.requiredString("planId", 64);
        String rules = b.optionalString("usageRules", 2000).orElse("");
        b.done();
        return new ComboDraft(name, description, d, spots, from, until, (int) days, expires, plan, rules);
    }
}
