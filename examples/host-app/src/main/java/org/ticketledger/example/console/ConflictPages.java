package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.device.RedemptionConflict;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * Sync conflicts: a ticket admitted by two gates while offline, found when the later one synced.
 * The spot was paid once (the earliest scan); a person looks at what happened at the gates and
 * marks the conflict resolved with what they found.
 */
final class ConflictPages {

    private static final int SCAN = 1000;

    private final Web web;
    private final Ticketing ticketing;
    private final Resolutions resolutions;
    private final QueueActions actions;

    ConflictPages(Web web, Ticketing ticketing, Approvals approvals, Resolutions resolutions) {
        this.web = web;
        this.ticketing = ticketing;
        this.resolutions = resolutions;
        this.actions = new QueueActions(web, approvals, resolutions);
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/queues/conflicts", this::queue);
        web.get(r, Console.PREFIX + "/conflicts/{id}", this::conflict);
        web.post(r, Console.PREFIX + "/conflicts/{id}/resolve", (ctx, s) -> {
            String id = ctx.pathParam("id");
            actions.resolve(ctx, s, Resolutions.Kind.CONFLICT, id, "conflict:" + id, Console.PREFIX + "/conflicts/" + Web.segment(id),
                    () -> find(id).isPresent());
        });
    }

    /** Conflicts not marked resolved, oldest first. */
    static List<RedemptionConflict> open(Ticketing ticketing, Set<String> resolved) {
        return ticketing.devices().conflicts(Optional.empty(), 0, SCAN).stream()
                .filter(c -> !resolved.contains(Long.toString(c.id()))).toList();
    }

    private void queue(Context ctx, Sessions.Session s) {
        boolean showResolved = "1".equals(ctx.queryParam("resolved"));
        Page p = web.page(ctx, s, "queue.conflicts.title", "conflicts");
        Set<String> resolved = resolutions.resolved(Resolutions.Kind.CONFLICT);
        List<RedemptionConflict> shown = showResolved ? ticketing.devices().conflicts(Optional.empty(), 0, SCAN) : open(ticketing, resolved);
        List<Models.ConflictRow> rows = shown.stream().limit(200).map(c -> new Models.ConflictRow(c,
                orderOf(c), resolutions.find(Resolutions.Kind.CONFLICT, Long.toString(c.id())))).toList();
        web.render(ctx, 200, "conflicts", p, "q", new Models.ConflictQueue(rows, showResolved));
    }

    private Optional<String> orderOf(RedemptionConflict c) {
        return c.ticketId().flatMap(id -> ticketing.tickets().ticket(id)).map(Ticket::orderId);
    }

    private Optional<RedemptionConflict> find(String id) {
        if (!id.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        long n = Long.parseLong(id);
        // The device API pages by id: the one after n - 1 is n, if it exists.
        return ticketing.devices().conflicts(Optional.empty(), n - 1, 1).stream().filter(c -> c.id() == n).findFirst();
    }

    private void conflict(Context ctx, Sessions.Session s) {
        Optional<RedemptionConflict> c = find(ctx.pathParam("id"));
        if (c.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        String id = Long.toString(c.get().id());
        Page p = web.page(ctx, s, "conflict.title", "conflicts", id);
        Optional<String> order = orderOf(c.get());
        web.render(ctx, 200, "conflict", p, "d", new Models.ConflictDetail(new Models.ConflictRow(c.get(), order,
                resolutions.find(Resolutions.Kind.CONFLICT, id)),
                order.map(o -> ticketing.orders().history(o)).orElse(List.of()), web.audit().bySubject("conflict:" + id)));
    }
}
