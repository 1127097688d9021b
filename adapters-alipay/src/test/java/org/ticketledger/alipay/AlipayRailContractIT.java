package org.ticketledger.alipay;

import java.time.Duration;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.testing.RailContract;
import org.ticketledger.payment.testing.RailSandbox;

/** The rail contract, run against the Alipay sandbox over loopback HTTP. */
class AlipayRailContractIT extends RailContract {

    /** Short enough to keep the fault tests quick, long enough not to fire on a busy 2-core machine. */
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
    static final Duration FAULT_DELAY = Duration.ofMillis(1500);

    @Override
    protected RailSandbox openSandbox() {
        return new AlipayRailSandbox(AlipaySandbox.builder().faultDelay(FAULT_DELAY).start());
    }

    @Override
    protected PaymentRail openRail(RailSandbox sandbox) {
        return ((AlipayRailSandbox) sandbox).sandbox().railBuilder().requestTimeout(CLIENT_TIMEOUT).build();
    }
}
