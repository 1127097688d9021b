package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;

/**
 * The work queues: orders waiting for a distributor's top-up, payouts waiting for funds, in
 * manual review or retrying — each item with its history, the SMS sent about it, and the actions
 * that resolve it (collect again, retry the payout — through a second admin above the threshold —
 * or mark it resolved with a reason).
 */
final class QueuePages {

    static final List<OrderState> ORDER_STATES = List.of(OrderState.AWAITING_TOPUP, OrderState.CHARGE_UNKNOWN);
    static final List<PayoutState> PAYOUT_STATES = List.of(PayoutState.AWAITING_FUNDS, PayoutState.MANUAL_REVIEW,
            PayoutState.RETRYING);
    private static final int SCAN = 500;
    private static final int SHOW = 200;

    private final Web web;
    private final Ticketing ticketing;
    private final Approvals approvals;
    private final Resolutions resolutions;
    private final ConsoleSettings settings;
    private final QueueActions actions;

    QueuePages(Web web, Ticketing ticketing, Approvals approvals, Resolutions resolutions, ConsoleSettings settings) {
        this.web = web;
        this.ticketing = ticketing;
        this.approvals = approvals;
        this.resolutions = resolutions;
        this.settings = settings;
        this.actions = new QueueActions(web, approvals, resolutions);
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/queues/orders", this::orders);
        web.get(r, Console.PREFIX + "/orders/{orderId}", this::order);
        web.post(r, Console.PREFIX + "/orders/{orderId}/reapply", this::reapply);
        web.post(r, Console.PREFIX + "/orders/{orderId}/resolve", (ctx, s) -> {
            String id = ctx.pathParam("orderId");
            actions.resolve(ctx, s, Resolutions.Kind.ORDER, id, id, Console.PREFIX + "/orders/" + Web.segment(id),
                    () -> ticketing.orders().order(id).isPresent());
        });
        web.get(r, Console.PREFIX + "/queues/payouts", this::payouts);
        web.get(r, Console.PREFIX + "/payouts/{payoutId}", this::payout);
        web.post(r, Console.PREFIX + "/payouts/{payoutId}/retry", this::retry);
        web.post(r, Console.PREFIX + "/payouts/{payoutId}/resolve", (ctx, s) -> {
            String id = ctx.pathParam("payoutId");
            actions.resolve(ctx, s, Resolutions.Kind.PAYOUT, id, id, Console.PREFIX + "/payouts/" + Web.segment(id),
                    () -> ticketing.payouts().payout(id).isPresent());
        });
    }

    // ---------------------------------------------------------------- orders

    private void orders(Context ctx, Sessions.Session s) {
        OrderState state = QueueActions.parse(ctx.queryParam("state"), ORDER_STATES);
        boolean showResolved = "1".equals(ctx.queryParam("resolved"));
        Page p = web.page(ctx, s, "queue.orders.title", "orders");
        QueueActions.Tabbed<Order> q = QueueActions.tabs(p, "orders", ORDER_STATES, state, st -> ticketing.orders().byState(st, SCAN),
                Order::id, resolutions.resolved(Resolutions.Kind.ORDER), showResolved);
        List<Models.OrderRow> rows = q.shown().stream().limit(SHOW).map(o -> new Models.OrderRow(o, distributorName(o.distributorId()),
                product(o.productId()).map(Product::name).orElse(o.productId()),
                resolutions.find(Resolutions.Kind.ORDER, o.id()))).toList();
        web.render(ctx, 200, "orders", p, "q", new Models.OrderQueue(q.tabs(), state.name(), rows, showResolved));
    }

