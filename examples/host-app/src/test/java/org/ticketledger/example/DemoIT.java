package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code ./ticketledger demo} runs the single-ticket and the combo flows, through expiry with
 * yield, to a balanced, reconciled statement (rails and wealth plan).
 */
class DemoIT {

    @Test
    void theDemoRunsEndToEndAndReconcilesToZero() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = PlatformDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out)
                // single tickets: short, SMS, top-up, reapply
                .contains("-> 202 AWAITING_TOPUP")
                .contains("SMS to 13900001001")
                .contains("-> 201 ISSUED: charged 202.00")
                .contains("Idempotent-Replayed: true")
                // the combo in the sync, sold, its invest waiting for the platform's Huijinbao funds
                .containsPattern("COMBO p-\\S+ \"West Lake \\+ Lingyin Temple\" at 150.00, valid at 2 spot\\(s\\), expires ")
                .contains("POST /distributor/v1/orders (combo, 2 visitors) -> 201 ISSUED: charged 303.00")
                .containsPattern("invest wi-\\S+ of 300.00 into HJB-WM-DEMO: AWAITING_FUNDS")
                .contains("SMS to the admin 13800000000")
                .contains("retry-awaiting-funds -> 1 retried; the invest is DONE")
                .contains("plan HJB-WM-DEMO holds 300.00 by the books and 300.00 at Huijinbao")
                // the gates
                .contains("verify offline, before admitting: VALID")
                .containsPattern("redeem ticket \\d+: ONLINE REDEEMED")
                .contains("the same code again: ONLINE ALREADY_REDEEMED")
                .containsPattern("redeem ticket \\d+: OFFLINE REDEEMED")
                .contains("payouts queued so far: 1")
                .contains("1 recorded, 0 conflicts; payouts queued now: 2")
                .containsPattern("combo tickets at West Lake: \\d+ ONLINE REDEEMED, \\d+ ONLINE REDEEMED")
                .containsPattern("at Lingyin Temple \\(a second gate, same operator\\): \\d+ ONLINE REDEEMED")
                .contains("ISSUED, 1 of 2 spots redeemed (West Lake redeemed, Lingyin Temple not)")
                .contains("queue 0, SDK ")
                // payouts on both rails and the withdrawals
                .containsPattern("(?s)DONE: 89\\.10 to West Lake on ALIPAY.*DONE: 89\\.10 to West Lake on ALIPAY")
                .contains("DONE: 69.30 to Lingyin Temple on HUIJINBAO (fee 0.70)")
                .contains("West Lake's Alipay account holds 297.00; Lingyin Temple's Huijinbao account holds 69.30")
                .contains("plan HJB-WM-DEMO still holds 110.00")
                // expiry with yield
                .containsPattern("plan HJB-WM-DEMO CLOSED: the redeem-all returned 110.00 of principal and 0\\.\\d\\d of yield")
                .containsPattern("is EXPIRED \\(West Lake redeemed, Lingyin Temple not\\): the 90.00 nobody used is breakage")
                // webhooks
                .containsPattern("webhook ticket.issued \\S+: ticket \\d+ is ISSUED \\(signature verified\\)")
                .containsPattern("webhook ticket.redeemed \\S+: ticket \\d+ at Lingyin Temple is REDEEMED")
                .containsPattern("webhook ticket.expired \\S+: ticket \\d+ is EXPIRED \\(signature verified\\)")
                .doesNotContain("BAD SIGNATURE")
                .doesNotContain("correct horse")
                // the report and the books
                .containsPattern("issuance_volume +500.00")
                .containsPattern("margin +40.00")
                .containsPattern("breakage +90.00")
                .containsPattern("wealth_position +0.00")
                .contains("\"summary,breakage,,,,,90.00\"")
                .contains("trial balance: balanced")
                .containsPattern("reconciliation ALIPAY: ledger 208\\.00, rail 208\\.00, difference 0\\.00")
                .containsPattern("reconciliation HUIJINBAO: ledger (\\d+\\.\\d\\d), rail \\1, difference 0\\.00")
                .contains("reconciliation wealth HJB-WM-DEMO: ledger 0.00, rail 0.00, difference 0.00")
                .contains("reconciliation wealth total: ledger 0.00, rail 0.00, difference 0.00")
                .endsWith("reconciliation: zero difference" + System.lineSeparator());
    }
}
