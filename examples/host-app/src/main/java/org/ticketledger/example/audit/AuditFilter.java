package org.ticketledger.example.audit;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.RouteFilter;
import org.ticketledger.example.http.RouteSpec;
import org.ticketledger.example.http.Routes;

/**
 * Records every admin API call that may change something (operator routes, any method but GET)
 * in the {@link AuditLog}, refused ones included: who, which route, what it was applied to and
 * the status answered. Sits inside the idempotency filter, so a replayed response is not recorded
 * twice. A failure to write the record is logged, not turned into a failure of the call that
 * already happened. Thread-safe.
 */
public final class AuditFilter implements RouteFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);

    private final AuditLog log;

    /** A filter writing to {@code log}. */
    public AuditFilter(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void apply(Context ctx, RouteSpec route, Handler next) throws Exception {
        if (route.access() != Access.ADMIN || route.method().equals("GET")) {
            next.handle(ctx);
            return;
        }
        int status = 500;
        try {
            next.handle(ctx);
            status = ctx.statusCode();
        } catch (ApiException e) {
            status = e.problem().type().status();
            throw e;
        } finally {
            try {
                log.append(Routes.principal(ctx).id(), "api " + route.method() + " " + route.path(), ctx.path(),
                        "answered " + status);
            } catch (RuntimeException e) {
                LOG.error("could not record the admin call {} {} in the audit log", route.method(), ctx.path(), e);
            }
        }
    }
}
