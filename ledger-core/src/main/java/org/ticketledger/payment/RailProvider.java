package org.ticketledger.payment;

import java.util.Map;
import java.util.Optional;

/**
 * Creates a rail from flat configuration; listed in {@code META-INF/services} so that
 * {@link RailRegistry#discover} finds it. Configuration keys are prefixed by the rail, e.g.
 * {@code alipay.gateway}, {@code alipay.app-id}.
 */
public interface RailProvider {

    /** The rail this provider makes. */
    RailId rail();

    /** The rail, or empty when {@code config} does not configure it. */
    Optional<PaymentRail> create(Map<String, String> config);
}
