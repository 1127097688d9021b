package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * Forged, tampered, replayed and incomplete replies are never taken for success: the rail says
 * Unknown, and the sandbox's own balances show what really happened, which a query then reports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TamperedRepliesIT {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Money AMOUNT = Money.parseCny("23.45");

    private AlipaySandbox sandbox;
    private AlipayRail rail;

    @BeforeAll
    void start() {
        sandbox = AlipaySandbox.builder().faultDelay(Duration.ofSeconds(1)).start();
        rail = sandbox.railBuilder().requestTimeout(Duration.ofMillis(500)).readRetries(0).build();
    }

    @AfterAll
    void stop() {
        rail.close();
        sandbox.close();
    }

    @BeforeEach
    void clear() {
        sandbox.clearFaults();
    }

    static Stream<Arguments> tampering() {
        return Stream.of(InstructionType.COLLECT, InstructionType.PAYOUT).flatMap(t -> Stream.of(
                AlipayFault.FORGED_SIGNATURE, AlipayFault.TAMPERED_BODY, AlipayFault.REPEATED_NODE,
                AlipayFault.MISSING_FIELDS, AlipayFault.UNSIGNED, AlipayFault.NOT_JSON, AlipayFault.WRONG_ECHO)
                .map(f -> Arguments.of(t, f)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("tampering")
    void untrustworthyReplyIsUnknownAndTheTruthIsFoundByQuery(InstructionType type, AlipayFault fault) {
        PartyAccount party = sandbox.openParty("t" + IDS.incrementAndGet() + "@tamper.example", "篡改", Money.parseCny("100.00"));
        sandbox.setPlatformBalance(Money.parseCny("100.00"));
        Instruction instruction = new Instruction(type, RequestId.of("tamper-" + IDS.incrementAndGet()), party, AMOUNT, "t");
        sandbox.injectFault(type == InstructionType.COLLECT ? "alipay.trade.pay" : "alipay.fund.trans.uni.transfer", fault, 1);

        RailOutcome outcome = send(instruction);

        assertThat(outcome).as("a %s reply", fault).isInstanceOf(RailOutcome.Unknown.class);
        Money moved = fault.applies() ? AMOUNT : Money.cny(0);
        assertMoved(type, party, moved);
        RailOutcome queried = rail.query(type, instruction.requestId());
        if (fault.applies()) {
            assertThat(queried).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> assertThat(s.amount()).isEqualTo(AMOUNT));
        } else {
            assertThat(queried).isInstanceOf(RailOutcome.NotFound.class);
        }
        assertThat(send(instruction)).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(send(instruction)).isInstanceOf(RailOutcome.Succeeded.class);
        assertMoved(type, party, AMOUNT);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("tampering")
    void untrustworthyQueryReplyIsUnknown(InstructionType type, AlipayFault fault) {
        String method = type == InstructionType.COLLECT ? "alipay.trade.query" : "alipay.fund.trans.common.query";
        PartyAccount party = sandbox.openParty("q" + IDS.incrementAndGet() + "@tamper.example", "查询", Money.parseCny("100.00"));
        sandbox.setPlatformBalance(Money.parseCny("100.00"));
        Instruction sent = new Instruction(type, RequestId.of("sent-" + IDS.incrementAndGet()), party, AMOUNT, "t");
        assertThat(send(sent)).isInstanceOf(RailOutcome.Succeeded.class);

        sandbox.injectFault(method, fault, 1);
        assertThat(rail.query(type, sent.requestId())).as("a %s query reply", fault).isInstanceOf(RailOutcome.Unknown.class);

        if (!fault.applies()) {
            // Forged "success" for an instruction that never happened: the worst lie a reply can tell.
            sandbox.injectFault(method, fault, 1);
            assertThat(rail.query(type, RequestId.of("never-sent-" + IDS.incrementAndGet())))
                    .as("a %s query reply for a request never sent", fault).isInstanceOf(RailOutcome.Unknown.class);
        }
        assertThat(rail.query(type, sent.requestId())).isInstanceOf(RailOutcome.Succeeded.class);
    }

    @ParameterizedTest
    @EnumSource(value = AlipayFault.class, names = {"FORGED_SIGNATURE", "TAMPERED_BODY", "REPEATED_NODE",
            "MISSING_FIELDS", "UNSIGNED", "NOT_JSON"})
    void untrustworthyBalanceReplyIsUnavailable(AlipayFault fault) {
        sandbox.setPlatformBalance(Money.parseCny("5.00"));
        sandbox.injectFault("alipay.fund.account.query", fault, 1);

        assertThat(rail.balance()).isInstanceOf(BalanceResult.Unavailable.class);
        assertThat(rail.balance()).isInstanceOfSatisfying(BalanceResult.Available.class,
                b -> assertThat(b.available()).isEqualTo(Money.parseCny("5.00")));
    }

    private RailOutcome send(Instruction instruction) {
        return instruction.type() == InstructionType.COLLECT ? rail.collect(instruction) : rail.payout(instruction);
    }

    private void assertMoved(InstructionType type, PartyAccount party, Money amount) {
        Money towardsPlatform = type == InstructionType.COLLECT ? amount : amount.negate();
        assertThat(sandbox.balance(party.identity())).isEqualTo(Money.parseCny("100.00").minus(towardsPlatform));
        assertThat(sandbox.platformBalance()).isEqualTo(Money.parseCny("100.00").plus(towardsPlatform));
    }
}
