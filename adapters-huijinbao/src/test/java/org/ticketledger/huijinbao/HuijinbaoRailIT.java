package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ticketledger.huijinbao.Fixture.yuan;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * The payment-rail contract (success, insufficient funds, duplicate request ids, unknown outcomes
 * resolved by query, edge amounts) for {@link HuijinbaoRail} against the sandbox over loopback HTTP.
 */
class HuijinbaoRailIT {

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start(s -> s.platformBalance(yuan("1000.00")), r -> r);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void collectMovesMoneyFromMemberToPlatform() {
        PartyAccount m = f.member("M1001", "500.00");

        RailOutcome out = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("101.00"), "order 1"));

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> {
            assertThat(s.amount()).isEqualTo(yuan("101.00"));
            assertThat(s.railTxnId()).startsWith("HJB20261201");
            assertThat(s.at()).isEqualTo(Fixture.START);
            assertThat(s.yield()).isEmpty();
        });
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("399.00"));
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("1101.00"));
    }

    @Test
    void payoutMovesMoneyFromPlatformToMember() {
        PartyAccount m = f.member("S2001", "0.00");

        RailOutcome out = f.rail.payout(Instruction.payout(RequestId.of("P-1"), m, yuan("89.10"), "payout"));

        assertThat(out).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.balance("S2001")).isEqualTo(yuan("89.10"));
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("910.90"));
    }

    @Test
    void declinesCollectionBeyondTheMembersBalanceAndMovesNothing() {
        PartyAccount m = f.member("M1001", "100.00");

        RailOutcome out = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("100.01"), "order"));

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class, d -> {
            assertThat(d.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
            assertThat(d.rawCode()).isEqualTo("INSUFFICIENT_FUNDS");
        });
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("100.00"));
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("1000.00"));
    }

    @Test
    void declinesPayoutBeyondThePlatformBalance() {
        PartyAccount m = f.member("S2001", "0.00");

        RailOutcome out = f.rail.payout(Instruction.payout(RequestId.of("P-1"), m, yuan("1000.01"), "payout"));

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS));
        assertThat(f.sandbox.balance("S2001")).isEqualTo(yuan("0.00"));
    }

    @Test
    void aRefusalBindsNothingSoTheSameRequestIdSucceedsAfterATopUp() {
        PartyAccount m = f.member("M1001", "10.00");
        Instruction order = Instruction.collect(RequestId.of("C-1"), m, yuan("50.00"), "order");
        assertThat(f.rail.collect(order)).isInstanceOf(RailOutcome.Declined.class);
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.NotFound.class);

        f.sandbox.deposit("M1001", yuan("100.00"));

        assertThat(f.rail.collect(order)).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.rail.collect(order)).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("60.00"));
        assertThat(f.sandbox.orders()).hasSize(1);
    }

    @Test
    void aRefusedRequestIdCanLaterCarryOtherParameters() {
        PartyAccount m = f.member("M1001", "10.00");
        assertThat(f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("50.00"), "order")))
                .isInstanceOf(RailOutcome.Declined.class);

        assertThat(f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("5.00"), "order")))
                .isInstanceOf(RailOutcome.Succeeded.class);
    }

    @Test
    void unknownAndFrozenAccountsAreDeclinedAsInvalid() {
        f.member("M1001", "100.00");
        f.sandbox.freeze("M1001");

        RailOutcome unknown = f.rail.payout(Instruction.payout(RequestId.of("P-1"),
                HuijinbaoSandbox.partyAccount("NOBODY"), yuan("1.00"), "payout"));
        RailOutcome frozen = f.rail.collect(Instruction.collect(RequestId.of("C-1"),
                HuijinbaoSandbox.partyAccount("M1001"), yuan("1.00"), "order"));
        RailOutcome malformed = f.rail.payout(Instruction.payout(RequestId.of("P-2"),
                HuijinbaoSandbox.partyAccount("not an account!"), yuan("1.00"), "payout"));

        assertThat(unknown).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.ACCOUNT_INVALID));
        assertThat(frozen).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.rawCode()).isEqualTo("ACCOUNT_FROZEN"));
        assertThat(malformed).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.ACCOUNT_INVALID));
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("1000.00"));
    }

    @Test
    void repeatingARequestWithTheSameParametersReturnsTheOriginalResultAndMovesMoneyOnce() {
        PartyAccount m = f.member("M1001", "500.00");
        Instruction order = Instruction.collect(RequestId.of("C-1"), m, yuan("101.00"), "order 1");

        RailOutcome first = f.rail.collect(order);
        f.sandbox.advanceDays(1);
        RailOutcome second = f.rail.collect(order);

        assertThat(second).isEqualTo(first);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("399.00"));
        assertThat(f.sandbox.orders()).hasSize(1);
    }

    @Test
    void reusingARequestIdWithDifferentParametersIsAConflictAndMovesNothing() {
        PartyAccount m = f.member("M1001", "500.00");
        f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("101.00"), "order 1"));

        RailOutcome otherAmount = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("102.00"), "order 1"));
        RailOutcome otherTitle = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("101.00"), "order 2"));

        assertThat(otherAmount).isInstanceOfSatisfying(RailOutcome.Conflict.class,
                c -> assertThat(c.rawCode()).isEqualTo("IDEMPOTENCY_CONFLICT"));
        assertThat(otherTitle).isInstanceOf(RailOutcome.Conflict.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("399.00"));
    }

    @Test
    void collectAndPayoutKeepSeparateRequestIdNamespaces() {
        PartyAccount m = f.member("M1001", "500.00");

        RailOutcome collect = f.rail.collect(Instruction.collect(RequestId.of("X-1"), m, yuan("10.00"), "order"));
        RailOutcome payout = f.rail.payout(Instruction.payout(RequestId.of("X-1"), m, yuan("20.00"), "payout"));

        assertThat(collect).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(payout).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("510.00"));
    }

    @Test
    void anUnansweredRequestIsUnknownAndTheQueryResolvesIt() {
        PartyAccount m = f.member("M1001", "500.00");
        try (HuijinbaoRail noRetries = f.otherRail(r -> r.readAttempts(1))) {
            f.sandbox.injectFault(Fault.lostReply(), SandboxOperation.COLLECT);

            RailOutcome out = noRetries.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("101.00"), "order"));

            assertThat(out).isInstanceOf(RailOutcome.Unknown.class);
            RailOutcome resolved = noRetries.query(InstructionType.COLLECT, RequestId.of("C-1"));
            assertThat(resolved).isInstanceOfSatisfying(RailOutcome.Succeeded.class,
                    s -> assertThat(s.amount()).isEqualTo(yuan("101.00")));
        }
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("399.00"));
    }

    @Test
    void anUnansweredRequestThatNeverArrivedIsNotFoundSoResendingIsSafe() {
        PartyAccount m = f.member("M1001", "500.00");
        Instruction order = Instruction.collect(RequestId.of("C-1"), m, yuan("101.00"), "order");
        try (HuijinbaoRail noRetries = f.otherRail(r -> r.readAttempts(1))) {
            f.sandbox.injectFault(Fault.serverError(), SandboxOperation.COLLECT);

            assertThat(noRetries.collect(order)).isInstanceOf(RailOutcome.Unknown.class);
            assertThat(noRetries.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.NotFound.class);
            assertThat(noRetries.collect(order)).isInstanceOf(RailOutcome.Succeeded.class);
        }
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("399.00"));
    }

    @Test
    void queryOfARequestIdNeverSentIsNotFound() {
        assertThat(f.rail.query(InstructionType.PAYOUT, RequestId.of("never-sent"))).isInstanceOf(RailOutcome.NotFound.class);
        assertThat(f.rail.query(InstructionType.REDEEM_ALL, RequestId.of("never-sent"))).isInstanceOf(RailOutcome.NotFound.class);
    }

    @Test
    void queryReturnsTheSameOutcomeTheWriteReturned() {
        PartyAccount m = f.member("S2001", "0.00");
        RailOutcome out = f.rail.payout(Instruction.payout(RequestId.of("P-1"), m, yuan("12.34"), "payout"));

        assertThat(f.rail.query(InstructionType.PAYOUT, RequestId.of("P-1"))).isEqualTo(out);
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of("P-1"))).isInstanceOf(RailOutcome.NotFound.class);
    }

    @Test
    void movesTheSmallestAmount() {
        PartyAccount m = f.member("M1001", "0.01");

        RailOutcome out = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("0.01"), "order"));

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Succeeded.class,
                s -> assertThat(s.amount()).isEqualTo(Money.cny(1)));
        assertThat(f.sandbox.balance("M1001")).isEqualTo(Money.cny(0));
    }

    @Test
    void movesTheLargestAmountTheLimitAllowsExactlyAndRefusesOneFenMore() {
        Money limit = HuijinbaoSandbox.DEFAULT_LIMIT;
        PartyAccount m = f.member("M1001", "200000000.00");

        RailOutcome at = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, limit, "order"));
        RailOutcome over = f.rail.collect(Instruction.collect(RequestId.of("C-2"), m, limit.plus(Money.cny(1)), "order"));

        assertThat(at).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> assertThat(s.amount()).isEqualTo(limit));
        assertThat(over).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.LIMIT_EXCEEDED));
        assertThat(f.sandbox.platformBalance()).isEqualTo(limit.plus(yuan("1000.00")));
    }

    @Test
    void declinesTheLargestRepresentableAmountAndMovesNothing() {
        PartyAccount m = f.member("M1001", "100.00");

        RailOutcome out = f.rail.collect(Instruction.collect(RequestId.of("C-1"), m, Money.cny(Long.MAX_VALUE), "order"));

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.LIMIT_EXCEEDED));
        assertThat(f.rail.query(InstructionType.COLLECT, RequestId.of("C-1"))).isInstanceOf(RailOutcome.NotFound.class);
        assertThat(f.sandbox.balance("M1001")).isEqualTo(yuan("100.00"));
    }

    @Test
    void withoutALimitDeclinesAnAmountThatWouldOverflowTheReceivingAccount() {
        try (Fixture unlimited = Fixture.start(s -> s.noTransactionLimit().platformBalance(yuan("1000.00")), r -> r)) {
            Money max = Money.cny(Long.MAX_VALUE);
            PartyAccount m = unlimited.member("M1001", max.toDecimalString());

            RailOutcome out = unlimited.rail.collect(Instruction.collect(RequestId.of("C-1"), m, max, "order"));

            assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class,
                    d -> assertThat(d.reason()).isEqualTo(DeclineReason.LIMIT_EXCEEDED));
            assertThat(unlimited.sandbox.balance("M1001")).isEqualTo(max);
            assertThat(unlimited.sandbox.platformBalance()).isEqualTo(yuan("1000.00"));
        }
    }

    @Test
    void declinesAmountsAboveTheConfiguredLimit() {
        try (Fixture limited = Fixture.start(s -> s.perTransactionLimit(yuan("50000.00")), r -> r)) {
            PartyAccount m = limited.member("M1001", "60000.00");

            RailOutcome at = limited.rail.collect(Instruction.collect(RequestId.of("C-1"), m, yuan("50000.00"), "o"));
            RailOutcome over = limited.rail.collect(Instruction.collect(RequestId.of("C-2"), m, yuan("50000.01"), "o"));

            assertThat(at).isInstanceOf(RailOutcome.Succeeded.class);
            assertThat(over).isInstanceOfSatisfying(RailOutcome.Declined.class,
                    d -> assertThat(d.reason()).isEqualTo(DeclineReason.LIMIT_EXCEEDED));
        }
    }

    @Test
    void reportsThePlatformBalance() {
        assertThat(f.rail.balance()).isInstanceOfSatisfying(BalanceResult.Available.class, b -> {
            assertThat(b.available()).isEqualTo(yuan("1000.00"));
            assertThat(b.at()).isEqualTo(Fixture.START);
        });
    }

    @Test
    void balanceIsUnavailableWhenTheRailDoesNotAnswer() {
        try (HuijinbaoRail noRetries = f.otherRail(r -> r.readAttempts(1))) {
            f.sandbox.injectFault(Fault.serverError(), SandboxOperation.BALANCE);

            assertThat(noRetries.balance()).isInstanceOf(BalanceResult.Unavailable.class);
        }
    }

    @Test
    void readsAreRetriedWithinTheCall() {
        f.sandbox.injectFault(Fault.serverError(), SandboxOperation.BALANCE);
        f.sandbox.injectFault(Fault.lostReply(), SandboxOperation.BALANCE);

        assertThat(f.rail.balance()).isInstanceOf(BalanceResult.Available.class);
        assertThat(f.sandbox.pendingFaults()).isZero();
    }

    @Test
    void refusesInstructionsItCannotCarry() {
        PartyAccount alipay = PartyAccount.of(RailId.ALIPAY, IdentityType.USER_ID, "2088000000000001");
        PartyAccount loginId = PartyAccount.of(RailId.HUIJINBAO, IdentityType.LOGON_ID, "someone@example.com");
        Instruction payout = Instruction.payout(RequestId.of("P-1"), HuijinbaoSandbox.partyAccount("M1"), yuan("1.00"), "t");

        assertThatThrownBy(() -> f.rail.collect(Instruction.collect(RequestId.of("C-1"), alipay, yuan("1.00"), "t")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.rail.collect(Instruction.collect(RequestId.of("C-1"), loginId, yuan("1.00"), "t")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.rail.collect(payout)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.rail.payout(Instruction.payout(RequestId.of("P-2"), HuijinbaoSandbox.partyAccount("M1"),
                Money.of(100, java.util.Currency.getInstance("USD")), "t"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isTheHuijinbaoRailWithAWealthCapability() {
        assertThat(f.rail.id()).isEqualTo(RailId.HUIJINBAO);
        assertThat(f.rail.wealth()).containsSame(f.rail);
        assertThat(f.rail.defaultPlan()).contains(Fixture.PLAN);
        assertThat(f.rail.platformAccount()).isEqualTo(f.sandbox.platformAccount());
    }

    @Test
    void refusesCallsAfterClose() {
        f.rail.close();

        assertThatThrownBy(() -> f.rail.balance()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.rail.query(InstructionType.COLLECT, RequestId.of("C-1")))
                .isInstanceOf(IllegalStateException.class);
    }
}
