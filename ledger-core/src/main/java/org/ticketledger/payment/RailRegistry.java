package org.ticketledger.payment;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rails a platform uses, by id. Rails are registered explicitly (the usual way: they need
 * configuration) or discovered through {@link ServiceLoader} from {@link RailProvider}s.
 * Thread-safe.
 */
public final class RailRegistry implements AutoCloseable {

    private final Map<RailId, PaymentRail> rails = new ConcurrentHashMap<>();

    private RailRegistry() {
    }

    /** An empty registry. */
    public static RailRegistry empty() {
        return new RailRegistry();
    }

    /**
     * A registry holding every rail whose {@link RailProvider} is on the class path and accepts
     * {@code config} (providers that lack their settings return empty).
     */
    public static RailRegistry discover(Map<String, String> config) {
        Objects.requireNonNull(config, "config");
        RailRegistry registry = new RailRegistry();
        for (RailProvider provider : ServiceLoader.load(RailProvider.class)) {
            provider.create(config).ifPresent(registry::register);
        }
        return registry;
    }

    /**
     * Adds a rail.
     *
     * @throws IllegalStateException if a rail with the same id is registered
     */
    public RailRegistry register(PaymentRail rail) {
        Objects.requireNonNull(rail, "rail");
        if (rails.putIfAbsent(rail.id(), rail) != null) {
            throw new IllegalStateException("a rail " + rail.id() + " is registered already");
        }
        return this;
    }

    /** The rail with this id, if registered. */
    public Optional<PaymentRail> find(RailId id) {
        return Optional.ofNullable(rails.get(id));
    }

    /**
     * The rail with this id.
     *
     * @throws IllegalArgumentException if none is registered
     */
    public PaymentRail get(RailId id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no rail " + id + " is registered"));
    }

    /** All registered rails. */
    public Collection<PaymentRail> all() {
        return List.copyOf(rails.values());
    }

    /** Closes every rail. */
    @Override
    public void close() {
        rails.values().forEach(PaymentRail::close);
    }
}
