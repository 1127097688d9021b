package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.huijinbao.Fixture.PLAN;
import static org.ticketledger.huijinbao.Fixture.yuan;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.SandboxPosition;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.PositionResult;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;
import org.ticketledger.payment.WealthRail;

/** Wealth-plan operations and the documented yield rule, against the sandbox over loopback HTTP. */
class WealthIT {

    private Fixture f;
    private WealthRail wealth;

    @BeforeEach
    void start() {
        // Plan HJB-PLAN-01 at 285 bp (2.85 % a year); business time starts 2026-12-01 10:00 Beijing.
        f = Fixture.start(s -> s.platformBalance(yuan("20000.00")), r -> r);
        wealth = f.rail.wealth().orElseThrow();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private RailOutcome subscribe(String id, String amount) {
        return wealth.subscribe(new WealthInstruction(RequestId.of(id), PLAN, yuan(amount)));
    }

    private RailOutcome redeem(String id, String amount) {
        return wealth.redeem(new WealthInstruction(RequestId.of(id), PLAN, yuan(amount)));
    }

    @Test
    void threeSubscriptionsTwoRedemptionsNinetyDaysThenRedeemAllPaysPrincipalPlusTheFormulasYieldToTheFen() {
        assertThat(subscribe("S-A", "1000.00")).isInstanceOf(RailOutcome.Succeeded.class);      // Dec 1 10:00
        f.sandbox.advanceDays(1);
        assertThat(subscribe("S-B", "2345.67")).isInstanceOf(RailOutcome.Succeeded.class);      // Dec 2
        f.sandbox.advanceDays(2);
        assertThat(subscribe("S-C", "12345.00")).isInstanceOf(RailOutcome.Succeeded.class);     // Dec 4
        f.sandbox.advanceDays(5);
        assertThat(redeem("R-A", "1000.00")).isInstanceOf(RailOutcome.Succeeded.class);         // Dec 9
        f.sandbox.advanceDays(1);
        assertThat(redeem("R-C", "12345.00")).isInstanceOf(RailOutcome.Succeeded.class);        // Dec 10
        f.sandbox.advanceDays(90);                                                              // 2027-03-10

        RailOutcome all = wealth.redeemAll(RequestId.of("ALL-1"), PLAN);

        // Daily closes (00:00 Beijing) each lot was held over:
        //   A 100000 fen: Dec 2..Dec 9           =  8 closes
        //   B 234567 fen: Dec 3..2027-03-10      = 98 closes (29 + 31 + 28 + 10)
        //   C 1234500 fen: Dec 5..Dec 10         =  6 closes
        // basis = 285 × (100000×8 + 234567×98 + 1234500×6) = 285 × 31194566 = 8890451310
        // yield = floor(8890451310 / 3650000) = 2435 fen (remainder 2701310 is forfeited)
        assertThat(all).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> {
            assertThat(s.yield()).contains(Money.cny(2435));
            assertThat(s.amount()).isEqualTo(yuan("2345.67").plus(Money.cny(2435)));
            assertThat(s.at()).isEqualTo(Instant.parse("2027-03-10T02:00:00Z"));
        });
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("20000.00").plus(Money.cny(2435)));
        assertThat(f.sandbox.yieldPaid()).isEqualTo(Money.cny(2435));
        assertThat(f.sandbox.isConserved()).isTrue();
        assertThat(wealth.position(PLAN)).isInstanceOfSatisfying(PositionResult.Position.class, p -> {
            assertThat(p.principal()).isEqualTo(Money.cny(0));
            assertThat(p.accruedYield()).isEqualTo(Money.cny(0));
        });
    }

    @Test
    void positionReportsPrincipalAccruedYieldAndAsOf() {
        subscribe("S-1", "10000.00");
        f.sandbox.advanceDays(30);

        PositionResult pos = wealth.position(PLAN);

        // 1000000 fen × 285 bp × 30 closes / 3650000 = 2342.46... → 2342 fen
        assertThat(pos).isInstanceOfSatisfying(PositionResult.Position.class, p -> {
            assertThat(p.plan()).isEqualTo(PLAN);
            assertThat(p.principal()).isEqualTo(yuan("10000.00"));
            assertThat(p.accruedYield()).isEqualTo(Money.cny(2342));
            assertThat(p.asOf()).isEqualTo(Fixture.START.plus(Duration.ofDays(30)));
        });
        SandboxPosition own = f.sandbox.position(PLAN);
        assertThat(own.yieldBasis()).isEqualTo(BigInteger.valueOf(1_000_000L * 285 * 30));
    }

    @Test
    void yieldAccruesAtEachBeijingMidnightNotPerTwentyFourHours() {
        subscribe("S-1", "10000.00");                     // 10:00 Beijing
        f.sandbox.advance(Duration.ofHours(13).plusMinutes(59).plusSeconds(59)); // 23:59:59, no close yet
        assertThat(f.sandbox.position(PLAN).yieldBasis()).isZero();

        f.sandbox.advance(Duration.ofSeconds(1));        // 00:00:00 next day: the close
        assertThat(f.sandbox.position(PLAN).yieldBasis()).isEqualTo(BigInteger.valueOf(1_000_000L * 285));
    }

    @Test
    void partialRedemptionPaysPrincipalOnlyAndKeepsAccruedYieldInThePlan() {
        subscribe("S-1", "10000.00");
        f.sandbox.advanceDays(10);

        RailOutcome out = redeem("R-1", "10000.00");

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> {
            assertThat(s.amount()).isEqualTo(yuan("10000.00"));
            assertThat(s.yield()).isEmpty();
        });
        // 1000000 × 285 × 10 / 3650000 = 780.82 → 780 fen, still in the plan with zero principal
        assertThat(wealth.position(PLAN)).isInstanceOfSatisfying(PositionResult.Position.class, p -> {
            assertThat(p.principal()).isEqualTo(Money.cny(0));
            assertThat(p.accruedYield()).isEqualTo(Money.cny(780));
        });
        f.sandbox.advanceDays(10);
        assertThat(wealth.redeemAll(RequestId.of("ALL-1"), PLAN)).isInstanceOfSatisfying(RailOutcome.Succeeded.class,
                s -> assertThat(s.yield()).contains(Money.cny(780)));
    }

    @Test
    void aRateChangeAppliesToClosesAfterIt() {
        subscribe("S-1", "10000.00");
        f.sandbox.advanceDays(10);
        f.sandbox.setRate(PLAN, 365);
        f.sandbox.advanceDays(10);

        // 1000000 × (285 × 10 + 365 × 10) = 6500000000; / 3650000 = 1780.82 → 1780 fen
        assertThat(f.sandbox.position(PLAN).accruedYield()).isEqualTo(Money.cny(1780));
    }

    @Test
    void redeemAllIsIdempotentAndPaysOnce() {
        subscribe("S-1", "10000.00");
        f.sandbox.advanceDays(20);

        RailOutcome first = wealth.redeemAll(RequestId.of("ALL-1"), PLAN);
        f.sandbox.advanceDays(5);
        RailOutcome again = wealth.redeemAll(RequestId.of("ALL-1"), PLAN);

        assertThat(again).isEqualTo(first);
        assertThat(f.rail.query(InstructionType.REDEEM_ALL, RequestId.of("ALL-1"))).isEqualTo(first);
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("20000.00").plus(Money.cny(1561)));
        assertThat(f.sandbox.isConserved()).isTrue();
    }

    @Test
    void redeemAllOfAnEmptyPositionPaysZero() {
        RailOutcome out = wealth.redeemAll(RequestId.of("ALL-1"), PLAN);

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> {
            assertThat(s.amount()).isEqualTo(Money.cny(0));
            assertThat(s.yield()).contains(Money.cny(0));
        });
    }

    @Test
    void declinesARedemptionLargerThanThePosition() {
        subscribe("S-1", "100.00");

        RailOutcome out = redeem("R-1", "100.01");

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.AMOUNT_EXCEEDS_POSITION));
        assertThat(f.sandbox.position(PLAN).principal()).isEqualTo(yuan("100.00"));
    }

    @Test
    void declinesASubscriptionBeyondThePlatformBalance() {
        RailOutcome out = subscribe("S-1", "20000.01");

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS));
        assertThat(f.sandbox.position(PLAN).principal()).isEqualTo(Money.cny(0));
        assertThat(f.sandbox.platformBalance()).isEqualTo(yuan("20000.00"));
    }

    @Test
    void aClosedPlanRefusesSubscriptionsAndRedemptionsButKeepsAccruing() {
        subscribe("S-1", "10000.00");
        f.sandbox.closePlan(PLAN);

        RailOutcome sub = subscribe("S-2", "1.00");
        RailOutcome red = redeem("R-1", "1.00");
        RailOutcome all = wealth.redeemAll(RequestId.of("ALL-1"), PLAN);
        f.sandbox.advanceDays(1);

        assertThat(sub).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.PLAN_CLOSED));
        assertThat(red).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.PLAN_CLOSED));
        assertThat(all).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.PLAN_CLOSED));
        assertThat(f.sandbox.position(PLAN).yieldBasis()).isEqualTo(BigInteger.valueOf(1_000_000L * 285));

        f.sandbox.reopenPlan(PLAN);
        assertThat(redeem("R-2", "1.00")).isInstanceOf(RailOutcome.Succeeded.class);
    }

    @Test
    void planTemporarilyClosedForOneRequest() {
        f.sandbox.injectFault(Fault.planClosed());

        RailOutcome first = subscribe("S-1", "100.00");
        RailOutcome second = subscribe("S-2", "100.00");

        assertThat(first).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.reason()).isEqualTo(DeclineReason.PLAN_CLOSED));
        assertThat(second).isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(f.sandbox.position(PLAN).principal()).isEqualTo(yuan("100.00"));
    }

    @Test
    void unknownPlanIsDeclinedAndItsPositionUnavailable() {
        PlanId nowhere = PlanId.of("NO-SUCH-PLAN");

        RailOutcome out = wealth.subscribe(new WealthInstruction(RequestId.of("S-1"), nowhere, yuan("1.00")));

        assertThat(out).isInstanceOfSatisfying(RailOutcome.Declined.class,
                d -> assertThat(d.rawCode()).isEqualTo("PLAN_UNKNOWN"));
        assertThat(wealth.position(nowhere)).isInstanceOf(PositionResult.Unavailable.class);
    }

    @Test
    void subscriptionRequestIdsAreIdempotentAndConflictOnOtherAmounts() {
        RailOutcome first = subscribe("S-1", "100.00");

        assertThat(subscribe("S-1", "100.00")).isEqualTo(first);
        assertThat(subscribe("S-1", "100.01")).isInstanceOf(RailOutcome.Conflict.class);
        assertThat(wealth.subscribe(new WealthInstruction(RequestId.of("S-1"), PlanId.of("OTHER"), yuan("100.00"))))
                .isInstanceOf(RailOutcome.Conflict.class);
        assertThat(f.sandbox.position(PLAN).principal()).isEqualTo(yuan("100.00"));
        assertThat(f.rail.query(InstructionType.SUBSCRIBE, RequestId.of("S-1"))).isEqualTo(first);
        assertThat(f.rail.query(InstructionType.REDEEM, RequestId.of("S-1"))).isInstanceOf(RailOutcome.NotFound.class);
    }

    @Test
    void yieldOfTheSandboxMatchesTheFormulaClassForAnyScheduleOfOneLot() {
        // The same lot through YieldFormula: what the ticketing side would compute for attribution.
        subscribe("S-1", "777.77");
        Instant from = f.sandbox.now();
        f.sandbox.advance(Duration.ofDays(45).plusHours(7));
        long closes = YieldFormula.closesBetween(from, f.sandbox.now());

        assertThat(closes).isEqualTo(45);
        assertThat(f.sandbox.position(PLAN).accruedYield())
                .isEqualTo(Money.cny(YieldFormula.yieldFen(YieldFormula.basis(77777, 285, closes))));
    }
}
