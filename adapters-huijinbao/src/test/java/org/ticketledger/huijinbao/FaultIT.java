package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.PLAN;
import static org.ticketledger.huijinbao.Fixture.yuan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;

/**
 * Every fault mode on every write ends in one final state with no money duplicated or lost:
 * with in-call retries the rail resolves the fault itself; without them the caller gets Unknown
 * (or a clean decline), resolves it by query and, if the rail never saw the request, resends it.
 * Each case is checked against the sandbox's own balances and its conservation law.
 */
class FaultIT {

    private static final Money AMOUNT = yuan("123.45");
    /** Past the fixture's 1 s request timeout. */
    private static final Duration DELAY = Duration.ofMillis(1500);

    private Fixture f;
    private PartyAccount member;

    @BeforeEach
    void start() {
        f = Fixture.start(s -> s.platformBalance(yuan("1000.00")), r -> r);
        member = f.member("M1001", "1000.00");
        // Something to redeem, with 30 days of yield: 50000 × 285 × 30 / 3650000 → 117 fen.
        assertThat(f.rail.subscribe(new WealthInstruction(RequestId.of("SETUP"), PLAN, yuan("500.00"))))
                .isInstanceOf(RailOutcome.Succeeded.class);
        f.sandbox.advanceDays(30);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static Stream<Arguments> transportFaults() {
        List<Arguments> cases = new ArrayList<>();
        List<Fault> faults = List.of(Fault.delay(DELAY), Fault.slowReply(DELAY), Fault.serverError(), Fault.unavailable(),
                Fault.serverErrorAfterProcessing(), Fault.gatewayTimeout(), Fault.lostReply(), Fault.forgedReply());
        for (SandboxOperation op : SandboxOperation.WRITES.stream().sorted().toList()) {
            for (Fault fault : faults) {
                cases.add(Arguments.of(op, fault));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(SandboxOperation.COLLECT, Fault.insufficientFunds(), DeclineReason.INSUFFICIENT_FUNDS),
                Arguments.of(SandboxOperation.PAYOUT, Fault.insufficientFunds(), DeclineReason.INSUFFICIENT_FUNDS),
                Arguments.of(SandboxOperation.SUBSCRIBE, Fault.insufficientFunds(), DeclineReason.INSUFFICIENT_FUNDS),
                Arguments.of(SandboxOperation.SUBSCRIBE, Fault.planClosed(), DeclineReason.PLAN_CLOSED),
                Arguments.of(SandboxOperation.REDEEM, Fault.planClosed(), DeclineReason.PLAN_CLOSED),
                Arguments.of(SandboxOperation.REDEEM_ALL, Fault.planClosed(), DeclineReason.PLAN_CLOSED));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("transportFaults")
    void inCallRetriesResolveTransportFaultsAndMoveMoneyOnce(SandboxOperation op, Fault fault) {
        Snapshot before = snapshot();
        f.sandbox.injectFault(fault, op);

        try (HuijinbaoRail retrying = f.otherRail(r -> r.writeAttempts(3))) {
            RailOutcome out = send(retrying, op);
            f.sandbox.awaitIdle(Duration.ofSeconds(5));

            assertThat(out).isInstanceOf(RailOutcome.Succeeded.class);
            assertMovedOnce(op, before, (RailOutcome.Succeeded) out);
            assertThat(send(retrying, op)).isEqualTo(out);
            assertMovedOnce(op, before, (RailOutcome.Succeeded) out);
        }
    }

    @ParameterizedTest(name = "{0} with {1}, writes sent once (the default)")
    @MethodSource("transportFaults")
    void withoutRetriesTheCallerResolvesUnknownByQueryAndMovesMoneyOnce(SandboxOperation op, Fault fault) {
        Snapshot before = snapshot();
        f.sandbox.injectFault(fault, op);
        try (HuijinbaoRail once = f.otherRail(r -> r.writeAttempts(1))) {
            RailOutcome out = send(once, op);
            f.sandbox.awaitIdle(Duration.ofSeconds(5));

            assertThat(out).isInstanceOf(RailOutcome.Unknown.class);
            RailOutcome resolved = once.query(InstructionType.valueOf(op.name()), requestId(op));
            if (resolved instanceof RailOutcome.NotFound) {
                // The rail never processed it (5xx before processing): resending the same id is safe.
                assertThat(fault.kind()).isIn(Fault.Kind.SERVER_ERROR, Fault.Kind.UNAVAILABLE);
                assertThat(snapshot()).isEqualTo(before);
                resolved = send(once, op);
            }
            assertThat(resolved).isInstanceOf(RailOutcome.Succeeded.class);
            assertMovedOnce(op, before, (RailOutcome.Succeeded) resolved);
            assertThat(send(once, op)).isEqualTo(resolved);
        }
        assertThat(f.sandbox.isConserved()).isTrue();
    }

    @ParameterizedTest(name = "{0} refused with {1}")
    @MethodSource("refusals")
    void refusalsMoveNothingBindNothingAndTheSameRequestSucceedsOnceTheCauseIsGone(SandboxOperation op, Fault fault,
                                                                                 DeclineReason reason) {
        Snapshot before = snapshot();
        f.sandbox.injectFault(fault, op);

        RailOutcome out = send(f.rail, op);

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class, d -> assertThat(d.reason()).isEqualTo(reason));
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.rail.query(InstructionType.valueOf(op.name()), requestId(op))).isInstanceOf(RailOutcome.NotFound.class);
        RailOutcome resent = send(f.rail, op);
        assertThat(resent).isInstanceOf(RailOutcome.Succeeded.class);
        assertMovedOnce(op, before, (RailOutcome.Succeeded) resent);
    }

    // ------------------------------------------------------------------

    private record Snapshot(Money member, Money platform, Money principal) {
    }

    private Snapshot snapshot() {
        return new Snapshot(f.sandbox.balance("M1001"), f.sandbox.platformBalance(), f.sandbox.position(PLAN).principal());
    }

    private static RequestId requestId(SandboxOperation op) {
        return RequestId.of("F-" + op.name());
    }

    private RailOutcome send(HuijinbaoRail rail, SandboxOperation op) {
        RequestId id = requestId(op);
        return switch (op) {
            case COLLECT -> rail.collect(Instruction.collect(id, member, AMOUNT, "fault test"));
            case PAYOUT -> rail.payout(Instruction.payout(id, member, AMOUNT, "fault test"));
            case SUBSCRIBE -> rail.subscribe(new WealthInstruction(id, PLAN, AMOUNT));
            case REDEEM -> rail.redeem(new WealthInstruction(id, PLAN, AMOUNT));
            case REDEEM_ALL -> rail.redeemAll(id, PLAN);
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    private void assertMovedOnce(SandboxOperation op, Snapshot before, RailOutcome.Succeeded out) {
        Money zero = Money.cny(0);
        Snapshot expected = switch (op) {
            case COLLECT -> new Snapshot(before.member().minus(AMOUNT), before.platform().plus(AMOUNT), before.principal());
            case PAYOUT -> new Snapshot(before.member().plus(AMOUNT), before.platform().minus(AMOUNT), before.principal());
            case SUBSCRIBE -> new Snapshot(before.member(), before.platform().minus(AMOUNT), before.principal().plus(AMOUNT));
            case REDEEM -> new Snapshot(before.member(), before.platform().plus(AMOUNT), before.principal().minus(AMOUNT));
            case REDEEM_ALL -> new Snapshot(before.member(), before.platform().plus(yuan("500.00")).plus(Money.cny(117)), zero);
            default -> throw new IllegalArgumentException(op.name());
        };
        if (op == SandboxOperation.REDEEM_ALL) {
            assertThat(out.yield()).contains(Money.cny(117));
        } else {
            assertThat(out.amount()).isEqualTo(AMOUNT);
        }
        assertThat(snapshot()).isEqualTo(expected);
        assertThat(f.sandbox.orders()).filteredOn(o -> o.requestId().equals(requestId(op))).hasSize(1);
        assertThat(f.sandbox.isConserved()).isTrue();
    }
}
