package org.ticketledger.example.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.ledger.Money;

/**
 * What every work queue of the console does alike: tabs per state with the count of open items,
 * "mark resolved" with a reason (takes an item off its queue, moves no money), and the
 * maker-checker request of a manual retry above the approval threshold.
 */
final class QueueActions {

    /** The tabs of a queue and the items of the selected tab. */
    record Tabbed<T>(List<Models.Tab> tabs, List<T> shown) {
    }

    private final Web web;
    private final Approvals approvals;
    private final Resolutions resolutions;

    QueueActions(Web web, Approvals approvals, Resolutions resolutions) {
        this.web = web;
        this.approvals = approvals;
        this.resolutions = resolutions;
    }

    /** The items not marked resolved. */
    static <T> List<T> open(List<T> items, Function<T, String> id, Set<String> resolved) {
        return items.stream().filter(i -> !resolved.contains(id.apply(i))).toList();
    }

    /** The allowed state named {@code v}, else the first allowed one. */
    static <E extends Enum<E>> E parse(String v, List<E> allowed) {
        for (E e : allowed) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        return allowed.get(0);
    }

    /**
     * One tab per state of queue {@code queue} ({@code /queues/<queue>}, labels
     * {@code queue.<queue>.<STATE>}), counting open items; the selected tab's items, resolved ones
     * too when {@code showResolved}.
     */
    static <S extends Enum<S>, T> Tabbed<T> tabs(Page p, String queue, List<S> states, S selected,
                                                 Function<S, List<T>> load, Function<T, String> id, Set<String> resolved,
                                                 boolean showResolved) {
        List<Models.Tab> tabs = new ArrayList<>();
        List<T> shown = List.of();
        for (S st : states) {
            List<T> all = load.apply(st);
            List<T> open = open(all, id, resolved);
            tabs.add(new Models.Tab(p.t("queue." + queue + "." + st.name()), Console.PREFIX + "/queues/" + queue + "?state=" + st.name(),
                    st == selected, open.size()));
            if (st == selected) {
                shown = showResolved ? all : open;
            }
        }
        return new Tabbed<>(tabs, shown);
    }

    /**
     * Marks {@code id} resolved with the form's reason and audits it under {@code auditSubject};
     * answers 404 when {@code exists} says the item is unknown.
     */
    void resolve(Context ctx, Sessions.Session s, Resolutions.Kind kind, String id, String auditSubject, String back,
                 BooleanSupplier exists) {
        Optional<String> reason = Web.field(ctx, "reason", 500);
        if (reason.isEmpty()) {
            Web.redirect(ctx, back, "err", "flash.reasonRequired");
            return;
        }
        if (!exists.getAsBoolean()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        if (!resolutions.resolve(kind, id, reason.get(), Web.actor(s))) {
            Web.redirect(ctx, back, "err", "flash.alreadyResolved");
            return;
        }
        web.audit(s, kind.name().toLowerCase(Locale.ROOT) + ".resolved", auditSubject, "marked resolved: " + reason.get());
        Web.redirect(ctx, back, "ok", "flash.resolved");
    }

    /**
     * A manual retry above the threshold: files the request for a second admin instead of
     * sending, audits it as {@code what} of {@code amount}, and answers with the flash.
     */
    void requestApproval(Context ctx, Sessions.Session s, Approvals.Kind kind, String id, Money amount, String description,
                         String what, String back) {
        Approvals.Result r = approvals.request(kind, id, amount, description, Web.actor(s));
        if (r instanceof Approvals.Result.Done d) {
            web.audit(s, "approval.requested", id, what + " of " + amount.toDecimalString() + " awaits a second admin ("
                    + d.approval().id() + ")");
            Web.redirect(ctx, back, "ok", "flash.approvalRequested");
        } else {
            Web.redirect(ctx, back, "err", "flash." + ((Approvals.Result.Refused) r).reasonKey());
        }
    }
}
