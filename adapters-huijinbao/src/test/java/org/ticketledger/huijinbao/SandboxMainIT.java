package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ticketledger.huijinbao.Fixture.yuan;

import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandboxMain;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.PlanId;

class SandboxMainIT {

    @Test
    void startsFromCommandLineOptionsAndServesAClient() {
        try (HuijinbaoSandbox sandbox = HuijinbaoSandboxMain.configure("--port=0", "--key-id=demo-key-01",
                "--secret=" + ProtocolExamples.SECRET, "--platform-account=PLAT0001", "--platform-balance=100.00",
                "--plan=HJB-WM-90:285", "--account=D0001:5.00").start();
             HuijinbaoRail rail = sandbox.railBuilder().build()) {
            assertThat(sandbox.keyId()).isEqualTo("demo-key-01");
            assertThat(sandbox.balance("D0001")).isEqualTo(yuan("5.00"));
            assertThat(sandbox.position(PlanId.of("HJB-WM-90")).annualRateBp()).isEqualTo(285);
            assertThat(rail.balance()).isInstanceOfSatisfying(BalanceResult.Available.class,
                    b -> assertThat(b.available()).isEqualTo(yuan("100.00")));
        }
    }

    @Test
    void refusesUnknownOrMalformedOptions() {
        assertThatThrownBy(() -> HuijinbaoSandboxMain.configure("--colour=blue")).hasMessageContaining("--colour");
        assertThatThrownBy(() -> HuijinbaoSandboxMain.configure("--plan=NORATE")).hasMessageContaining("ID:VALUE");
        assertThatThrownBy(() -> HuijinbaoSandboxMain.configure("port=1")).hasMessageContaining("--name=value");
    }
}
