package org.ticketledger.example.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.example.wire.FinanceViews;
import org.ticketledger.example.wire.Refusals;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.profit.OfflineSettlement;
import org.ticketledger.ticketing.profit.ProfitRule;
import org.ticketledger.ticketing.profit.ProfitRun;
import org.ticketledger.ticketing.profit.RevenueStream;
import org.ticketledger.ticketing.profit.SettlementMode;

/**
 * Admin routes for profit distribution, {@code /admin/v1/profit-rules} and
 * {@code /admin/v1/profit-runs}: the rules, then runs per period with maker-checker approval. One
 * admin proposes, a different admin (another token name: admins are identified by their token's
 * name, {@code admin:<name>}) approves or rejects; an approved ONLINE run is paid through the payout
 * machinery, an approved OFFLINE run is exported as CSV and confirmed with a reference once paid.
 */
public final class ProfitRoutes implements ApiModule {

    private static final String RULES = "/admin/v1/profit-rules";
    private static final String RUNS = "/admin/v1/profit-runs";

    private final Ticketing ticketing;

    /** The routes over {@code ticketing}. */
    public ProfitRoutes(Ticketing ticketing) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
    }

    @Override
    public void register(Routes routes) {
        ObjectNode rule = Schemas.object().prop("beneficiaryId", Schemas.string("An onboarded scenic spot or distributor"), true)
                .prop("stream", Schemas.string("ISSUANCE_FEE, PAYOUT_FEE, MARGIN, INVESTMENT_YIELD or BREAKAGE"), true)
                .prop("basisPoints", Schemas.integer("1-10000 of the stream's net income in the period; ≤ 10000 per stream"), true)
                .build();
        ObjectNode rules = Schemas.object().prop("items", Schemas.array(rule), true).build();
        ObjectNode run = Schemas.object().open().prop("id", Schemas.string(), true)
                .prop("from", Schemas.string("Period start (excluded)"), true).prop("to", Schemas.string("Period end (included)"), true)
                .prop("mode", Schemas.string("OFFLINE or ONLINE"), true)
                .prop("state", Schemas.string("PROPOSED, APPROVED, SETTLED or REJECTED"), true)
                .prop("total", Schemas.amount("Σ shares"), true)
                .prop("proposedBy", Schemas.string("admin:<token name>"), true)
                .prop("decidedBy", Schemas.string("The checker, once decided"), false)
                .prop("shares", Schemas.array(Schemas.object().open().build()), true).build();

        routes.get(RULES).access(Access.ADMIN_READ).tag("admin-profit").operationId("getProfitRules")
                .summary("The profit rules in force").response(200, "Rules", rules)
                .handle(ctx -> Routes.json(ctx, 200, rulesBody(ticketing.profits().rules())));
        routes.put(RULES).access(Access.ADMIN).tag("admin-profit").operationId("setProfitRules")
                .summary("Replace the profit rules (an empty list removes them)")
                .requestBody(Schemas.object().prop("rules", Schemas.array(rule), true).build())
                .response(200, "The rules now in force", rules)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    List<ProfitRule> list = new ArrayList<>();
                    b.requiredObjects("rules", 0, 200, r -> {
                        String beneficiary = r.requiredString("beneficiaryId", 64);
                        RevenueStream stream = r.requiredEnum("stream", RevenueStream.class);
                        long bp = r.requiredLong("basisPoints", 1, 10_000);
                        list.add(new ProfitRule(beneficiary, stream, (int) bp));
                    });
                    b.done();
                    Routes.json(ctx, 200, rulesBody(Refusals.orThrow(ticketing.profits().setRules(list, AdminParams.actor(ctx)))));
                });

        routes.post(RUNS).access(Access.ADMIN).tag("admin-profit").operationId("proposeProfitRun")
                .summary("Propose a run for a period that has ended (maker); nothing is booked until another admin approves")
                .requestBody(Schemas.object()
                        .prop("from", Schemas.string("A date (whole days in the platform's zone) or an instant (excluded)"), true)
                        .prop("to", Schemas.string("A date (included) or an instant (included), like from"), true)
                        .prop("mode", Schemas.string("OFFLINE (export, confirm) or ONLINE (payouts through the rails)"), true).build())
                .response(201, "Proposed", run)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String from = b.requiredString("from", 40);
                    String to = b.requiredString("to", 40);
                    SettlementMode mode = b.requiredEnum("mode", SettlementMode.class);
                    b.done();
                    AdminParams.Period p = AdminParams.period(from, to, "/", false, ticketing);
                    ProfitRun r = Refusals.orThrow(ticketing.profits().propose(p.from(), p.to(), mode, AdminParams.actor(ctx)));
                    ctx.header("Location", RUNS + "/" + r.id());
                    Routes.json(ctx, 201, FinanceViews.profitRun(r));
                });
        routes.get(RUNS).access(Access.ADMIN_READ).tag("admin-profit").operationId("listProfitRuns")
                .summary("Profit runs, newest period first")
                .response(200, "Runs", Schemas.object().prop("items", Schemas.array(run), true).build())
                .handle(ctx -> {
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    ticketing.profits().runs().forEach(r -> items.add(FinanceViews.profitRun(r)));
                    Routes.json(ctx, 200, body);
                });
        routes.get(RUNS + "/{runId}").access(Access.ADMIN_READ).tag("admin-profit").operationId("getProfitRun")
                .summary("A profit run (an online run reads SETTLED once all its payouts are done)")
                .response(200, "The run", run)
                .handle(ctx -> Routes.json(ctx, 200, FinanceViews.profitRun(run(ctx))));
        routes.post(RUNS + "/{runId}/approve").access(Access.ADMIN).moneyMoving().tag("admin-profit").operationId("approveProfitRun")
                .summary("Approve a proposed run (checker: a different admin than the proposer); books the shares, "
                        + "and for an ONLINE run queues one payout per beneficiary")
                .response(200, "Approved", run)
                .handle(ctx -> Routes.json(ctx, 200, FinanceViews.profitRun(Refusals.orThrow(
                        ticketing.profits().approve(run(ctx).id(), AdminParams.actor(ctx))))));
        routes.post(RUNS + "/{runId}/reject").access(Access.ADMIN).tag("admin-profit").operationId("rejectProfitRun")
                .summary("Turn a proposed run down; its period may be proposed again")
                .requestBody(Schemas.object().prop("reason", Schemas.string("1-200 characters"), true).build())
                .response(200, "Rejected", run)
                .handle(ctx -> {
                    ProfitRun r = run(ctx);
                    JsonBody b = Routes.jsonBody(ctx);
                    String reason = b.requiredString("reason", 200);
                    b.done();
                    Routes.json(ctx, 200, FinanceViews.profitRun(Refusals.orThrow(
                            ticketing.profits().reject(r.id(), AdminParams.actor(ctx), reason))));
                });
        routes.get(RUNS + "/{runId}/export").access(Access.ADMIN_READ).tag("admin-profit").operationId("exportProfitRun")
                .summary("An approved run as CSV for offline settlement: run_id,beneficiary_id,name,rail,account,amount,currency")
                .response(200, "CSV (RFC 4180)", "text/csv")
                .handle(ctx -> {
                    ProfitRun r = run(ctx);
                    String csv = Refusals.orThrow(ticketing.profits().export(r.id()));
                    ctx.header("Content-Disposition", "attachment; filename=\"profit-run-" + r.id() + ".csv\"");
                    ctx.status(200).contentType("text/csv; charset=utf-8").result(csv);
                });
        routes.post(RUNS + "/{runId}/confirm").access(Access.ADMIN).moneyMoving().tag("admin-profit")
                .operationId("confirmProfitRun")
                .summary("Confirm an approved OFFLINE run was paid: books the payables off against the rail account it was paid "
                        + "from, or against outside funds (equity) when paidFrom is absent")
                .requestBody(Schemas.object().prop("reference", Schemas.string("Bank or voucher reference ([A-Za-z0-9_.:-]{1,100})"), true)
                        .prop("paidFrom", Schemas.string("ALIPAY or HUIJINBAO: the platform account it was paid from"), false).build())
                .response(200, "Settled", run)
                .handle(ctx -> {
                    ProfitRun r = run(ctx);
                    JsonBody b = Routes.jsonBody(ctx);
                    String reference = b.requiredString("reference", 100);
                    Optional<String> paidFrom = b.optionalString("paidFrom", 32);
                    b.done();
                    Optional<RailId> rail = paidFrom.map(ProfitRoutes::rail);
                    Routes.json(ctx, 200, FinanceViews.profitRun(Refusals.orThrow(ticketing.profits().confirmOffline(
                            r.id(), new OfflineSettlement(reference, rail), AdminParams.actor(ctx)))));
                });
    }

    private static ObjectNode rulesBody(List<ProfitRule> list) {
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        list.forEach(r -> items.add(FinanceViews.profitRule(r)));
        return body;
    }

    private ProfitRun run(Context ctx) {
        String id = ctx.pathParam("runId");
        return ticketing.profits().run(id).orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_PROFIT_RUN, "no profit run " + id));
    }

    private static RailId rail(String value) {
        try {
            return RailId.of(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "unknown rail",
                    List.of(new FieldError("/paidFrom", "must be a rail id such as ALIPAY")));
        }
    }
}
