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
                .contains("-> 201 ISSUED: charged 101.00")
                .contains("Idempotent-Replayed: true")
                .contains("payout DONE: 89.10")
                .contains("webhook ticket.issued").contains("webhook ticket.redeemed").doesNotContain("BAD SIGNATURE")
                .contains("trial balance: balanced")
                .containsPattern("reconciliation ALIPAY: ledger 11\\.90, rail 11\\.90, difference 0\\.00")
                .endsWith("reconciliation: zero difference" + System.lineSeparator());
    }
}
