package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.PlanState;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * The wealth side's work queue: invest and withdraw instructions waiting for funds (the
 * platform's account at the wealth rail was short), in manual review or retrying — with their
 * history, the SMS sent, and retry (through a second admin above the threshold) or mark
 * resolved — and the wealth plans whose close needs a person.
 */
final class WealthPages {

    static final List<InstructionState> STATES = List.of(InstructionState.AWAITING_FUNDS, InstructionState.MANUAL_REVIEW,
            InstructionState.RETRYING);
    private static final int SCAN = 500;

    private final Web web;
    private final Ticketing ticketing;
    private final Approvals approvals;
    private final Resolutions resolutions;
    private final ConsoleSettings settings;
    private final QueueActions actions;

    WealthPages(Web web, Ticketing ticketing, Approvals approvals, Resolutions resolutions, ConsoleSettings settings) {
        this.web = web;
        this.ticketing = ticketing;
        this.approvals = approvals;
        this.resolutions = resolutions;
        this.settings = settings;
        this.actions = new QueueActions(web, approvals, resolutions);
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/queues/instructions", this::queue);
        web.get(r, Console.PREFIX + "/instructions/{id}", this::instruction);
        web.post(r, Console.PREFIX + "/instructions/{id}/retry", this::retry);
        web.post(r, Console.PREFIX + "/instructions/{id}/resolve", (ctx, s) -> {
            String id = ctx.pathParam("id");
            actions.resolve(ctx, s, Resolutions.Kind.INSTRUCTION, id, id, Console.PREFIX + "/instructions/" + Web.segment(id),
                    () -> ticketing.wealth().instruction(id).isPresent());
        });
        web.post(r, Console.PREFIX + "/plans/{planId}/retry-close", this::retryClose);
    }

    static boolean retryable(PlanInstruction i) {
        return i.state() == InstructionState.AWAITING_FUNDS || i.state() == InstructionState.MANUAL_REVIEW;
    }

    private void queue(Context ctx, Sessions.Session s) {
        InstructionState state = QueueActions.parse(ctx.queryParam("state"), STATES);
        boolean showResolved = "1".equals(ctx.queryParam("resolved"));
        Page p = web.page(ctx, s, "queue.instructions.title", "instructions");
        Set<String> pending = new HashSet<>();
        approvals.pending().forEach(a -> pending.add(a.subjectId()));
        QueueActions.Tabbed<PlanInstruction> q = QueueActions.tabs(p, "instructions", STATES, state,
                st -> ticketing.wealth().byState(st, SCAN), PlanInstruction::id, resolutions.resolved(Resolutions.Kind.INSTRUCTION),
                showResolved);
        List<Models.InstructionRow> rows = q.shown().stream().limit(200).map(i -> new Models.InstructionRow(i,
                resolutions.find(Resolutions.Kind.INSTRUCTION, i.id()), pending.contains(i.id()))).toList();
        List<WealthPlan> plans = ticketing.wealth().plans().stream().filter(x -> x.state() == PlanState.MANUAL_REVIEW).toList();
        web.render(ctx, 200, "instructions", p, "q", new Models.InstructionQueue(q.tabs(), state.name(), rows, showResolved,
                settings.approvalThreshold(), plans));
    }

    private void instruction(Context ctx, Sessions.Session s) {
        Optional<PlanInstruction> found = ticketing.wealth().instruction(ctx.pathParam("id"));
        if (found.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        PlanInstruction i = found.get();
        Page p = web.page(ctx, s, "instruction.title", "instructions", i.id());
        var history = ticketing.orders().history(i.orderId()).stream().filter(e -> e.subjectId().equals(i.id())).toList();
        web.render(ctx, 200, "instruction", p, "d", new Models.InstructionDetail(i, history, ticketing.notifications().bySubject(i.id()),
                approvals.bySubject(i.id()), resolutions.find(Resolutions.Kind.INSTRUCTION, i.id()), retryable(i),
                i.amount().isGreaterThan(settings.approvalThreshold()), settings.approvalThreshold(), web.audit().bySubject(i.id())));
    }

    private void retry(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("id");
        String back = Console.PREFIX + "/instructions/" + Web.segment(id);
        Optional<PlanInstruction> found = ticketing.wealth().instruction(id);
        if (found.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        PlanInstruction i = found.get();
        if (!retryable(i)) {
            Web.redirect(ctx, back, "err", "flash.notRetryable");
            return;
        }
        if (i.amount().isGreaterThan(settings.approvalThreshold())) {
            actions.requestApproval(ctx, s, Approvals.Kind.INSTRUCTION_RETRY, id, i.amount(),
                    "retry " + i.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + id + " of " + i.amount().toDecimalString()
                            + " on plan " + i.plan().value(), "instruction retry", back);
            return;
        }
        Outcome<PlanInstruction> out = ticketing.wealth().retry(id, Web.actor(s));
        if (out instanceof Outcome.Refused<PlanInstruction> refused) {
            web.audit(s, "instruction.retry", id, "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        web.audit(s, "instruction.retry", id, "retried " + i.amount().toDecimalString() + "; now "
                + ((Outcome.Ok<PlanInstruction>) out).value().state());
        Web.redirect(ctx, back, "ok", "flash.retried");
    }

    /** A plan close in review: the redeem-all is queried under the same request id before anything is sent again. */
    private void retryClose(Context ctx, Sessions.Session s) {
        String plan = ctx.pathParam("planId");
        String back = Console.PREFIX + "/queues/instructions";
        Outcome<WealthPlan> out = ticketing.wealth().retryClose(plan, Web.actor(s));
        if (out instanceof Outcome.Refused<WealthPlan> refused) {
            web.audit(s, "plan.retry-close", plan, "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        web.audit(s, "plan.retry-close", plan, "close retried; now " + ((Outcome.Ok<WealthPlan>) out).value().state());
        Web.redirect(ctx, back, "ok", "flash.retried");
    }
}
