package org.ticketledger.huijinbao;

import java.time.Duration;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.testing.RailContract;
import org.ticketledger.payment.testing.RailSandbox;

/** The shared rail contract, run against the Huijinbao sandbox over loopback HTTP with the rail's default retries. */
class HuijinbaoRailContractIT extends RailContract {

    /**
     * Short enough to keep the fault tests quick, long enough not to fire on a 2-core machine
     * running several builds at once (load 10 was seen to push a cold first request past 500 ms).
     */
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(1000);
    static final Duration FAULT_DELAY = Duration.ofMillis(2000);

    @Override
    protected RailSandbox openSandbox() {
        return new HuijinbaoRailSandbox(HuijinbaoSandbox.start(), FAULT_DELAY);
    }

    @Override
    protected PaymentRail openRail(RailSandbox sandbox) {
        HuijinbaoRail rail = ((HuijinbaoRailSandbox) sandbox).sandbox().railBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(CLIENT_TIMEOUT)
                .retryDelay(Duration.ofMillis(10))
                .build();
        // One read first, so that class loading and JIT on both sides do not count against the
        // first contract test's timeout.
        rail.balance();
        return rail;
    }
}
