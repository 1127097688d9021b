package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./ticketledger demo} runs the single-ticket flow to a balanced, reconciled statement. */
class DemoIT {

    @Test
    void theDemoRunsEndToEndAndReconcilesToZero() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = PlatformDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out)
                .contains("-> 202 AWAITING_TOPUP")
                .contains("SMS to 13900001001")
                .contains("-> 201 ISSUED: charged 202.00")
                .contains("Idempotent-Replayed: true")
                .contains("verify offline, before admitting: VALID")
                .containsPattern("redeem ticket \\d+: ONLINE REDEEMED")
                .contains("the same code again: ONLINE ALREADY_REDEEMED")
                .containsPattern("redeem ticket \\d+: OFFLINE REDEEMED")
                .contains("payouts queued so far: 1")
                .contains("1 recorded, 0 conflicts; payouts queued now: 2")
                .contains("queue 0, SDK ")
                .containsPattern("(?s)DONE: 89\\.10 to West Lake.*DONE: 89\\.10 to West Lake")
                .contains("West Lake's Alipay account holds 178.20")
                .contains("webhook ticket.issued").contains("webhook ticket.redeemed").doesNotContain("BAD SIGNATURE")
                .doesNotContain("correct horse")
                .contains("trial balance: balanced")
                .containsPattern("reconciliation ALIPAY: ledger 23\\.80, rail 23\\.80, difference 0\\.00")
                .endsWith("reconciliation: zero difference" + System.lineSeparator());
    }
}
