package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;

/** The usage example of PROTOCOL.md § 12, kept compiling and true. */
class SandboxUsageIT {

    @Test
    void theDocumentedExampleWorks() {
        // --- as in PROTOCOL.md § 12
        PlanId plan = PlanId.of("HJB-WM-90");
        try (HuijinbaoSandbox hjb = HuijinbaoSandbox.builder()
                .platformBalance(Money.parseCny("100000.00"))
                .plan(plan, 285)
                .clock(Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC))
                .start();
             HuijinbaoRail rail = hjb.railBuilder().defaultPlan(plan).build()) {
            PartyAccount distributor = hjb.openAccount("D0001", Money.parseCny("5000.00"));
            rail.collect(Instruction.collect(RequestId.of("ORD-1"), distributor, Money.parseCny("101.00"), "order 1"));
            rail.subscribe(new WealthInstruction(RequestId.of("INV-1"), plan, Money.parseCny("100.00")));
            hjb.advanceDays(90);
            hjb.injectFault(Fault.lostReply(), SandboxOperation.REDEEM_ALL);
            RailOutcome lost = rail.redeemAll(RequestId.of("EXP-1"), plan);          // Unknown: the reply was lost
            RailOutcome known = rail.query(InstructionType.REDEEM_ALL, RequestId.of("EXP-1")); // Succeeded
            // --- end of the documented part

            assertThat(lost).isInstanceOf(RailOutcome.Unknown.class);
            // 10000 fen × 285 bp × 90 closes / 3650000 = 70.27 → 70 fen
            assertThat(known).isInstanceOfSatisfying(RailOutcome.Succeeded.class, s -> {
                assertThat(s.yield()).contains(Money.cny(70));
                assertThat(s.amount()).isEqualTo(Money.parseCny("100.70"));
            });
            assertThat(hjb.platformBalance()).isEqualTo(Money.parseCny("100101.70"));
            assertThat(hjb.isConserved()).isTrue();
        }
    }
}