    private void order(Context ctx, Sessions.Session s) {
        Optional<Order> found = ticketing.orders().order(ctx.pathParam("orderId"));
        if (found.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        Order o = found.get();
        Page p = web.page(ctx, s, "order.title", "orders", o.id());
        var tickets = ticketing.tickets().byOrder(o.id());
        List<Payout> payouts = new ArrayList<>();
        tickets.forEach(t -> payouts.addAll(ticketing.payouts().byTicket(t.id())));
        Optional<Product> product = product(o.productId());
        Optional<Models.Resolution> resolution = resolutions.find(Resolutions.Kind.ORDER, o.id());
        web.render(ctx, 200, "order", p, "o", new Models.OrderDetail(o, distributorName(o.distributorId()),
                product.map(Product::name).orElse(o.productId()), product.map(Product::description).orElse(""),
                tickets, payouts, ticketing.orders().history(o.id()), ticketing.notifications().bySubject(o.id()), resolution,
                o.state() == OrderState.AWAITING_TOPUP && resolution.isEmpty(), web.audit().bySubject(o.id())));
    }

    /** Collects again for an order waiting for a top-up, as the distributor's reapply would. */
    private void reapply(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("orderId");
        String back = Console.PREFIX + "/orders/" + Web.segment(id);
        Optional<Order> o = ticketing.orders().order(id);
        if (o.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        IssueResult result = ticketing.orders().reapply(o.get().distributorId(), id);
        if (result instanceof IssueResult.Refused r) {
            web.audit(s, "order.reapply", id, "refused: " + r.problem().code() + " " + r.problem().message());
            Web.redirect(ctx, back, "code", r.problem().code().name());
            return;
        }
        web.audit(s, "order.reapply", id, "collected again: " + result.getClass().getSimpleName());
        if (result instanceof IssueResult.Issued) {
            Web.redirect(ctx, back, "ok", "flash.reapply.issued");
        } else if (result instanceof IssueResult.AwaitingTopUp) {
            Web.redirect(ctx, back, "err", "flash.reapply.stillShort");
        } else if (result instanceof IssueResult.Failed) {
            Web.redirect(ctx, back, "err", "flash.reapply.failed");
        } else {
            Web.redirect(ctx, back, "ok", "flash.reapply.inProgress");
        }
    }

    // ---------------------------------------------------------------- payouts

    private void payouts(Context ctx, Sessions.Session s) {
        PayoutState state = QueueActions.parse(ctx.queryParam("state"), PAYOUT_STATES);
        boolean showResolved = "1".equals(ctx.queryParam("resolved"));
        Page p = web.page(ctx, s, "queue.payouts.title", "payouts");
        Set<String> pending = new java.util.HashSet<>();
        approvals.pending().forEach(a -> pending.add(a.subjectId()));
        QueueActions.Tabbed<Payout> q = QueueActions.tabs(p, "payouts", PAYOUT_STATES, state, st -> ticketing.payouts().byState(st, SCAN),
                Payout::id, resolutions.resolved(Resolutions.Kind.PAYOUT), showResolved);
        List<Models.PayoutRow> rows = q.shown().stream().limit(SHOW).map(x -> new Models.PayoutRow(x, partyName(x.partyId()),
                resolutions.find(Resolutions.Kind.PAYOUT, x.id()), pending.contains(x.id()))).toList();
        web.render(ctx, 200, "payouts", p, "q", new Models.PayoutQueue(q.tabs(), state.name(), rows, showResolved,
                settings.approvalThreshold()));
    }

    private void payout(Context ctx, Sessions.Session s) {
        Optional<Payout> found = ticketing.payouts().payout(ctx.pathParam("payoutId"));
        if (found.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        Payout x = found.get();
        Page p = web.page(ctx, s, "payout.title", "payouts", x.id());
        List<HistoryEvent> history = ticketing.orders().history(x.orderId()).stream()
                .filter(e -> e.subjectId().equals(x.id())).toList();
        Optional<Models.Resolution> resolution = resolutions.find(Resolutions.Kind.PAYOUT, x.id());
        web.render(ctx, 200, "payout", p, "d", new Models.PayoutDetail(x, partyName(x.partyId()), history,
                ticketing.notifications().bySubject(x.id()), approvals.bySubject(x.id()), resolution, retryable(x),
                needsApproval(x), settings.approvalThreshold(), web.audit().bySubject(x.id())));
    }

    static boolean retryable(Payout x) {
        return x.state() == PayoutState.AWAITING_FUNDS || x.state() == PayoutState.MANUAL_REVIEW;
    }

    private boolean needsApproval(Payout x) {
        return x.net().isGreaterThan(settings.approvalThreshold());
    }

    /**
     * The manual payout: at or below the threshold it is sent now; above it, it waits for a
     * second admin on the approvals page.
     */
    private void retry(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("payoutId");
        String back = Console.PREFIX + "/payouts/" + Web.segment(id);
        Optional<Payout> found = ticketing.payouts().payout(id);
        if (found.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        Payout x = found.get();
        if (!retryable(x)) {
            Web.redirect(ctx, back, "err", "flash.notRetryable");
            return;
        }
        if (needsApproval(x)) {
            actions.requestApproval(ctx, s, Approvals.Kind.PAYOUT_RETRY, id, x.net(),
                    "retry payout " + id + " of " + x.net().toDecimalString() + " to " + x.partyId(), "payout retry", back);
            return;
        }
        Outcome<Payout> out = ticketing.payouts().retryPayout(id, Web.actor(s));
        if (out instanceof Outcome.Refused<Payout> refused) {
            web.audit(s, "payout.retry", id, "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        Payout after = ((Outcome.Ok<Payout>) out).value();
        web.audit(s, "payout.retry", id, "retried " + x.net().toDecimalString() + "; now " + after.state());
        Web.redirect(ctx, back, "ok", "flash.retried");
    }

    // ---------------------------------------------------------------- helpers

    private Optional<Product> product(String id) {
        return ticketing.pool().product(id);
    }

    private String distributorName(String id) {
        return ticketing.parties().distributor(id).map(d -> d.name()).orElse(id);
    }

    /** A payee: a scenic spot, or a distributor for refunds. */
    private String partyName(String id) {
        return ticketing.parties().scenicSpot(id).map(x -> x.name())
                .or(() -> ticketing.parties().distributor(id).map(d -> d.name())).orElse(id);
    }
}
