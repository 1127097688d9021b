package org.ticketledger.alipay;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.testing.RailSandbox;

/** The rail contract's view of an {@link AlipaySandbox}. */
final class AlipayRailSandbox implements RailSandbox {

    private static final AtomicInteger PARTIES = new AtomicInteger();

    private final AlipaySandbox sandbox;

    AlipayRailSandbox(AlipaySandbox sandbox) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    }

    AlipaySandbox sandbox() {
        return sandbox;
    }

    @Override
    public RailId rail() {
        return RailId.ALIPAY;
    }

    @Override
    public PartyAccount openParty(Money balance) {
        int n = PARTIES.incrementAndGet();
        return sandbox.openParty("party" + n + "@contract.example", "分销商" + n, balance);
    }

    @Override
    public PartyAccount unknownParty() {
        return PartyAccount.of(RailId.ALIPAY, IdentityType.USER_ID, "2088999999999999")
                .withAgreement("20269999999999999999");
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
        sandbox.setPlatformBalance(balance);
    }

    @Override
    public Money minimumAmount(InstructionType type) {
        // total_amount starts at 0.01; TRANS_ACCOUNT_NO_PWD transfers at 0.10.
        return type == InstructionType.PAYOUT ? Money.cny(10) : Money.cny(1);
    }

    @Override
    public Money maximumAmount(InstructionType type) {
        return Money.parseCny("100000000.00");
    }

    @Override
    public void injectFault(Call call, Fault fault, int times) {
        sandbox.injectFault(method(call), AlipayFault.valueOf(fault.name()), times);
    }

    @Override
    public void clearFaults() {
        sandbox.clearFaults();
    }

    @Override
    public void close() {
        sandbox.close();
    }

    static String method(Call call) {
        return switch (call) {
            case COLLECT -> "alipay.trade.pay";
            case PAYOUT -> "alipay.fund.trans.uni.transfer";
            case QUERY_COLLECT -> "alipay.trade.query";
            case QUERY_PAYOUT -> "alipay.fund.trans.common.query";
            case BALANCE -> "alipay.fund.account.query";
        };
    }
}
