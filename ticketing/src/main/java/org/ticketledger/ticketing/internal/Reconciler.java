package org.ticketledger.ticketing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.PositionResult;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.reconcile.Explanation;
import org.ticketledger.ticketing.reconcile.RailLine;
import org.ticketledger.ticketing.reconcile.Reconciliation;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;
import org.ticketledger.ticketing.reconcile.WealthLine;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * {@link Reconciliation}: ledger settlement balances against {@code PaymentRail.balance()}, and
 * the wealth position (per plan by the books, in total by the ledger account) against
 * {@code WealthRail.position}. Each line lists what is in flight on it: collections, payouts,
 * invests, withdraws and redeem-alls the rail may have carried out before the ledger posted them.
 */
final class Reconciler implements Reconciliation {

    private final Ctx ctx;
    private final RailGateway rails;

    Reconciler(Ctx ctx, RailGateway rails) {
        this.ctx = ctx;
        this.rails = rails;
    }

    @Override
    public ReconciliationReport check() {
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return new ReconciliationReport(ctx.now(), List.of(), false, List.of());
        }
        Platform p = platform.get();
        List<RailLine> lines = new ArrayList<>();
        for (RailId rail : p.settlementAccounts().keySet().stream().sorted((a, b) -> a.value().compareTo(b.value())).toList()) {
            AccountCode code = Book.settlement(rail);
            Balance b = ctx.journal.balance(p.ledger(), code).orElseThrow();
            Money ledger = b.posted();
            Money held = Money.of(b.creditsPending(), p.currency());
            List<Explanation> inFlight = settlementInFlight(rail, p);
            BalanceResult r = rails.balance(rail);
            if (r instanceof BalanceResult.Available a) {
                Money diff = a.available().minus(ledger);
                lines.add(new RailLine(rail, code, ledger, held, Optional.of(a.available()), Optional.of(diff),
                        note(diff, inFlight, held), inFlight));
            } else {
                lines.add(new RailLine(rail, code, ledger, held, Optional.empty(), Optional.empty(),
                        "rail balance unavailable: " + ((BalanceResult.Unavailable) r).cause(), inFlight));
            }
        }
        boolean trial = ctx.journal.trialBalance(p.ledger(), AsOf.latest()).balanced();
        return new ReconciliationReport(ctx.now(), lines, trial, wealth(p));
    }

    private List<WealthLine> wealth(Platform p) {
        List<WealthPlan> plans = ctx.db.read(h -> h.createQuery("SELECT plan_id FROM ticketing.wealth_plans ORDER BY expires_at, plan_id")
                .mapTo(String.class).list().stream().map(id -> WealthImpl.loadPlan(h, id).orElseThrow()).toList());
        if (plans.isEmpty()) {
            return List.of();
        }
        AccountCode account = Book.wealth(ctx.wealthRail);
        List<WealthLine> out = new ArrayList<>();
        Money railTotal = Money.zero(p.currency());
        boolean allAnswered = true;
        List<Explanation> allInFlight = new ArrayList<>();
        for (WealthPlan plan : plans) {
            List<Explanation> inFlight = planInFlight(plan, p);
            allInFlight.addAll(inFlight);
            PositionResult r = rails.position(plan.rail(), plan.plan());
            if (r instanceof PositionResult.Position pos) {
                Money diff = pos.principal().minus(plan.invested());
                railTotal = railTotal.plus(pos.principal());
                out.add(new WealthLine(account, Optional.of(plan.plan()), plan.invested(), Optional.of(pos.principal()),
                        Optional.of(pos.accruedYield()), Optional.of(diff), note(diff, inFlight, Money.zero(p.currency()))
                        + " (" + plan.state() + ")", inFlight));
            } else {
                allAnswered = false;
                out.add(new WealthLine(account, Optional.of(plan.plan()), plan.invested(), Optional.empty(), Optional.empty(),
                        Optional.empty(), "position unavailable: " + ((PositionResult.Unavailable) r).cause(), inFlight));
            }
        }
        Money ledger = ctx.journal.balance(p.ledger(), account).map(Balance::posted).orElse(Money.zero(p.currency()));
        if (allAnswered) {
            Money diff = railTotal.minus(ledger);
            out.add(new WealthLine(account, Optional.empty(), ledger, Optional.of(railTotal), Optional.empty(),
                    Optional.of(diff), note(diff, allInFlight, Money.zero(p.currency())), allInFlight));
        } else {
            out.add(new WealthLine(account, Optional.empty(), ledger, Optional.empty(), Optional.empty(), Optional.empty(),
                    "a plan's position is unavailable", allInFlight));
        }
        return out;
    }

    private static String note(Money diff, List<Explanation> inFlight, Money held) {
        if (diff.isZero()) {
            return "agrees";
        }
        Money explained = inFlight.stream().map(Explanation::railEffect).reduce(Money.zero(diff.currency()), Money::plus);
        String s = "differs by " + diff.toDecimalString();
        if (held.isPositive()) {
            s += " with " + held.toDecimalString() + " held for payouts and invests in flight";
        }
        if (!inFlight.isEmpty() && explained.equals(diff)) {
            return s + "; explained by " + inFlight.size() + " instruction(s) in flight the rail carried out";
        }
        return s + (inFlight.isEmpty() ? "; nothing in flight explains it" : "; in flight: " + explained.toDecimalString());
    }

    /** What may have moved the rail account without the ledger knowing yet. */
    private List<Explanation> settlementInFlight(RailId rail, Platform p) {
        List<Explanation> out = new ArrayList<>();
        ctx.db.read(h -> {
            h.createQuery("SELECT order_id, state, total_minor FROM ticketing.orders WHERE rail = :r"
                            + " AND state IN ('CHARGING', 'CHARGE_UNKNOWN')")
                    .bind("r", rail.value())
                    .map((rs, c) -> new Explanation("COLLECT", rs.getString(1), rs.getString(2), OptionalLong.empty(),
                            Money.of(rs.getLong(3), p.currency()), "collection not final"))
                    .forEach(out::add);
            h.createQuery("SELECT payout_id, state, net_minor, hold_sequence FROM ticketing.payouts WHERE rail = :r"
                            + " AND state IN ('SENT', 'RETRYING', 'MANUAL_REVIEW') AND hold_sequence IS NOT NULL")
                    .bind("r", rail.value())
                    .map((rs, c) -> new Explanation("PAYOUT", rs.getString(1), rs.getString(2), OptionalLong.of(rs.getLong(4)),
                            Money.of(rs.getLong(3), p.currency()).negate(), "payout held, outcome not final"))
                    .forEach(out::add);
            if (rail.equals(ctx.wealthRail)) {
                h.createQuery("SELECT instruction_id, kind, state, amount_minor, hold_sequence FROM ticketing.plan_instructions"
                                + " WHERE state IN ('SENT', 'RETRYING', 'MANUAL_REVIEW')")
                        .map((rs, c) -> {
                            long hold = rs.getLong(5);
                            boolean invest = rs.getString(2).equals("INVEST");
                            Money amount = Money.of(rs.getLong(4), p.currency());
                            return new Explanation(rs.getString(2), rs.getString(1), rs.getString(3),
                                    rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(hold),
                                    invest ? amount.negate() : amount, (invest ? "invest" : "withdraw") + " not final");
                        })
                        .forEach(out::add);
                List<String> closing = h.createQuery("SELECT plan_id FROM ticketing.wealth_plans WHERE sent"
                        + " AND state IN ('CLOSING', 'MANUAL_REVIEW')").mapTo(String.class).list();
                for (String planId : closing) {
                    WealthPlan plan = WealthImpl.loadPlan(h, planId).orElseThrow();
                    out.add(new Explanation("PLAN_CLOSE", planId, plan.state().name(), OptionalLong.empty(), plan.invested(),
                            "redeem-all sent, not booked (plus any yield)"));
                }
            }
            return null;
        });
        return out;
    }

    private List<Explanation> planInFlight(WealthPlan plan, Platform p) {
        List<Explanation> out = new ArrayList<>();
        ctx.db.read(h -> h.createQuery("SELECT instruction_id, kind, state, amount_minor, hold_sequence FROM ticketing.plan_instructions"
                        + " WHERE plan_id = :p AND state IN ('SENT', 'RETRYING', 'MANUAL_REVIEW')")
                .bind("p", plan.plan().value())
                .map((rs, c) -> {
                    long hold = rs.getLong(5);
                    boolean invest = rs.getString(2).equals("INVEST");
                    Money amount = Money.of(rs.getLong(4), p.currency());
                    return new Explanation(rs.getString(2), rs.getString(1), rs.getString(3),
                            rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(hold), invest ? amount : amount.negate(),
                            (invest ? "invest" : "withdraw") + " not final");
                })
                .list()).forEach(out::add);
        if (plan.state().name().equals("CLOSING") || plan.state().name().equals("MANUAL_REVIEW")) {
            boolean sent = ctx.db.read(h -> h.createQuery("SELECT sent FROM ticketing.wealth_plans WHERE plan_id = :p")
                    .bind("p", plan.plan().value()).mapTo(Boolean.class).one());
            if (sent) {
                out.add(new Explanation("PLAN_CLOSE", plan.plan().value(), plan.state().name(), OptionalLong.empty(),
                        plan.invested().negate(), "redeem-all sent, not booked"));
            }
        }
        return out;
    }
}
