package org.ticketledger.huijinbao;

import java.time.Duration;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.testing.RailContract;
import org.ticketledger.payment.testing.RailSandbox;

/** The shared rail contract, run against the Huijinbao sandbox over loopback HTTP with the rail's default retries. */
class HuijinbaoRailContractIT extends RailContract {

    /** Short enough to keep the fault tests quick, long enough not to fire on a busy 2-core machine. */
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
    static final Duration FAULT_DELAY = Duration.ofMillis(1500);

    @Override
    protected RailSandbox openSandbox() {
        return new HuijinbaoRailSandbox(HuijinbaoSandbox.start(), FAULT_DELAY);
    }

    @Override
    protected PaymentRail openRail(RailSandbox sandbox) {
        return ((HuijinbaoRailSandbox) sandbox).sandbox().railBuilder()
                .requestTimeout(CLIENT_TIMEOUT)
                .retryDelay(Duration.ofMillis(10))
                .build();
    }
}
