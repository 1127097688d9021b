package org.ticketledger.example.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
import org.ticketledger.ticketing.wealth.BulkRetry;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * Admin routes for the Huijinbao wealth plans, {@code /admin/v1/wealth}: the plans and their state,
 * the invest and withdraw instruction queue (AWAITING_FUNDS and MANUAL_REVIEW need a person), the
 * retry actions, a plan close that needs review, and the yield per ticket once a plan closed.
 * Every retry queries the rail under the same request id before anything is sent again (ticketing's
 * rule), so a retry is safe to repeat; the routes still take an {@code Idempotency-Key}.
 */
public final class WealthRoutes implements ApiModule {

    private static final String BASE = "/admin/v1/wealth";
    private static final ObjectNode ANY = Schemas.object().open().build();

    private final Ticketing ticketing;
    private final Money approvalThreshold;

    /**
     * The routes over {@code ticketing}; a manual retry moving more than {@code approvalThreshold}
     * is refused here and goes through the console's maker-checker approvals instead.
     */
    public WealthRoutes(Ticketing ticketing, Money approvalThreshold) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
        this.approvalThreshold = Objects.requireNonNull(approvalThreshold, "approvalThreshold");
    }

    @Override
    public void register(Routes routes) {
        ObjectNode plan = Schemas.object().open().prop("planId", Schemas.string(), true)
                .prop("state", Schemas.string("OPEN, CLOSING, CLOSED or MANUAL_REVIEW"), true)
                .prop("invested", Schemas.amount("Principal in the plan by the books"), true)
                .prop("expiresAt", Schemas.string("Instant"), true)
                .prop("yield", Schemas.amount("Yield the redeem-all paid, once closed"), false).build();
        ObjectNode instruction = Schemas.object().open().prop("id", Schemas.string(), true)
                .prop("kind", Schemas.string("INVEST or WITHDRAW"), true)
                .prop("purpose", Schemas.string("ISSUANCE, REDEMPTION or REFUND"), true)
                .prop("state", Schemas.string("PENDING, SENT, DONE, AWAITING_FUNDS, RETRYING, MANUAL_REVIEW or CANCELLED"), true)
                .prop("amount", Schemas.amount("Principal moved"), true)
                .prop("requestId", Schemas.string("The rail request id (the same in every round)"), true).build();
        String states = "PENDING, SENT, DONE, AWAITING_FUNDS, RETRYING, MANUAL_REVIEW or CANCELLED";

        routes.get(BASE + "/plans").access(Access.ADMIN_READ).tag("admin-wealth").operationId("listWealthPlans")
                .summary("The wealth plans combos are invested in, by expiry")
                .response(200, "Plans", Schemas.object().prop("items", Schemas.array(plan), true).build())
                .handle(ctx -> {
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    ticketing.wealth().plans().forEach(p -> items.add(FinanceViews.plan(p)));
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/plans/{planId}").access(Access.ADMIN_READ).tag("admin-wealth").operationId("getWealthPlan")
                .summary("A plan: state, principal by the books, and once closed the redeem-all's principal and yield")
                .response(200, "The plan", plan)
                .handle(ctx -> Routes.json(ctx, 200, FinanceViews.plan(plan(ctx))));
        routes.get(BASE + "/plans/{planId}/yields").access(Access.ADMIN_READ).tag("admin-wealth").operationId("getPlanYields")
                .summary("A closed plan's yield per ticket (amount × days held; the shares add up to the rail's yield)")
                .response(200, "Shares; empty before the plan closed", Schemas.object()
                        .prop("planId", Schemas.string(), true).prop("total", Schemas.amount("Σ shares"), true)
                        .prop("items", Schemas.array(Schemas.object().prop("ticketId", Schemas.string(), true)
                                .prop("planId", Schemas.string(), true)
                                .prop("weight", Schemas.string("fen × daily closes held (an integer as a string)"), true)
                                .prop("yield", Schemas.amount("The ticket's share"), true).build()), true).build())
                .handle(ctx -> {
                    WealthPlan p = plan(ctx);
                    ObjectNode body = Json.object().put("planId", p.plan().value());
                    ArrayNode items = body.putArray("items");
                    long total = 0;
                    for (var y : ticketing.wealth().yields(p.plan().value())) {
                        items.add(FinanceViews.ticketYield(y));
                        total += y.yield().minor();
                    }
                    body.put("total", org.ticketledger.ledger.Money.of(total, p.invested().currency()).toDecimalString());
                    Routes.json(ctx, 200, body);
                });
        routes.post(BASE + "/plans/{planId}/retry-close").access(Access.ADMIN).moneyMoving().tag("admin-wealth")
                .operationId("retryPlanClose")
                .summary("Retry a plan close in MANUAL_REVIEW: the redeem-all is queried under its request id before anything is re-sent")
                .response(200, "The plan after the attempt", plan)
                .handle(ctx -> Routes.json(ctx, 200, FinanceViews.plan(Refusals.orThrow(
                        ticketing.wealth().retryClose(plan(ctx).plan().value(), AdminParams.actor(ctx))))));
        routes.post(BASE + "/plans/{planId}/accept-rail-principal").access(Access.ADMIN).moneyMoving().tag("admin-wealth")
                .operationId("acceptRailPrincipal")
                .summary("Close a plan in review with the principal the rail returned; the difference is booked with the reason")
                .requestBody(Schemas.object().prop("reason", Schemas.string("What the admin found (1-200 characters)"), true).build())
                .response(200, "The closed plan", plan)
                .handle(ctx -> {
                    WealthPlan p = plan(ctx);
                    JsonBody b = Routes.jsonBody(ctx);
                    String reason = b.requiredString("reason", 200);
                    b.done();
                    Routes.json(ctx, 200, FinanceViews.plan(Refusals.orThrow(
                            ticketing.wealth().acceptRailPrincipal(p.plan().value(), AdminParams.actor(ctx), reason))));
                });

        routes.get(BASE + "/instructions").access(Access.ADMIN_READ).tag("admin-wealth").operationId("listWealthInstructions")
                .summary("Invest and withdraw instructions: by state (the queue), by plan or by order; exactly one of the three")
                .param("query", "state", false, "string", states)
                .param("query", "planId", false, "string", "A plan's instructions, oldest first")
                .param("query", "orderId", false, "string", "An order's invest and its tickets' withdraws, oldest first")
                .param("query", "limit", false, "integer", "1-500, default 100")
                .response(200, "Instructions, oldest first", Schemas.object().prop("items", Schemas.array(instruction), true).build())
                .handle(ctx -> {
                    Optional<InstructionState> state = AdminParams.optionalEnum(ctx, "state", InstructionState.class);
                    Optional<String> planId = AdminParams.optionalId(ctx, "planId", 64);
                    Optional<String> orderId = AdminParams.optionalId(ctx, "orderId", 64);
                    int limit = AdminParams.limit(ctx);
                    int given = (state.isPresent() ? 1 : 0) + (planId.isPresent() ? 1 : 0) + (orderId.isPresent() ? 1 : 0);
                    if (given != 1) {
                        throw new ApiException(ProblemType.BAD_REQUEST, "give exactly one of state, planId or orderId");
                    }
                    List<PlanInstruction> list = state.map(s -> ticketing.wealth().byState(s, limit))
                            .or(() -> planId.map(p -> ticketing.wealth().byPlan(p)))
                            .orElseGet(() -> ticketing.wealth().byOrder(orderId.orElseThrow()));
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    list.stream().limit(limit).forEach(i -> items.add(FinanceViews.instruction(i)));
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/instructions/{instructionId}").access(Access.ADMIN_READ).tag("admin-wealth")
                .operationId("getWealthInstruction").summary("An invest or withdraw instruction")
                .response(200, "The instruction", instruction)
                .handle(ctx -> Routes.json(ctx, 200, FinanceViews.instruction(instruction(ctx))));
        routes.post(BASE + "/instructions/{instructionId}/retry").access(Access.ADMIN).moneyMoving().tag("admin-wealth")
                .operationId("retryWealthInstruction")
                .summary("Retry an instruction waiting for funds or in review (after a final decline a new round under the same request id)")
                .response(200, "The instruction after the first attempt", instruction)
                .handle(ctx -> {
                    PlanInstruction i = instruction(ctx);
                    AdminApi.requireBelowThreshold(i.amount(), approvalThreshold, "/console/instructions/" + i.id());
                    Routes.json(ctx, 200, FinanceViews.instruction(Refusals.orThrow(
                            ticketing.wealth().retry(i.id(), AdminParams.actor(ctx)))));
                });
        routes.post(BASE + "/instructions/retry-awaiting-funds").access(Access.ADMIN).moneyMoving().tag("admin-wealth")
                .operationId("retryAwaitingFunds")
                .summary("After topping up the platform's Huijinbao account (and booking it as funding): retry every invest waiting for funds")
                .response(200, "How many were retried; those above the approval threshold are left for the console's approvals",
                        Schemas.object().prop("retried", Schemas.integer("Instructions retried"), true)
                                .prop("needApproval", Schemas.array(Schemas.string("Instruction id")), true).build())
                .handle(ctx -> {
                    BulkRetry done = ticketing.wealth().retryAwaitingFunds(AdminParams.actor(ctx), Optional.of(approvalThreshold));
                    ObjectNode out = Json.object();
                    ArrayNode needApproval = Json.MAPPER.createArrayNode();
                    done.needApproval().forEach(needApproval::add);
                    out.put("retried", done.retried()).set("needApproval", needApproval);
                    Routes.json(ctx, 200, out);
                });
    }

    private WealthPlan plan(Context ctx) {
        String id = ctx.pathParam("planId");
        return ticketing.wealth().plan(id).orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_PLAN, "no wealth plan " + id));
    }

    private PlanInstruction instruction(Context ctx) {
        String id = ctx.pathParam("instructionId");
        return ticketing.wealth().instruction(id)
                .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_WEALTH_INSTRUCTION, "no wealth instruction " + id));
    }
}
