package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.profit.OfflineSettlement;
import org.ticketledger.ticketing.profit.ProfitRule;
import org.ticketledger.ticketing.profit.ProfitRun;
import org.ticketledger.ticketing.profit.ProfitRunState;
import org.ticketledger.ticketing.profit.RevenueStream;
import org.ticketledger.ticketing.profit.SettlementMode;

/**
 * Profit distribution (利润分配): the rules, runs per period proposed by one admin and approved
 * or rejected by a different one (ticketing refuses the proposer's own approval; the console does
 * not even offer it), the offline export and its confirmation.
 */
final class ProfitPages {

    private final Web web;
    private final Ticketing ticketing;

    ProfitPages(Web web, Ticketing ticketing) {
        this.web = web;
        this.ticketing = ticketing;
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/profits", this::list);
        web.post(r, Console.PREFIX + "/profits", this::propose);
        web.post(r, Console.PREFIX + "/profits/rules", this::addRule);
        web.post(r, Console.PREFIX + "/profits/rules/remove", this::removeRule);
        web.get(r, Console.PREFIX + "/profits/{runId}", this::run);
        web.post(r, Console.PREFIX + "/profits/{runId}/approve", this::approve);
        web.post(r, Console.PREFIX + "/profits/{runId}/reject", this::reject);
        web.post(r, Console.PREFIX + "/profits/{runId}/confirm", this::confirm);
        web.get(r, Console.PREFIX + "/profits/{runId}/export.csv", this::export);
    }

    private void list(Context ctx, Sessions.Session s) {
        Page p = web.page(ctx, s, "profits.title", "profits");
        List<Models.NamedRule> rules = ticketing.profits().rules().stream()
                .map(x -> new Models.NamedRule(x, partyName(x.beneficiaryId()))).toList();
        web.render(ctx, 200, "profits", p, "pr", new Models.ProfitList(rules, ticketing.profits().runs(), Web.actor(s)));
    }

    private void run(Context ctx, Sessions.Session s) {
        Optional<ProfitRun> run = ticketing.profits().run(ctx.pathParam("runId"));
        if (run.isEmpty()) {
            web.error(ctx, s, 404, "error.notFound");
            return;
        }
        Page p = web.page(ctx, s, "profits.run", "profits", run.get().id());
        List<Models.NamedShare> shares = run.get().shares().stream().map(x -> new Models.NamedShare(x, partyName(x.beneficiaryId()))).toList();
        List<String> rails = ticketing.parties().platform().map(pl -> pl.settlementAccounts().keySet().stream().map(RailId::toString)
                .sorted().toList()).orElse(List.of());
        web.render(ctx, 200, "profit", p, "d", new Models.ProfitDetail(run.get(), shares, Web.actor(s), rails,
                web.audit().bySubject(run.get().id())));
    }

