package org.ticketledger.ticketing.internal;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.PositionResult;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;
import org.ticketledger.payment.WealthRail;

/**
 * Calls rails, never inside a database transaction. An exception from an adapter (a bug, or a
 * transport failure it did not classify) is an {@link RailOutcome.Unknown}: the money may have
 * moved, so the flow queries before any retry, exactly as for a timeout.
 */
final class RailGateway {

    private static final Logger LOG = LoggerFactory.getLogger(RailGateway.class);

    private final RailRegistry rails;

    RailGateway(RailRegistry rails) {
        this.rails = rails;
    }

    RailOutcome collect(Instruction instruction) {
        return call(instruction.party().rail(), "collect " + instruction.requestId(), r -> r.collect(instruction));
    }

    RailOutcome payout(Instruction instruction) {
        return call(instruction.party().rail(), "payout " + instruction.requestId(), r -> r.payout(instruction));
    }

    RailOutcome query(RailId rail, InstructionType type, RequestId id) {
        return call(rail, "query " + type + " " + id, r -> r.query(type, id));
    }

    /** Whether {@code rail} is registered and can operate wealth plans. */
    boolean hasWealth(RailId rail) {
        return rails.find(rail).flatMap(PaymentRail::wealth).isPresent();
    }

    RailOutcome subscribe(RailId rail, WealthInstruction instruction) {
        return wealthCall(rail, "subscribe " + instruction.requestId(), w -> w.subscribe(instruction));
    }

    RailOutcome redeem(RailId rail, WealthInstruction instruction) {
        return wealthCall(rail, "redeem " + instruction.requestId(), w -> w.redeem(instruction));
    }

    RailOutcome redeemAll(RailId rail, RequestId requestId, PlanId plan) {
        return wealthCall(rail, "redeem-all " + requestId, w -> w.redeemAll(requestId, plan));
    }

    PositionResult position(RailId rail, PlanId plan) {
        Optional<WealthRail> w = rails.find(rail).flatMap(PaymentRail::wealth);
        if (w.isEmpty()) {
            return new PositionResult.Unavailable("rail " + rail + " has no wealth capability registered");
        }
        try {
            PositionResult r = w.get().position(plan);
            return r == null ? new PositionResult.Unavailable("rail returned no position") : r;
        } catch (RuntimeException e) {
            LOG.warn("position query on {} failed: {}", rail, e.toString());
            return new PositionResult.Unavailable("rail error: " + e.getClass().getSimpleName());
        }
    }

    private RailOutcome wealthCall(RailId railId, String what, java.util.function.Function<WealthRail, RailOutcome> f) {
        return call(railId, what, r -> r.wealth().map(f)
                .orElseGet(() -> new RailOutcome.Unknown("rail " + railId + " has no wealth capability")));
    }

    BalanceResult balance(RailId rail) {
        Optional<PaymentRail> r = rails.find(rail);
        if (r.isEmpty()) {
            return new BalanceResult.Unavailable("rail " + rail + " is not registered");
        }
        try {
            return r.get().balance();
        } catch (RuntimeException e) {
            LOG.warn("balance query on {} failed: {}", rail, e.toString());
            return new BalanceResult.Unavailable("rail error: " + e.getClass().getSimpleName());
        }
    }

    private RailOutcome call(RailId railId, String what, java.util.function.Function<PaymentRail, RailOutcome> f) {
        Optional<PaymentRail> rail = rails.find(railId);
        if (rail.isEmpty()) {
            LOG.error("{}: rail {} is not registered; will retry", what, railId);
            return new RailOutcome.Unknown("rail " + railId + " is not registered");
        }
        try {
            RailOutcome out = f.apply(rail.get());
            if (out == null) {
                return new RailOutcome.Unknown("rail returned no outcome");
            }
            LOG.debug("{} on {} -> {}", what, railId, out.getClass().getSimpleName());
            return out;
        } catch (RuntimeException e) {
            LOG.warn("{} on {} threw {}; treating the outcome as unknown", what, railId, e.toString());
            return new RailOutcome.Unknown("rail client error: " + e.getClass().getSimpleName());
        }
    }
}
