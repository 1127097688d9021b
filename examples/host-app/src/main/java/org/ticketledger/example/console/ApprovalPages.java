package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.payout.Payout;

/**
 * Maker-checker: the requests waiting for a second admin, and their decisions. Approving carries
 * the action out at once, under the checker's name; the maker cannot approve their own request.
 */
final class ApprovalPages {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalPages.class);

    private final Web web;
    private final Ticketing ticketing;
    private final Approvals approvals;

    ApprovalPages(Web web, Ticketing ticketing, Approvals approvals) {
        this.web = web;
        this.ticketing = ticketing;
        this.approvals = approvals;
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/approvals", this::list);
        web.post(r, Console.PREFIX + "/approvals/{id}/approve", this::approve);
        web.post(r, Console.PREFIX + "/approvals/{id}/reject", this::reject);
    }

    private void list(Context ctx, Sessions.Session s) {
        Page p = web.page(ctx, s, "approvals.title", "approvals");
        web.render(ctx, 200, "approvals", p, "a", new Models.ApprovalList(approvals.pending(), approvals.decided(50), Web.actor(s)));
    }

    private void approve(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("id");
        String back = Console.PREFIX + "/approvals";
        Approvals.Result r = approvals.approve(id, Web.actor(s));
        if (r instanceof Approvals.Result.Refused refused) {
            web.audit(s, "approval.refused", id, "approval refused: " + refused.reasonKey());
            Web.redirect(ctx, back, "err", "flash." + refused.reasonKey());
            return;
        }
        Models.Approval a = ((Approvals.Result.Done) r).approval();
        web.audit(s, "approval.approved", a.subjectId(), "approved " + a.id() + " requested by " + a.requestedBy());
        String actor = Web.actor(s) + " (approval " + a.id() + ", requested by " + a.requestedBy() + ")";
        Outcome<String> out;
        try {
            out = execute(a, actor);
        } catch (RuntimeException e) {
            // Retries are safe to repeat (ticketing queries an unknown outcome first), so the
            // approval is marked failed and a new request can be made.
            LOG.error("approved {} of {} failed", a.kind(), a.subjectId(), e);
            approvals.complete(id, false, "failed: " + e.getClass().getSimpleName());
            web.audit(s, "approval.failed", a.subjectId(), "approved " + a.kind() + " failed: " + e.getClass().getSimpleName());
            Web.redirect(ctx, back, "err", "flash.approvalFailed");
            return;
        }
        String action = a.kind().equals(Approvals.Kind.INSTRUCTION_RETRY.name()) ? "instruction.retry" : "payout.retry";
        if (out instanceof Outcome.Refused<String> refused) {
            String why = refused.problem().code() + ": " + refused.problem().message();
            approvals.complete(id, false, "refused " + why);
            web.audit(s, action, a.subjectId(), "approved retry refused: " + why);
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        String state = ((Outcome.Ok<String>) out).value();
        approvals.complete(id, true, "now " + state);
        web.audit(s, action, a.subjectId(), "retried " + a.amount().toDecimalString() + " after approval " + a.id() + "; now " + state);
        Web.redirect(ctx, a.href(), "ok", "flash.approvedAndRetried");
    }

    /** Carries out an approved request; answers the subject's new state. */
    private Outcome<String> execute(Models.Approval a, String actor) {
        if (a.kind().equals(Approvals.Kind.INSTRUCTION_RETRY.name())) {
            return map(ticketing.wealth().retry(a.subjectId(), actor), i -> i.state().name());
        }
        return map(ticketing.payouts().retryPayout(a.subjectId(), actor), (Payout x) -> x.state().name());
    }

    private static <T> Outcome<String> map(Outcome<T> o, java.util.function.Function<T, String> f) {
        if (o instanceof Outcome.Ok<T> ok) {
            return new Outcome.Ok<>(f.apply(ok.value()));
        }
        return new Outcome.Refused<>(((Outcome.Refused<T>) o).problem());
    }

    private void reject(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("id");
        Optional<String> note = Web.field(ctx, "note", 500);
        if (note.isEmpty()) {
            Web.redirect(ctx, Console.PREFIX + "/approvals", "err", "flash.reasonRequired");
            return;
        }
        Approvals.Result r = approvals.reject(id, Web.actor(s), note.get());
        if (r instanceof Approvals.Result.Refused refused) {
            Web.redirect(ctx, Console.PREFIX + "/approvals", "err", "flash." + refused.reasonKey());
            return;
        }
        Models.Approval a = ((Approvals.Result.Done) r).approval();
        web.audit(s, "approval.rejected", a.subjectId(), "rejected " + a.id() + ": " + note.get());
        Web.redirect(ctx, Console.PREFIX + "/approvals", "ok", "flash.rejected");
    }
}