    private void propose(Context ctx, Sessions.Session s) {
        String back = Console.PREFIX + "/profits";
        Optional<Platform> platform = ticketing.parties().platform();
        Optional<LocalDate> from = date(ctx.formParam("from"));
        Optional<LocalDate> to = date(ctx.formParam("to"));
        if (platform.isEmpty() || from.isEmpty() || to.isEmpty()) {
            Web.redirect(ctx, back, "err", "flash.periodRequired");
            return;
        }
        SettlementMode mode = "ONLINE".equals(ctx.formParam("mode")) ? SettlementMode.ONLINE : SettlementMode.OFFLINE;
        // Whole days in the platform's zone: from 00:00 of the first to 00:00 after the last.
        Instant start = from.get().atStartOfDay(platform.get().timeZone()).toInstant();
        Instant end = to.get().plusDays(1).atStartOfDay(platform.get().timeZone()).toInstant();
        Outcome<ProfitRun> out = ticketing.profits().propose(start, end, mode, Web.actor(s));
        if (out instanceof Outcome.Refused<ProfitRun> refused) {
            web.audit(s, "profit.propose", "profits", "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        ProfitRun run = ((Outcome.Ok<ProfitRun>) out).value();
        web.audit(s, "profit.proposed", run.id(), "proposed " + mode + " run for " + from.get() + ".." + to.get() + ": "
                + run.total().toDecimalString() + "; awaits a second admin");
        Web.redirect(ctx, Console.PREFIX + "/profits/" + Web.segment(run.id()), "ok", "flash.profitProposed");
    }

    private void approve(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("runId");
        String back = Console.PREFIX + "/profits/" + Web.segment(id);
        Outcome<ProfitRun> out = ticketing.profits().approve(id, Web.actor(s));
        if (out instanceof Outcome.Refused<ProfitRun> refused) {
            web.audit(s, "profit.approve", id, "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        ProfitRun run = ((Outcome.Ok<ProfitRun>) out).value();
        web.audit(s, "profit.approved", id, "approved " + run.total().toDecimalString() + " proposed by " + run.proposedBy()
                + "; now " + run.state());
        Web.redirect(ctx, back, "ok", "flash.profitApproved");
    }

    private void reject(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("runId");
        String back = Console.PREFIX + "/profits/" + Web.segment(id);
        Optional<String> note = Web.field(ctx, "note", 500);
        if (note.isEmpty()) {
            Web.redirect(ctx, back, "err", "flash.reasonRequired");
            return;
        }
        Outcome<ProfitRun> out = ticketing.profits().reject(id, Web.actor(s), note.get());
        if (out instanceof Outcome.Refused<ProfitRun> refused) {
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        web.audit(s, "profit.rejected", id, "rejected: " + note.get());
        Web.redirect(ctx, back, "ok", "flash.rejected");
    }

    private void confirm(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("runId");
        String back = Console.PREFIX + "/profits/" + Web.segment(id);
        Optional<String> reference = Web.field(ctx, "reference", 100).filter(r -> r.matches("[A-Za-z0-9_.:-]{1,100}"));
        if (reference.isEmpty()) {
            Web.redirect(ctx, back, "err", "flash.referenceRequired");
            return;
        }
        Optional<RailId> paidFrom = Optional.ofNullable(ctx.formParam("paidFrom")).filter(v -> !v.isBlank() && !v.equals("OUTSIDE"))
                .flatMap(v -> {
                    try {
                        return Optional.of(RailId.of(v));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
        Outcome<ProfitRun> out = ticketing.profits().confirmOffline(id, new OfflineSettlement(reference.get(), paidFrom), Web.actor(s));
        if (out instanceof Outcome.Refused<ProfitRun> refused) {
            web.audit(s, "profit.confirm", id, "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        web.audit(s, "profit.settled", id, "confirmed paid offline, reference " + reference.get()
                + paidFrom.map(r -> " from " + r).orElse(" from outside the platform's rail accounts"));
        Web.redirect(ctx, back, "ok", "flash.profitSettled");
    }

    private void export(Context ctx, Sessions.Session s) {
        String id = ctx.pathParam("runId");
        Outcome<String> out = ticketing.profits().export(id);
        if (out instanceof Outcome.Refused<String> refused) {
            Web.redirect(ctx, Console.PREFIX + "/profits/" + Web.segment(id), "code", refused.problem().code().name());
            return;
        }
        web.audit(s, "profit.exported", id, "settlement CSV downloaded");
        ctx.header("Content-Disposition", "attachment; filename=\"profit-run-" + id.replaceAll("[^A-Za-z0-9_-]", "") + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(((Outcome.Ok<String>) out).value().getBytes(StandardCharsets.UTF_8));
    }

    private void addRule(Context ctx, Sessions.Session s) {
        String back = Console.PREFIX + "/profits";
        Optional<String> beneficiary = Web.field(ctx, "beneficiaryId", 64);
        Optional<RevenueStream> stream = Optional.ofNullable(ctx.formParam("stream")).flatMap(v -> {
            for (RevenueStream x : RevenueStream.values()) {
                if (x.name().equals(v)) {
                    return Optional.of(x);
                }
            }
            return Optional.empty();
        });
        Optional<Integer> bp = Web.field(ctx, "basisPoints", 5).filter(v -> v.matches("[0-9]{1,5}")).map(Integer::parseInt);
        if (beneficiary.isEmpty() || stream.isEmpty() || bp.isEmpty()) {
            Web.redirect(ctx, back, "err", "flash.ruleInvalid");
            return;
        }
        List<ProfitRule> rules = new ArrayList<>(ticketing.profits().rules());
        rules.removeIf(x -> x.beneficiaryId().equals(beneficiary.get()) && x.stream() == stream.get());
        rules.add(new ProfitRule(beneficiary.get(), stream.get(), bp.get()));
        setRules(ctx, s, rules, "set " + beneficiary.get() + " " + stream.get() + " " + bp.get() + " bp");
    }

    private void removeRule(Context ctx, Sessions.Session s) {
        String beneficiary = Optional.ofNullable(ctx.formParam("beneficiaryId")).orElse("");
        String stream = Optional.ofNullable(ctx.formParam("stream")).orElse("");
        List<ProfitRule> rules = new ArrayList<>(ticketing.profits().rules());
        rules.removeIf(x -> x.beneficiaryId().equals(beneficiary) && x.stream().name().equals(stream));
        setRules(ctx, s, rules, "removed " + beneficiary + " " + stream);
    }

    private void setRules(Context ctx, Sessions.Session s, List<ProfitRule> rules, String what) {
        String back = Console.PREFIX + "/profits";
        Outcome<List<ProfitRule>> out = ticketing.profits().setRules(rules, Web.actor(s));
        if (out instanceof Outcome.Refused<List<ProfitRule>> refused) {
            web.audit(s, "profit.rules", "profits", "refused: " + refused.problem().code() + " " + refused.problem().message());
            Web.redirect(ctx, back, "code", refused.problem().code().name());
            return;
        }
        web.audit(s, "profit.rules", "profits", what);
        Web.redirect(ctx, back, "ok", "flash.rulesSaved");
    }

    private String partyName(String id) {
        return ticketing.parties().scenicSpot(id).map(x -> x.name())
                .or(() -> ticketing.parties().distributor(id).map(d -> d.name())).orElse(id);
    }

    private static Optional<LocalDate> date(String v) {
        try {
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(v.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Runs a second admin has to decide. */
    static long proposed(Ticketing t) {
        return t.profits().runs().stream().filter(r -> r.state() == ProfitRunState.PROPOSED).count();
    }
}
