package org.ticketledger.example.http;

/**
 * A group of routes plugged into the host app (ops, distributor API, admin API, device API, rail
 * callbacks). Each module declares its routes, with their documentation, through {@link Routes}.
 */
@FunctionalInterface
public interface ApiModule {

    /** Declares this module's routes. */
    void register(Routes routes);
}
