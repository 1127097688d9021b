package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * Runs the rail through success, declines, faults and a misconfigured key with every log at debug
 * (slf4j-simple writes to System.err, captured here), and checks that neither the logs, nor the
 * outcomes, nor exception messages carry the app's private key or the agreement number.
 */
class SecretsNotLoggedIT {

    @Test
    void neitherLogsNorOutcomesNorExceptionsCarryKeysOrAgreementNumbers() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<Object> visible = new ArrayList<>();
        String agreementNo;
        String privateKeyBase64;
        String privateExponent;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (AlipaySandbox sandbox = AlipaySandbox.builder().faultDelay(Duration.ofMillis(800)).start();
             AlipayRail rail = sandbox.railBuilder().requestTimeout(Duration.ofMillis(400)).build();
             AlipayRail misconfigured = sandbox.railBuilder().appPrivateKey(AlipayKeys.generate().getPrivate()).build()) {
            privateKeyBase64 = AlipayKeys.toBase64(sandbox.appPrivateKey().orElseThrow());
            privateExponent = ((RSAPrivateKey) sandbox.appPrivateKey().orElseThrow()).getPrivateExponent().toString(16);
            PartyAccount party = sandbox.openParty("secret@example.com", "壬", Money.parseCny("100.00"));
            agreementNo = party.agreementNo().orElseThrow();
            sandbox.setPlatformBalance(Money.parseCny("100.00"));
            visible.add(party);
            visible.add(rail);

            visible.add(rail.collect(Instruction.collect(RequestId.of("S-ok"), party, Money.parseCny("1.00"), "t")));
            visible.add(rail.collect(Instruction.collect(RequestId.of("S-ok"), party, Money.parseCny("1.00"), "t")));
            visible.add(rail.collect(Instruction.collect(RequestId.of("S-ok"), party, Money.parseCny("2.00"), "t")));
            visible.add(rail.collect(Instruction.collect(RequestId.of("S-poor"), party, Money.parseCny("1000.00"), "t")));
            for (AlipayFault fault : AlipayFault.values()) {
                sandbox.injectFault("alipay.trade.pay", fault, 1);
                visible.add(rail.collect(Instruction.collect(RequestId.of("S-" + fault.name().replace('_', '-')), party,
                        Money.parseCny("1.00"), "t")));
            }
            visible.add(rail.payout(Instruction.payout(RequestId.of("S-pay"), party, Money.parseCny("1.00"), "t")));
            visible.add(rail.query(InstructionType.COLLECT, RequestId.of("S-ok")));
            visible.add(rail.balance());
            // The gateway quotes the whole sign string (agreement number included) when a signature fails.
            RailOutcome refused = misconfigured.collect(Instruction.collect(RequestId.of("S-badkey"), party, Money.parseCny("1.00"), "t"));
            assertThat(refused).isInstanceOf(RailOutcome.Declined.class);
            visible.add(refused);
            try {
                AlipayKeys.privateKey(privateKeyBase64.substring(0, 200));
            } catch (RuntimeException e) {
                visible.add(e.getMessage());
            }
            try {
                AlipayKeys.publicKey(privateKeyBase64);
            } catch (RuntimeException e) {
                visible.add(e.getMessage());
            }
        } finally {
            System.setErr(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        String shown = logs + "\n" + visible;
        assertThat(logs).as("the capture works").contains("S-ok").contains("S-REPLY-LOST").contains("S-badkey");
        assertThat(shown).doesNotContain(agreementNo);
        for (int i = 0; i + 32 <= privateKeyBase64.length(); i += 97) {
            assertThat(shown).doesNotContain(privateKeyBase64.substring(i, i + 32));
        }
        assertThat(shown).doesNotContain(privateExponent.substring(0, 32));
    }
}
