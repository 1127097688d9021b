package org.ticketledger.ticketing.testing;

import java.util.Objects;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * A rail that hands every call to another: tests override the calls they count, hold, block or
 * fail around a real rail ({@link Harness#newTicketing(String, PaymentRail)}).
 */
public abstract class ForwardingRail implements PaymentRail {

    protected final PaymentRail inner;

    protected ForwardingRail(PaymentRail inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    @Override
    public RailId id() {
        return inner.id();
    }

    @Override
    public RailOutcome collect(Instruction instruction) {
        return inner.collect(instruction);
    }

    @Override
    public RailOutcome payout(Instruction instruction) {
        return inner.payout(instruction);
    }

    @Override
    public RailOutcome query(InstructionType type, RequestId requestId) {
        return inner.query(type, requestId);
    }

    @Override
    public BalanceResult balance() {
        return inner.balance();
    }
}
