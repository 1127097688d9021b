package org.ticketledger.example.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.ticketledger.example.http.Json;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.profit.ProfitRule;
import org.ticketledger.ticketing.profit.ProfitRun;
import org.ticketledger.ticketing.profit.ProfitShare;
import org.ticketledger.ticketing.reconcile.Explanation;
import org.ticketledger.ticketing.reconcile.WealthLine;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.TicketYield;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * The JSON shapes of combos, wealth plans and their instructions, profit distribution and the
 * wealth side of reconciliation, in the conventions of {@link Views} (camelCase, money as decimal
 * strings, instants as ISO-8601). Thread-safe (stateless).
 */
public final class FinanceViews {

    private FinanceViews() {
    }

    private static String money(Money m) {
        return Views.money(m);
    }

    /** A combo as the admin sees it: the product (with each spot's scenic price), its plan and expiry. */
    public static ObjectNode combo(ComboProduct c) {
        ObjectNode n = Views.product(c.product());
        n.put("planId", c.plan().value()).put("expiresOn", c.expiresOn().toString()).put("expiresAt", c.expiresAt().toString());
        return n;
    }

    public static ObjectNode plan(WealthPlan p) {
        ObjectNode n = Json.object().put("planId", p.plan().value()).put("rail", p.rail().value())
                .put("expiresAt", p.expiresAt().toString()).put("state", p.state().name())
                .put("invested", money(p.invested())).put("currency", p.invested().currency().getCurrencyCode())
                .put("round", p.round()).put("attempts", p.attempts()).put("closeRequestId", p.closeRequestId().value());
        p.nextAttemptAt().ifPresent(t -> n.put("nextAttemptAt", t.toString()));
        p.principal().ifPresent(m -> n.put("principal", money(m)));
        p.yield().ifPresent(m -> n.put("yield", money(m)));
        p.railTxnId().ifPresent(t -> n.put("railTxnId", t));
        p.closedAt().ifPresent(t -> n.put("closedAt", t.toString()));
        p.reason().ifPresent(r -> n.put("reason", r));
        return n;
    }

    public static ObjectNode instruction(PlanInstruction i) {
        ObjectNode n = Json.object().put("id", i.id()).put("kind", i.kind().name()).put("purpose", i.purpose().name())
                .put("planId", i.plan().value()).put("orderId", i.orderId())
                .put("amount", money(i.amount())).put("currency", i.amount().currency().getCurrencyCode())
                .put("state", i.state().name()).put("round", i.round()).put("attempts", i.attempts())
                .put("requestId", i.requestId().value())
                .put("createdAt", i.createdAt().toString()).put("updatedAt", i.updatedAt().toString());
        i.ticketId().ifPresent(t -> n.put("ticketId", t));
        i.spotId().ifPresent(s -> n.put("spotId", s));
        i.nextAttemptAt().ifPresent(t -> n.put("nextAttemptAt", t.toString()));
        i.railTxnId().ifPresent(t -> n.put("railTxnId", t));
        i.railAt().ifPresent(t -> n.put("railAt", t.toString()));
        i.reason().ifPresent(r -> n.put("reason", r));
        return n;
    }

    public static ObjectNode ticketYield(TicketYield y) {
        return Json.object().put("ticketId", y.ticketId()).put("planId", y.plan().value())
                .put("weight", y.weight().toString()).put("yield", money(y.yield()));
    }

    public static ObjectNode profitRule(ProfitRule r) {
        return Json.object().put("beneficiaryId", r.beneficiaryId()).put("stream", r.stream().name())
                .put("basisPoints", r.basisPoints());
    }

    public static ObjectNode profitRun(ProfitRun r) {
        ObjectNode n = Json.object().put("id", r.id()).put("from", r.from().toString()).put("to", r.to().toString())
                .put("mode", r.mode().name()).put("state", r.state().name()).put("total", money(r.total()))
                .put("currency", r.total().currency().getCurrencyCode())
                .put("proposedBy", r.proposedBy()).put("proposedAt", r.proposedAt().toString());
        r.decidedBy().ifPresent(d -> n.put("decidedBy", d));
        r.decidedAt().ifPresent(d -> n.put("decidedAt", d.toString()));
        r.decisionNote().ifPresent(d -> n.put("decisionNote", d));
        r.settledReference().ifPresent(d -> n.put("settledReference", d));
        r.settledAt().ifPresent(d -> n.put("settledAt", d.toString()));
        ArrayNode shares = n.putArray("shares");
        for (ProfitShare s : r.shares()) {
            shares.addObject().put("beneficiaryId", s.beneficiaryId()).put("stream", s.stream().name())
                    .put("base", money(s.base())).put("basisPoints", s.basisPoints()).put("amount", money(s.amount()));
        }
        ObjectNode totals = n.putObject("byBeneficiary");
        for (Map.Entry<String, Money> e : r.byBeneficiary().entrySet()) {
            totals.put(e.getKey(), money(e.getValue()));
        }
        ArrayNode payouts = n.putArray("payoutIds");
        r.payoutIds().forEach(payouts::add);
        return n;
    }

    /** One wealth line of a reconciliation: a plan (or the total, without {@code planId}). */
    public static ObjectNode wealthLine(WealthLine l) {
        ObjectNode n = Json.object().put("account", l.account().value()).put("ledger", money(l.ledger()))
                .put("agrees", l.agrees()).put("note", l.note());
        l.plan().ifPresent(p -> n.put("planId", p.value()));
        l.rail().ifPresent(m -> n.put("rail", money(m)));
        l.accruedYield().ifPresent(m -> n.put("accruedYield", money(m)));
        l.difference().ifPresent(m -> n.put("difference", money(m)));
        n.set("explanations", explanations(l.explanations()));
        return n;
    }

    /** What is in flight and would explain a difference. */
    public static ArrayNode explanations(java.util.List<Explanation> list) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Explanation e : list) {
            ObjectNode x = a.addObject().put("kind", e.kind()).put("subjectId", e.subjectId()).put("state", e.state())
                    .put("railEffect", money(e.railEffect())).put("detail", e.detail());
            e.entrySequence().ifPresent(s -> x.put("entrySequence", s));
        }
        return a;
    }
}
