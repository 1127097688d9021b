package org.ticketledger.example.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * A step around every route handler (authentication, idempotency). Filters see the route's
 * declaration, so they act on what the route says about itself rather than on path patterns.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface RouteFilter {

    /** Does this filter's work and calls {@code next} to continue, or throws {@link ApiException} to stop. */
    void apply(Context ctx, RouteSpec route, Handler next) throws Exception;
}
