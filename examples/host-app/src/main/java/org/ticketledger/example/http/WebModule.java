package org.ticketledger.example.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * A group of browser pages under one path prefix (the operator console), registered on Javalin
 * directly: pages are not API operations, so they stay out of the OpenAPI document and out of the
 * API's route filters. The module authenticates its own requests and renders its own errors.
 */
public interface WebModule {

    /** The path prefix every page of the module is under, e.g. {@code /console}. */
    String prefix();

    /** Registers the module's handlers. */
    void register(RoutesConfig routes);

    /** Answers a request under {@link #prefix()} that matched no handler. */
    void notFound(Context ctx);
}
