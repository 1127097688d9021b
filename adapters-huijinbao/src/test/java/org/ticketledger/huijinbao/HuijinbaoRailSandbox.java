package org.ticketledger.huijinbao;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.testing.RailSandbox;

/** The rail contract's view of a {@link HuijinbaoSandbox}. */
final class HuijinbaoRailSandbox implements RailSandbox {

    private static final AtomicInteger PARTIES = new AtomicInteger();

    private final HuijinbaoSandbox sandbox;
    private final Duration faultDelay;

    HuijinbaoRailSandbox(HuijinbaoSandbox sandbox, Duration faultDelay) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.faultDelay = Objects.requireNonNull(faultDelay, "faultDelay");
    }

    HuijinbaoSandbox sandbox() {
        return sandbox;
    }

    @Override
    public RailId rail() {
        return RailId.HUIJINBAO;
    }

    @Override
    public PartyAccount openParty(Money balance) {
        return sandbox.openAccount("RC" + PARTIES.incrementAndGet(), balance);
    }

    @Override
    public PartyAccount unknownParty() {
        return HuijinbaoSandbox.partyAccount("NOBODY-999");
    }

    @Override
    public Money balanceOf(PartyAccount party) {
        return sandbox.balance(party.identity());
    }

    @Override
    public void setBalance(PartyAccount party, Money balance) {
        sandbox.setBalance(party.identity(), balance);
    }

    @Override
    public Money platformBalance() {
        return sandbox.platformBalance();
    }

    @Override
    public void setPlatformBalance(Money balance) {
        sandbox.setBalance(sandbox.platformAccount(), balance);
    }

    @Override
    public Money minimumAmount(InstructionType type) {
        return Money.cny(1);
    }

    @Override
    public Money maximumAmount(InstructionType type) {
        return sandbox.perTransactionLimit().orElseThrow();
    }

    @Override
    public void injectFault(Call call, Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            sandbox.injectFault(fault(fault), operation(call));
        }
    }

    @Override
    public void clearFaults() {
        sandbox.clearFaults();
    }

    @Override
    public void close() {
        sandbox.close();
    }

    private static SandboxOperation operation(Call call) {
        return switch (call) {
            case COLLECT -> SandboxOperation.COLLECT;
            case PAYOUT -> SandboxOperation.PAYOUT;
            case QUERY_COLLECT, QUERY_PAYOUT -> SandboxOperation.ORDER_QUERY;
            case BALANCE -> SandboxOperation.BALANCE;
        };
    }

    /** The contract's faults in HJB-API terms: 503 is "not done", 500 is "outcome unknown". */
    private org.ticketledger.huijinbao.sandbox.Fault fault(Fault fault) {
        return switch (fault) {
            case INSUFFICIENT_BALANCE -> org.ticketledger.huijinbao.sandbox.Fault.insufficientFunds();
            case DELAY_PAST_TIMEOUT -> org.ticketledger.huijinbao.sandbox.Fault.slowReply(faultDelay);
            case SERVER_ERROR -> org.ticketledger.huijinbao.sandbox.Fault.unavailable();
            case SERVER_ERROR_AFTER_APPLY -> org.ticketledger.huijinbao.sandbox.Fault.gatewayTimeout();
            case UNKNOWN_OUTCOME -> org.ticketledger.huijinbao.sandbox.Fault.serverError();
            case UNKNOWN_OUTCOME_AFTER_APPLY -> org.ticketledger.huijinbao.sandbox.Fault.serverErrorAfterProcessing();
            case REPLY_LOST -> org.ticketledger.huijinbao.sandbox.Fault.lostReply();
        };
    }
}
