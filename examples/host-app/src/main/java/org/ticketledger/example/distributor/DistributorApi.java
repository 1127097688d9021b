package org.ticketledger.example.distributor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.example.idempotency.IdempotencyFilter;
import org.ticketledger.example.wire.Refusals;
import org.ticketledger.example.wire.Views;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.pool.OverlayDraft;
import org.ticketledger.ticketing.pool.ProductKind;
import org.ticketledger.ticketing.pool.SyncPage;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * The distributor API, {@code /distributor/v1}: product sync with a cursor, orders (create with
 * Idempotency-Key, get, reapply after a top-up, list changed since), tickets (get, refund) and the
 * distributor's account. Every route is HMAC-authenticated; a distributor only ever sees its own
 * orders and tickets (someone else's answer 404, as if they did not exist).
 */
public final class DistributorApi implements ApiModule {

    private static final String BASE = "/distributor/v1";
    private static final int MAX_LIMIT = 200;

    private final Ticketing ticketing;
    private final Jdbi jdbi;

    /** The API over {@code ticketing}; {@code jdbi} reads the order lists (same database). */
    public DistributorApi(Ticketing ticketing, Jdbi jdbi) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public void register(Routes routes) {
        ObjectNode product = Schemas.object()
                .prop("id", Schemas.string(), true).prop("kind", Schemas.string("SINGLE or COMBO"), true)
                .prop("status", Schemas.string("PUBLISHED or UNPUBLISHED"), true)
                .prop("version", Schemas.integer("Product version"), true).prop("name", Schemas.string(), true)
                .prop("description", Schemas.string(), true)
                .prop("distributorPrice", Schemas.amount("What the distributor pays per ticket, before the issuance fee"), true)
                .prop("currency", Schemas.string(), true).prop("validFrom", Schemas.string("Date"), true)
                .prop("validUntil", Schemas.string("Date"), true).prop("validDays", Schemas.integer("Days a ticket stays valid"), true)
                .prop("usageRules", Schemas.string(), true).prop("publishedAt", Schemas.string(), true)
                .prop("spots", Schemas.array(Schemas.object().prop("spotId", Schemas.string(), true).build()), true)
                .prop("overlay", Schemas.object().open().build(), false)
                .prop("expiresOn", Schemas.string("COMBO only: the day (from 00:00, platform time) its tickets expire"), false)
                .open().build();
        routes.get(BASE + "/products").access(Access.DISTRIBUTOR).tag("distributor").operationId("syncProducts")
                .summary("Products changed since a cursor (start at 0; keep nextCursor for the next sync)")
                .param("query", "cursor", false, "string", "nextCursor of the previous page; 0 or absent for everything")
                .param("query", "limit", false, "integer", "1-200, default 100")
                .response(200, "A page", Schemas.object().prop("items", Schemas.array(product), true)
                        .prop("nextCursor", Schemas.string("Opaque; pass back as cursor"), true)
                        .prop("hasMore", Schemas.bool("Whether to fetch again right away"), true).build())
                .handle(this::sync);

        ObjectNode overlay = Schemas.object().prop("name", Schemas.string("Your product name"), true)
                .prop("description", Schemas.string(), true)
                .prop("retailPrice", Schemas.amount("Your retail price (informational)"), true).build();
        routes.put(BASE + "/products/{productId}/overlay").access(Access.DISTRIBUTOR).tag("distributor")
                .operationId("setOverlay").summary("Keep your own name, description and retail price for a product")
                .requestBody(overlay).response(200, "The overlay", overlay)
                .handle(this::setOverlay);

        ObjectNode order = Schemas.object().open()
                .prop("id", Schemas.string(), true).prop("distributorOrderId", Schemas.string(), true)
                .prop("state", Schemas.string("RECEIVED, CHARGING, ISSUED, AWAITING_TOPUP, CHARGE_UNKNOWN, FAILED"), true)
                .prop("total", Schemas.amount("Charged (or to be charged) in total, fee included"), true)
                .prop("tickets", Schemas.array(Schemas.object().open().build()), false).build();
        ObjectNode create = Schemas.object()
                .prop("distributorOrderId", Schemas.string("Your order id ([A-Za-z0-9_.:-]{1,64}); the same id twice is the same order"), true)
                .prop("productId", Schemas.string(), true)
                .prop("visitDate", Schemas.string("Date of the visit, e.g. 2026-05-01"), true)
                .prop("slot", Schemas.string("Time slot, when the product has capacity per slot"), false)
                .prop("quantity", Schemas.integer("1-100"), true)
                .prop("unitPrice", Schemas.amount("The distributor price you synced; a changed price is refused"), true).build();
        routes.post(BASE + "/orders").access(Access.DISTRIBUTOR).moneyMoving().tag("distributor").operationId("createOrder")
                .summary("Buy tickets: charges your payment account, then issues the tickets")
                .requestBody(create)
                .response(201, "Issued (tickets included) or failed for good (state FAILED)", order)
                .response(202, "Not final: AWAITING_TOPUP (top up your account, then reapply) or charging in progress", order)
                .handle(this::create);
        routes.get(BASE + "/orders").access(Access.DISTRIBUTOR).tag("distributor").operationId("listOrders")
                .summary("Your orders changed since an instant, oldest change first (for reconciliation)")
                .param("query", "updatedSince", false, "string", "ISO-8601 instant; default: the beginning")
                .param("query", "cursor", false, "string", "nextCursor of the previous page")
                .param("query", "limit", false, "integer", "1-200, default 100")
                .response(200, "A page", Schemas.object().prop("items", Schemas.array(order), true)
                        .prop("nextCursor", Schemas.string(), false).prop("hasMore", Schemas.bool(""), true).build())
                .handle(this::list);
        routes.get(BASE + "/orders/{orderId}").access(Access.DISTRIBUTOR).tag("distributor").operationId("getOrder")
                .summary("One of your orders, with its tickets")
                .response(200, "The order", order)
                .handle(ctx -> Routes.json(ctx, 200, Views.orderWithTickets(ownOrder(ctx), ticketing.tickets().byOrder(ctx.pathParam("orderId")))));
        routes.post(BASE + "/orders/{orderId}/reapply").access(Access.DISTRIBUTOR).moneyMoving().tag("distributor")
                .operationId("reapplyOrder").summary("Charge again after a top-up (order in AWAITING_TOPUP)")
                .response(201, "Issued or failed", order).response(202, "Still not final", order)
                .handle(this::reapply);

        ObjectNode ticket = Schemas.object().open().prop("id", Schemas.string(), true)
                .prop("number", Schemas.string(), true).prop("state", Schemas.string("ISSUED, REDEEMED, EXPIRED, REFUNDED"), true)
                .prop("code", Schemas.string("What the QR code carries"), true)
                .prop("spotsRedeemed", Schemas.integer("Spots redeemed so far (a combo redeems once at each)"), true)
                .prop("spotsTotal", Schemas.integer("Spots the ticket is valid at"), true)
                .prop("spots", Schemas.array(Schemas.object().prop("spotId", Schemas.string(), true)
                        .prop("redeemed", Schemas.bool("Whether it was redeemed there"), true)
                        .prop("redeemedAt", Schemas.string("When, if redeemed"), false).build()), true).build();
        routes.get(BASE + "/tickets/{ticket}").access(Access.DISTRIBUTOR).tag("distributor").operationId("getTicket")
                .summary("One of your tickets, by id or number")
                .response(200, "The ticket", ticket)
                .handle(ctx -> Routes.json(ctx, 200, Views.ticket(ownTicket(ctx))));
        ObjectNode refund = Schemas.object().prop("reason", Schemas.string("Why (1-200 characters)"), true).build();
        routes.post(BASE + "/tickets/{ticket}/refund").access(Access.DISTRIBUTOR).moneyMoving().tag("distributor")
                .operationId("refundTicket").summary("Refund an unredeemed ticket; the money comes back to your payment account")
                .requestBody(refund)
                .response(200, "Refunded; the refund payout is on its way", Schemas.object()
                        .prop("ticket", ticket, true).prop("payout", Schemas.object().open().build(), true).build())
                .handle(this::refund);

        routes.get(BASE + "/account").access(Access.DISTRIBUTOR).tag("distributor").operationId("getAccount")
                .summary("Your distributor record, payment account and open (not final) orders")
                .response(200, "The account", Schemas.object().open().prop("distributor", Schemas.object().open().build(), true)
                        .prop("openOrders", Schemas.array(order), true).build())
                .handle(this::account);
    }

    private static String me(Context ctx) {
        return ((Principal.Distributor) Routes.principal(ctx)).distributorId();
    }

    private void sync(Context ctx) {
        long cursor = longParam(ctx, "cursor", 0, Long.MAX_VALUE, 0);
        int limit = (int) longParam(ctx, "limit", 1, MAX_LIMIT, 100);
        SyncPage page = Refusals.orThrow(ticketing.pool().sync(me(ctx), cursor, limit));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.items().forEach(i -> {
            ObjectNode n = Views.poolItem(i);
            if (i.product().kind() == ProductKind.COMBO) {
                // A combo is valid once at each of its spots until it expires; unredeemed value is then forfeited.
                ticketing.combos().combo(i.product().id()).ifPresent(c -> n.put("expiresOn", c.expiresOn().toString()));
            }
            items.add(n);
        });
        body.put("nextCursor", Long.toString(page.nextCursor())).put("hasMore", page.hasMore());
        Routes.json(ctx, 200, body);
    }

    private void setOverlay(Context ctx) {
        JsonBody b = Routes.jsonBody(ctx);
        String name = b.requiredString("name", 100);
        String description = b.optionalString("description", 2000).orElse("");
        Money retail = b.requiredAmount("retailPrice", Money.CNY);
        b.done();
        var o = Refusals.orThrow(ticketing.pool().setOverlay(me(ctx), ctx.pathParam("productId"),
                new OverlayDraft(name, description, retail)));
        Routes.json(ctx, 200, Views.overlay(o));
    }

    private void create(Context ctx) {
        JsonBody b = Routes.jsonBody(ctx);
        String ref = b.requiredString("distributorOrderId", 64);
        String productId = b.requiredString("productId", 64);
        LocalDate visit = b.requiredDate("visitDate");
        Optional<String> slot = b.optionalString("slot", 32);
        long quantity = b.requiredLong("quantity", 1, 100);
        Money unitPrice = b.requiredAmount("unitPrice", Money.CNY);
        b.done();
        IssueRequest request = new IssueRequest(me(ctx), ref, productId, visit, slot, (int) quantity, unitPrice);
        Optional<IdempotencyFilter.OpenClaim> claim = IdempotencyFilter.claim(ctx);
        if (claim.isEmpty()) {
            answer(ctx, ticketing.orders().issue(request));
            return;
        }
        // The answer of an order issued by this call commits with its tickets: one durable commit
        // fewer, and no window in which the order is issued but its Idempotency-Key has no answer.
        IssueResult r = ticketing.orders().issue(request, (connection, issued) -> {
            answer(ctx, issued);
            claim.get().completeOn(connection, ctx);
        });
        if (!claim.get().completed()) {
            answer(ctx, r);
        }
    }

    private void reapply(Context ctx) {
        ownOrder(ctx);
        answer(ctx, ticketing.orders().reapply(me(ctx), ctx.pathParam("orderId")));
    }

    private void answer(Context ctx, IssueResult r) {
        if (r instanceof IssueResult.Refused refused) {
            throw Refusals.of(refused.problem());
        }
        Order o = r.orderIfAny().orElseThrow();
        int status = r instanceof IssueResult.Issued || r instanceof IssueResult.Failed ? 201 : 202;
        List<Ticket> tickets = r instanceof IssueResult.Issued i ? i.tickets() : List.of();
        ctx.header("Location", BASE + "/orders/" + o.id());
        Routes.json(ctx, status, Views.orderWithTickets(o, tickets));
    }

    private Order ownOrder(Context ctx) {
        return ticketing.orders().order(ctx.pathParam("orderId"))
                .filter(o -> o.distributorId().equals(me(ctx)))
                .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_ORDER, "you have no order " + ctx.pathParam("orderId")));
    }

    private Ticket ownTicket(Context ctx) {
        return ticketing.tickets().ticket(ctx.pathParam("ticket"))
                .filter(t -> t.distributorId().equals(me(ctx)))
                .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_TICKET, "you have no ticket " + ctx.pathParam("ticket")));
    }

    private void refund(Context ctx) {
        Ticket t = ownTicket(ctx);
        JsonBody b = Routes.jsonBody(ctx);
        String reason = b.requiredString("reason", 200);
        b.done();
        RefundResult r = ticketing.tickets().refund(new RefundRequest(me(ctx), t.id(), reason));
        if (r instanceof RefundResult.Refused refused) {
            throw Refusals.of(refused.problem());
        }
        RefundResult.Refunded ok = (RefundResult.Refunded) r;
        ObjectNode body = Json.object();
        body.set("ticket", Views.ticket(ok.ticket()));
        body.set("payout", Views.payout(ok.payout()));
        Routes.json(ctx, 200, body);
    }

    private void list(Context ctx) {
        int limit = (int) longParam(ctx, "limit", 1, MAX_LIMIT, 100);
        Instant since = Instant.EPOCH;
        String afterId = "";
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            int sep = cursor.indexOf('_');
            try {
                since = Instant.EPOCH.plus(Long.parseLong(cursor.substring(0, sep)), ChronoUnit.MICROS);
                afterId = cursor.substring(sep + 1);
            } catch (RuntimeException e) {
                throw new ApiException(ProblemType.BAD_REQUEST, "malformed cursor; pass back nextCursor as received");
            }
        } else if (ctx.queryParam("updatedSince") != null) {
            try {
                since = Instant.parse(ctx.queryParam("updatedSince"));
            } catch (DateTimeParseException e) {
                throw new ApiException(ProblemType.BAD_REQUEST, "updatedSince must be an ISO-8601 instant such as 2026-05-01T00:00:00Z");
            }
        }
        Instant from = since;
        String after = afterId;
        // Ticketing has no "changed since" query yet: read its orders table (same database, read only).
        List<Change> changes = jdbi.withHandle(h -> h.createQuery("""
                        SELECT order_id, updated_at FROM ticketing.orders
                         WHERE distributor_id = :d AND (updated_at, order_id) > (:t, :id)
                         ORDER BY updated_at, order_id LIMIT :n""")
                .bind("d", me(ctx)).bind("t", from.atOffset(ZoneOffset.UTC)).bind("id", cursor == null ? "" : after)
                .bind("n", limit + 1)
                .map((rs, c) -> new Change(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant()))
                .list());
        boolean more = changes.size() > limit;
        List<Change> page = more ? changes.subList(0, limit) : changes;
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.forEach(c -> ticketing.orders().order(c.orderId()).ifPresent(o -> items.add(Views.order(o))));
        if (!page.isEmpty()) {
            Change last = page.get(page.size() - 1);
            body.put("nextCursor", ChronoUnit.MICROS.between(Instant.EPOCH, last.at()) + "_" + last.orderId());
        }
        body.put("hasMore", more);
        Routes.json(ctx, 200, body);
    }

    private void account(Context ctx) {
        Distributor d = ticketing.parties().distributor(me(ctx))
                .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_DISTRIBUTOR, "distributor " + me(ctx) + " is not onboarded"));
        List<String> open = jdbi.withHandle(h -> h.createQuery("""
                        SELECT order_id FROM ticketing.orders
                         WHERE distributor_id = :d AND state NOT IN ('ISSUED', 'FAILED') ORDER BY created_at LIMIT 200""")
                .bind("d", d.id()).mapTo(String.class).list());
        ObjectNode body = Json.object();
        body.set("distributor", Views.distributor(d));
        ArrayNode orders = body.putArray("openOrders");
        open.forEach(id -> ticketing.orders().order(id).ifPresent(o -> orders.add(Views.order(o))));
        Routes.json(ctx, 200, body);
    }

    private static long longParam(Context ctx, String name, long min, long max, long dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the problem
        }
        throw new ApiException(ProblemType.BAD_REQUEST, name + " must be an integer between " + min + " and " + max,
                List.of(new org.ticketledger.example.http.FieldError("#/query/" + name, "must be " + min + ".." + max)));
    }

    private record Change(String orderId, Instant at) {
    }
}
