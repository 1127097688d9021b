package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Currency;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.alipay.sandbox.SandboxAccount;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/** Alipay-specific behaviour beyond the rail contract: payees, agreements, bugs, lifecycle. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlipayRailIT {

    private AlipaySandbox sandbox;
    private AlipayRail rail;

    @BeforeAll
    void start() {
        sandbox = AlipaySandbox.start();
        rail = sandbox.railBuilder().requestTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    void stop() {
        rail.close();
        sandbox.close();
    }

    @Test
    void paysOutToALoginIdWithTheHoldersName() {
        SandboxAccount payee = sandbox.openAccount("13800000001", "癸", Money.cny(0));
        sandbox.setPlatformBalance(Money.parseCny("10.00"));
        PartyAccount byLogin = PartyAccount.of(RailId.ALIPAY, IdentityType.LOGON_ID, "13800000001").withHolderName("癸");

        assertThat(rail.payout(Instruction.payout(RequestId.of("LOGIN-1"), byLogin, Money.parseCny("3.00"), "结算")))
                .isInstanceOf(RailOutcome.Succeeded.class);
        assertThat(rail.payout(Instruction.payout(RequestId.of("LOGIN-2"), byLogin.withHolderName("别人"), Money.parseCny("3.00"), "结算")))
                .isInstanceOfSatisfying(RailOutcome.Declined.class, d -> assertThat(d.reason()).isEqualTo(DeclineReason.ACCOUNT_INVALID));
        assertThat(rail.payout(Instruction.payout(RequestId.of("LOGIN-3"),
                PartyAccount.of(RailId.ALIPAY, IdentityType.LOGON_ID, "13800000001"), Money.parseCny("3.00"), "结算")))
                .isInstanceOfSatisfying(RailOutcome.Declined.class, d -> assertThat(d.rawCode()).startsWith("LOCAL/"));
        assertThat(rail.payout(Instruction.payout(RequestId.of("LOGIN-4"),
                PartyAccount.of(RailId.ALIPAY, IdentityType.ACCOUNT_NO, "123"), Money.parseCny("3.00"), "结算")))
                .isInstanceOf(RailOutcome.Declined.class);
        assertThat(sandbox.balance(payee.userId())).isEqualTo(Money.parseCny("3.00"));
        assertThat(sandbox.platformBalance()).isEqualTo(Money.parseCny("7.00"));
    }

    @Test
    void collectionNeedsALiveAgreement() {
        PartyAccount party = sandbox.openParty("agree@example.com", "子", Money.parseCny("10.00"));
        PartyAccount withoutAgreement = PartyAccount.of(RailId.ALIPAY, IdentityType.USER_ID, party.identity());

        assertThat(rail.collect(Instruction.collect(RequestId.of("AG-1"), withoutAgreement, Money.parseCny("1.00"), "t")))
                .isInstanceOfSatisfying(RailOutcome.Declined.class, d -> assertThat(d.reason()).isEqualTo(DeclineReason.ACCOUNT_INVALID));
        sandbox.revokeAgreement(party.agreementNo().orElseThrow());
        assertThat(rail.collect(Instruction.collect(RequestId.of("AG-2"), party, Money.parseCny("1.00"), "t")))
                .isInstanceOfSatisfying(RailOutcome.Declined.class, d -> assertThat(d.reason()).isEqualTo(DeclineReason.ACCOUNT_INVALID));
        assertThat(sandbox.balance(party.identity())).isEqualTo(Money.parseCny("10.00"));
    }

    @Test
    void misuseIsABug() {
        PartyAccount party = sandbox.openParty("bug@example.com", "丑", Money.parseCny("10.00"));
        Instruction usd = new Instruction(InstructionType.COLLECT, RequestId.of("BUG-1"), party,
                Money.of(100, Currency.getInstance("USD")), "t");
        Instruction collect = Instruction.collect(RequestId.of("BUG-2"), party, Money.parseCny("1.00"), "t");

        assertThatThrownBy(() -> rail.collect(usd)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rail.payout(collect)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rail.query(InstructionType.REDEEM, RequestId.of("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(rail.wealth()).isEmpty();
        assertThat(sandbox.balance(party.identity())).isEqualTo(Money.parseCny("10.00"));
    }

    @Test
    void unreachableGatewayIsUnknownForMovesAndUnavailableForBalance() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (AlipayRail nowhere = sandbox.railBuilder()
                .gateway(URI.create("http://127.0.0.1:" + closedPort + "/gateway.do"))
                .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofMillis(300)).build()) {
            PartyAccount party = sandbox.openParty("nowhere@example.com", "寅", Money.parseCny("10.00"));
            assertThat(nowhere.collect(Instruction.collect(RequestId.of("NW-1"), party, Money.parseCny("1.00"), "t")))
                    .isInstanceOf(RailOutcome.Unknown.class);
            assertThat(nowhere.query(InstructionType.COLLECT, RequestId.of("NW-1"))).isInstanceOf(RailOutcome.Unknown.class);
            assertThat(nowhere.balance()).isInstanceOf(org.ticketledger.payment.BalanceResult.Unavailable.class);
        }
    }

    @Test
    void closedRailRefusesWorkAndBuilderRefusesBadSettings() {
        AlipayRail closing = sandbox.railBuilder().build();
        closing.close();
        closing.close();
        assertThatThrownBy(closing::balance).isInstanceOf(IllegalStateException.class);

        assertThatThrownBy(() -> AlipayRail.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway");
        assertThatThrownBy(() -> AlipayRail.builder().gateway(URI.create("ftp://x/gateway.do")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlipayRail.builder().appId("app-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlipayRail.builder().requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlipayRail.builder().platformAccount("platform")).isInstanceOf(IllegalArgumentException.class);
    }
}
