package org.ticketledger.payment.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.testing.RailSandbox.Call;
import org.ticketledger.payment.testing.RailSandbox.Fault;

/**
 * The behaviour every {@link PaymentRail} must show, checked against the rail's sandbox over its
 * real wire protocol. A rail module extends this class once (e.g. {@code AlipayRailContractIT}),
 * starting its sandbox in {@link #openSandbox()} and a rail pointed at it in {@link #openRail}.
 *
 * <p>Every expectation about money is checked against the sandbox's own balances, never against
 * what the rail says: a rail that claims success without moving money, or moves it twice, fails.
 *
 * <p>Requirements on the implementation under test:
 * <ul>
 *   <li>The rail's client timeout must be shorter than the delay the sandbox applies for
 *       {@link Fault#DELAY_PAST_TIMEOUT} (keep it short, a few hundred milliseconds, so the suite
 *       stays fast).</li>
 *   <li>A rail may retry read-only calls (queries, balance) within one call; the suite injects
 *       {@value #READ_FAULTS} faults in a row to see a query fail, so rails must retry fewer times.</li>
 *   <li>A declined instruction leaves nothing behind: a query reports it {@code NotFound} (or the
 *       same decline), and once the cause is fixed the same request id may be sent again. The
 *       ticketing flows rely on this (an order waiting for a top-up keeps its request id).</li>
 * </ul>
 * Tests run one after another; each opens parties of its own and sets the platform balance it
 * needs, so the sandbox is shared by the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RailContract {

    /** How many faults in a row the suite injects to make a read-only call fail. */
    protected static final int READ_FAULTS = 5;

    private static final AtomicInteger REQUESTS = new AtomicInteger();

    protected RailSandbox sandbox;
    protected PaymentRail rail;

    /** Starts the rail's sandbox. */
    protected abstract RailSandbox openSandbox();

    /** A rail pointed at {@code sandbox}, with a client timeout shorter than the sandbox's fault delay. */
    protected abstract PaymentRail openRail(RailSandbox sandbox);

    @BeforeAll
    void start() {
        sandbox = openSandbox();
        rail = openRail(sandbox);
    }

    @AfterAll
    void stop() {
        try {
            if (rail != null) {
                rail.close();
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    @BeforeEach
    @AfterEach
    void noFaultsLeft() {
        sandbox.clearFaults();
    }

    // ---------------------------------------------------------------- success and declines

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void succeededInstructionMovesExactlyItsAmount(InstructionType type) {
        Money amount = yuan("123.45");
        Fixture f = fixture(yuan("1000.00"), yuan("1000.00"));
        Instruction instruction = instruction(type, f.party(), amount);

        RailOutcome outcome = send(instruction);

        Done done = assertSucceeded(outcome, amount);
        assertThat(done.railTxnId()).isNotBlank();
        f.assertMoved(type, amount);
        assertThat(rail.query(type, instruction.requestId())).isInstanceOfSatisfying(RailOutcome.Succeeded.class, q -> {
            assertThat(q.railTxnId()).isEqualTo(done.railTxnId());
            assertThat(q.amount()).isEqualTo(amount);
        });
    }

    @Test
    void collectBeyondPartyBalanceIsDeclinedForInsufficientFundsAndMovesNothing() {
        Fixture f = fixture(yuan("10.00"), yuan("0.00"));

        RailOutcome outcome = send(instruction(InstructionType.COLLECT, f.party(), yuan("10.01")));

        assertDeclined(outcome, DeclineReason.INSUFFICIENT_FUNDS);
        f.assertMoved(InstructionType.COLLECT, Money.cny(0));
    }

    @Test
    void payoutBeyondPlatformBalanceIsDeclinedForInsufficientFundsAndMovesNothing() {
        Fixture f = fixture(yuan("0.00"), yuan("10.00"));

        RailOutcome outcome = send(instruction(InstructionType.PAYOUT, f.party(), yuan("10.01")));

        assertDeclined(outcome, DeclineReason.INSUFFICIENT_FUNDS);
        f.assertMoved(InstructionType.PAYOUT, Money.cny(0));
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void declinedInstructionLeavesNothingBehindAndCanBeResentUnderTheSameIdOnceFunded(InstructionType type) {
        Money amount = yuan("50.00");
        Fixture f = fixture(yuan("20.00"), yuan("20.00"));
        Instruction instruction = instruction(type, f.party(), amount);

        assertDeclined(send(instruction), DeclineReason.INSUFFICIENT_FUNDS);
        assertNothingOrDeclined(rail.query(type, instruction.requestId()));

        f.topUp(type, yuan("100.00"));
        Done done = assertSucceeded(send(instruction), amount);
        f.assertMoved(type, amount);
        assertThat(assertSucceeded(send(instruction), amount).railTxnId()).isEqualTo(done.railTxnId());
        f.assertMoved(type, amount);
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void accountUnknownToTheRailIsDeclinedAsInvalid(InstructionType type) {
        sandbox.setPlatformBalance(yuan("100.00"));
        Money platformBefore = sandbox.platformBalance();

        RailOutcome outcome = send(instruction(type, sandbox.unknownParty(), yuan("1.00")));

        assertDeclined(outcome, DeclineReason.ACCOUNT_INVALID);
        assertThat(sandbox.platformBalance()).isEqualTo(platformBefore);
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void instructionForAnotherRailIsABug(InstructionType type) {
        PartyAccount party = sandbox.openParty(yuan("10.00"));
        RailId other = RailId.of(rail.id().value().equals("CONTRACT_OTHER") ? "CONTRACT_OTHER2" : "CONTRACT_OTHER");
        PartyAccount elsewhere = new PartyAccount(other, party.identity(), party.identityType(),
                party.holderName(), party.agreementNo());

        assertThatThrownBy(() -> send(instruction(type, elsewhere, yuan("1.00"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sandbox.balanceOf(party)).isEqualTo(yuan("10.00"));
    }

    // ---------------------------------------------------------------- idempotency

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void repeatedRequestIdWithSameParametersReturnsOriginalResultAndMovesOnce(InstructionType type) {
        Money amount = yuan("88.88");
        Fixture f = fixture(yuan("500.00"), yuan("500.00"));
        Instruction instruction = instruction(type, f.party(), amount);

        Done first = assertSucceeded(send(instruction), amount);
        Done second = assertSucceeded(send(instruction), amount);
        Done third = assertSucceeded(send(instruction), amount);

        assertThat(second.railTxnId()).isEqualTo(first.railTxnId());
        assertThat(third.railTxnId()).isEqualTo(first.railTxnId());
        f.assertMoved(type, amount);
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void repeatedRequestIdWithDifferentAmountIsAConflictAndMovesNothingMore(InstructionType type) {
        Money amount = yuan("30.00");
        Fixture f = fixture(yuan("500.00"), yuan("500.00"));
        Instruction original = instruction(type, f.party(), amount);
        Done first = assertSucceeded(send(original), amount);

        Instruction changed = new Instruction(type, original.requestId(), f.party(), yuan("31.00"), original.title());
        assertThat(send(changed)).isInstanceOf(RailOutcome.Conflict.class);

        f.assertMoved(type, amount);
        assertThat(rail.query(type, original.requestId())).isInstanceOfSatisfying(RailOutcome.Succeeded.class,
                q -> assertThat(q.railTxnId()).isEqualTo(first.railTxnId()));
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void repeatedRequestIdForAnotherPartyIsAConflictAndMovesNothing(InstructionType type) {
        Money amount = yuan("30.00");
        Fixture f = fixture(yuan("500.00"), yuan("500.00"));
        PartyAccount other = sandbox.openParty(yuan("500.00"));
        Instruction original = instruction(type, f.party(), amount);
        assertSucceeded(send(original), amount);

        Instruction changed = new Instruction(type, original.requestId(), other, amount, original.title());
        assertThat(send(changed)).isInstanceOf(RailOutcome.Conflict.class);

        f.assertMoved(type, amount);
        assertThat(sandbox.balanceOf(other)).isEqualTo(yuan("500.00"));
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void concurrentDuplicatesMoveMoneyOnce(InstructionType type) throws Exception {
        Money amount = yuan("7.00");
        Fixture f = fixture(yuan("100.00"), yuan("100.00"));
        Instruction instruction = instruction(type, f.party(), amount);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<RailOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> send(instruction));
            }
            List<RailOutcome> outcomes = new ArrayList<>();
            for (Future<RailOutcome> future : pool.invokeAll(calls)) {
                outcomes.add(future.get());
            }
            // Any answer but a wrong one is allowed while racing; afterwards the truth must be one move.
            for (RailOutcome o : outcomes) {
                assertThat(o).isNotInstanceOfAny(RailOutcome.Declined.class, RailOutcome.Conflict.class,
                        RailOutcome.NotFound.class);
            }
            List<String> txnIds = outcomes.stream().filter(RailOutcome.Succeeded.class::isInstance)
                    .map(o -> ((RailOutcome.Succeeded) o).railTxnId()).distinct().toList();
            assertThat(txnIds).hasSizeLessThanOrEqualTo(1);
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        f.assertMoved(type, amount);
        assertSucceeded(rail.query(type, instruction.requestId()), amount);
    }

    // ---------------------------------------------------------------- faults

    static Stream<Arguments> movingFaults() {
        return Stream.of(InstructionType.COLLECT, InstructionType.PAYOUT)
                .flatMap(t -> Stream.of(Fault.values()).map(f -> Arguments.of(t, f)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("movingFaults")
    void everyFaultEndsInTheTrueFinalStateWithoutMovingMoneyTwice(InstructionType type, Fault fault) {
        Money amount = yuan("12.34");
        Fixture f = fixture(yuan("1000.00"), yuan("1000.00"));
        Instruction instruction = instruction(type, f.party(), amount);
        sandbox.injectFault(type == InstructionType.COLLECT ? Call.COLLECT : Call.PAYOUT, fault, 1);

        // When: the call fails. The rail must not guess.
        RailOutcome first = send(instruction);
        if (fault == Fault.INSUFFICIENT_BALANCE) {
            assertDeclined(first, DeclineReason.INSUFFICIENT_FUNDS);
        } else {
            assertThat(first).as("outcome of a call that hit %s", fault).isInstanceOf(RailOutcome.Unknown.class);
        }
        f.assertMoved(type, fault.applies() ? amount : Money.cny(0));

        // Then: a query tells the truth.
        RailOutcome queried = rail.query(type, instruction.requestId());
        Optional<String> txnId = Optional.empty();
        if (fault.applies()) {
            txnId = Optional.of(assertSucceeded(queried, amount).railTxnId());
        } else {
            assertNothingOrDeclined(queried);
        }

        // And: resending under the same id finishes the job exactly once.
        Done retried = assertSucceeded(send(instruction), amount);
        txnId.ifPresent(id -> assertThat(retried.railTxnId()).isEqualTo(id));
        Done again = assertSucceeded(send(instruction), amount);
        assertThat(again.railTxnId()).isEqualTo(retried.railTxnId());
        assertThat(assertSucceeded(rail.query(type, instruction.requestId()), amount).railTxnId())
                .isEqualTo(retried.railTxnId());
        f.assertMoved(type, amount);
    }

    static Stream<Arguments> queryFaults() {
        return Stream.of(Call.QUERY_COLLECT, Call.QUERY_PAYOUT).flatMap(c -> Stream.of(
                Fault.SERVER_ERROR, Fault.UNKNOWN_OUTCOME, Fault.REPLY_LOST, Fault.DELAY_PAST_TIMEOUT)
                .map(f -> Arguments.of(c, f)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("queryFaults")
    void failedQueryIsUnknownNeverNotFoundAndLaterQueriesTellTheTruth(Call call, Fault fault) {
        InstructionType type = call == Call.QUERY_COLLECT ? InstructionType.COLLECT : InstructionType.PAYOUT;
        Money amount = yuan("5.00");
        Fixture f = fixture(yuan("100.00"), yuan("100.00"));
        Instruction sent = instruction(type, f.party(), amount);
        Done done = assertSucceeded(send(sent), amount);
        RequestId neverSent = newRequestId();

        sandbox.injectFault(call, fault, READ_FAULTS);
        assertThat(rail.query(type, sent.requestId())).isInstanceOf(RailOutcome.Unknown.class);
        sandbox.clearFaults();
        sandbox.injectFault(call, fault, READ_FAULTS);
        assertThat(rail.query(type, neverSent)).isInstanceOf(RailOutcome.Unknown.class);
        sandbox.clearFaults();

        assertThat(assertSucceeded(rail.query(type, sent.requestId()), amount).railTxnId()).isEqualTo(done.railTxnId());
        assertThat(rail.query(type, neverSent)).isInstanceOf(RailOutcome.NotFound.class);
        f.assertMoved(type, amount);
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void queryOfARequestIdNeverSentIsNotFound(InstructionType type) {
        assertThat(rail.query(type, newRequestId())).isInstanceOf(RailOutcome.NotFound.class);
    }

    // ---------------------------------------------------------------- amounts at the edges

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void smallestAcceptedAmountMovesExactly(InstructionType type) {
        Money min = sandbox.minimumAmount(type);
        Fixture f = fixture(yuan("1.00"), yuan("1.00"));

        assertSucceeded(send(instruction(type, f.party(), min)), min);

        f.assertMoved(type, min);
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void oneFenMovesExactlyOrIsDeclinedAsBelowTheLimit(InstructionType type) {
        Money fen = Money.cny(1);
        Fixture f = fixture(yuan("1.00"), yuan("1.00"));

        RailOutcome outcome = send(instruction(type, f.party(), fen));

        if (sandbox.minimumAmount(type).isGreaterThan(fen)) {
            assertDeclined(outcome, DeclineReason.LIMIT_EXCEEDED);
            f.assertMoved(type, Money.cny(0));
        } else {
            assertSucceeded(outcome, fen);
            f.assertMoved(type, fen);
        }
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void largestAcceptedAmountMovesExactly(InstructionType type) {
        Money max = sandbox.maximumAmount(type);
        Fixture f = fixture(max, max);

        assertSucceeded(send(instruction(type, f.party(), max)), max);

        f.assertMoved(type, max);
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void amountAboveTheLimitIsDeclinedAndMovesNothing(InstructionType type) {
        Money tooMuch = sandbox.maximumAmount(type).plus(Money.cny(1));
        Fixture f = fixture(tooMuch, tooMuch);

        assertDeclined(send(instruction(type, f.party(), tooMuch)), DeclineReason.LIMIT_EXCEEDED);

        f.assertMoved(type, Money.cny(0));
    }

    @ParameterizedTest
    @EnumSource(value = InstructionType.class, names = {"COLLECT", "PAYOUT"})
    void amountThatWouldOverflowIsRefusedCleanly(InstructionType type) {
        Money huge = Money.cny(Long.MAX_VALUE);
        Fixture f = fixture(yuan("100.00"), yuan("100.00"));
        Instruction instruction = instruction(type, f.party(), huge);

        assertDeclined(send(instruction), DeclineReason.LIMIT_EXCEEDED);

        f.assertMoved(type, Money.cny(0));
        assertNothingOrDeclined(rail.query(type, instruction.requestId()));
    }

    // ---------------------------------------------------------------- balance

    @Test
    void balanceIsThePlatformBalanceTheRailKeeps() {
        sandbox.setPlatformBalance(yuan("4321.09"));

        assertThat(rail.balance()).isInstanceOfSatisfying(BalanceResult.Available.class,
                b -> assertThat(b.available()).isEqualTo(yuan("4321.09")));

        Fixture f = fixture(yuan("100.00"), yuan("4321.09"));
        assertSucceeded(send(instruction(InstructionType.COLLECT, f.party(), yuan("0.91"))), yuan("0.91"));
        assertThat(rail.balance()).isInstanceOfSatisfying(BalanceResult.Available.class,
                b -> assertThat(b.available()).isEqualTo(yuan("4322.00")));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SERVER_ERROR", "UNKNOWN_OUTCOME", "REPLY_LOST"})
    void balanceThatCannotBeReadIsUnavailable(Fault fault) {
        sandbox.injectFault(Call.BALANCE, fault, READ_FAULTS);

        assertThat(rail.balance()).isInstanceOf(BalanceResult.Unavailable.class);

        sandbox.clearFaults();
        assertThat(rail.balance()).isInstanceOf(BalanceResult.Available.class);
    }

    // ---------------------------------------------------------------- helpers

    private record Done(String railTxnId, Money amount) {
    }

    /** A party and the platform with known balances, and the deltas an instruction must leave. */
    protected final class Fixture {
        private final PartyAccount party;
        private Money partyStart;
        private Money platformStart;

        Fixture(PartyAccount party, Money platformStart) {
            this.party = party;
            this.partyStart = sandbox.balanceOf(party);
            this.platformStart = platformStart;
        }

        public PartyAccount party() {
            return party;
        }

        /** Gives the payer of {@code type} more money (the party for collections, the platform for payouts). */
        void topUp(InstructionType type, Money amount) {
            if (type == InstructionType.COLLECT) {
                sandbox.fund(party, amount);
                partyStart = partyStart.plus(amount);
            } else {
                sandbox.setPlatformBalance(sandbox.platformBalance().plus(amount));
                platformStart = platformStart.plus(amount);
            }
        }

        /** Asserts that exactly {@code amount} moved in the direction of {@code type} since the start. */
        public void assertMoved(InstructionType type, Money amount) {
            Money towardsPlatform = type == InstructionType.COLLECT ? amount : amount.negate();
            assertThat(sandbox.balanceOf(party)).as("party balance at the sandbox")
                    .isEqualTo(partyStart.minus(towardsPlatform));
            assertThat(sandbox.platformBalance()).as("platform balance at the sandbox")
                    .isEqualTo(platformStart.plus(towardsPlatform));
        }
    }

    /** A new party holding {@code partyBalance}, with the platform's balance set to {@code platformBalance}. */
    protected Fixture fixture(Money partyBalance, Money platformBalance) {
        PartyAccount party = sandbox.openParty(partyBalance);
        sandbox.setPlatformBalance(platformBalance);
        return new Fixture(party, platformBalance);
    }

    protected Instruction instruction(InstructionType type, PartyAccount party, Money amount) {
        return new Instruction(type, newRequestId(), party, amount, "contract " + type.name().toLowerCase());
    }

    protected RailOutcome send(Instruction instruction) {
        return instruction.type() == InstructionType.COLLECT ? rail.collect(instruction) : rail.payout(instruction);
    }

    /** A request id unique across runs against a long-lived sandbox. */
    protected static RequestId newRequestId() {
        return RequestId.of("rc" + REQUESTS.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL));
    }

    protected static Money yuan(String amount) {
        return Money.parseCny(amount);
    }

    private static Done assertSucceeded(RailOutcome outcome, Money amount) {
        assertThat(outcome).isInstanceOf(RailOutcome.Succeeded.class);
        RailOutcome.Succeeded s = (RailOutcome.Succeeded) outcome;
        assertThat(s.amount()).isEqualTo(amount);
        assertThat(s.railTxnId()).isNotBlank();
        return new Done(s.railTxnId(), s.amount());
    }

    private static void assertDeclined(RailOutcome outcome, DeclineReason reason) {
        assertThat(outcome).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(reason));
    }

    private static void assertNothingOrDeclined(RailOutcome outcome) {
        assertThat(outcome).isInstanceOfAny(RailOutcome.NotFound.class, RailOutcome.Declined.class);
    }
}
