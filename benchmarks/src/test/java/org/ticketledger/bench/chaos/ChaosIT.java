package org.ticketledger.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * The chaos run, short: the host app as a child JVM from its shaded jar, 500 orders (single and
 * combo tickets, both rails) with refunds and gate redemptions through 20 % rail faults, two
 * SIGKILLs of the app and a restart of PostgreSQL; every check of the audit must pass. Then a charge is made behind the platform's back, and the audit must notice it.
 */
class ChaosIT {

    @Test
    void moneyIsNeitherLostNorDoubledThroughFaultsCrashesAndRestarts() {
        ChaosOptions options = ChaosOptions.full().withOrders(500, 2, 1).withWorkers(12);
        ChaosRun.Result r = ChaosRun.execute(options, System.out, Optional.of(rails -> {
            PartyAccount rogue = rails.alipay().openParty("rogue@chaos.example", "Rogue", Money.parseCny("50.00"));
            try (AlipayRail rail = rails.alipay().railBuilder().build()) {
                RailOutcome out = rail.collect(Instruction.collect(RequestId.of("col-o-rogue-1"), rogue,
                        Money.parseCny("10.00"), "not an order"));
                assertThat(out).isInstanceOf(RailOutcome.Succeeded.class);
            }
        }));

        assertThat(r.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.name() + ": " + c.detail()).isTrue());
        assertThat(r.passed()).isTrue();
        assertThat(r.figures()).containsEntry("app_kills", 2L).containsEntry("pg_restarts", 1L);
        assertThat((Long) r.figures().get("faults_armed")).isPositive();
        assertThat((Long) r.figures().get("short_orders_topped_up")).isPositive();
        assertThat((Long) r.figures().get("refunds")).isPositive();
        assertThat((Long) r.figures().get("combo_orders")).isPositive();
        assertThat((Long) r.figures().get("redemptions")).isPositive();
        assertThat(r.figures().get("orders_issued")).isEqualTo(500L);

        assertThat(r.afterTampering()).hasValueSatisfying(checks -> assertThat(checks)
                .filteredOn(c -> !c.ok()).extracting(Audit.Check::name)
                .contains("no charge without an order", "ledger and rail balances differ by 0 fen"));
    }
}
