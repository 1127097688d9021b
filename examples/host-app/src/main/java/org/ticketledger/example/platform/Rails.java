package org.ticketledger.example.platform;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.ticketledger.example.ops.HealthCheck;

/**
 * The payment rails the platform talks to, and the in-process sandboxes that stand in for them by
 * default. This is the one place that decides sandbox or real gateway, so the rest of the app only
 * sees rails. Closing stops the sandboxes. Thread-safe.
 *
 * <p>Until the Alipay and Huijinbao adapters are wired in, {@link #none()} is the only choice.
 */
public final class Rails implements AutoCloseable {

    /** Where one rail is reached, for the startup banner and health. */
    public record Endpoint(String rail, URI url, boolean sandbox) {
        public Endpoint {
            Objects.requireNonNull(rail, "rail");
            Objects.requireNonNull(url, "url");
        }
    }

    private final List<Endpoint> endpoints;
    private final List<HealthCheck> checks;
    private final List<AutoCloseable> owned;

    private Rails(List<Endpoint> endpoints, List<HealthCheck> checks, List<AutoCloseable> owned) {
        this.endpoints = List.copyOf(endpoints);
        this.checks = List.copyOf(checks);
        this.owned = List.copyOf(owned);
    }

    /** No rails: the platform serves its API, but nothing can move money. */
    public static Rails none() {
        return new Rails(List.of(), List.of(), List.of());
    }

    /** The rails and where they are. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** One health check per rail. */
    public List<HealthCheck> healthChecks() {
        return checks;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not stop a rail sandbox", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
