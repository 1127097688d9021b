package org.ticketledger.example.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;

/**
 * The operational endpoints: {@code GET /health} (200 when every component is up, 503 otherwise),
 * {@code GET /metrics} (Prometheus text) and {@code GET /openapi.json}. They are public so that
 * probes and scrapers need no credentials; they reveal no secrets.
 */
public final class OpsModule implements ApiModule {

    private final List<HealthCheck> checks;
    private final Metrics metrics;
    private final Supplier<ObjectNode> openApi;

    /** The module over the given checks, registry and (lazily built) OpenAPI document. */
    public OpsModule(List<HealthCheck> checks, Metrics metrics, Supplier<ObjectNode> openApi) {
        this.checks = List.copyOf(checks);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.openApi = Objects.requireNonNull(openApi, "openApi");
    }

    @Override
    public void register(Routes routes) {
        ObjectNode component = Schemas.object().prop("status", Schemas.string("UP or DOWN"), true)
                .prop("details", Schemas.object().open().build(), true).build();
        ObjectNode componentMap = Json.object().put("type", "object");
        componentMap.set("additionalProperties", component);
        routes.get("/health").access(Access.PUBLIC).tag("ops").operationId("health")
                .summary("Liveness and readiness: database and rails")
                .response(200, "Every component is up", Schemas.object().prop("status", Schemas.string("UP"), true)
                        .prop("components", componentMap, true).build())
                .response(503, "A component is down (same body, status DOWN)", "application/json")
                .handle(ctx -> {
                    ObjectNode doc = Json.object();
                    ObjectNode components = Json.object();
                    boolean allUp = true;
                    for (HealthCheck c : checks) {
                        HealthCheck.Status s = c.check();
                        allUp &= s.up();
                        ObjectNode n = components.putObject(c.name()).put("status", s.up() ? "UP" : "DOWN");
                        n.set("details", Json.MAPPER.valueToTree(s.details()));
                    }
                    doc.put("status", allUp ? "UP" : "DOWN");
                    doc.set("components", components);
                    Routes.json(ctx, allUp ? 200 : 503, doc);
                });
        routes.get("/metrics").access(Access.PUBLIC).tag("ops").operationId("metrics")
                .summary("Prometheus metrics (text format 0.0.4)")
                .response(200, "Metrics", "text/plain; version=0.0.4")
                .handle(ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.get("/openapi.json").access(Access.PUBLIC).tag("ops").operationId("openApi")
                .summary("This API's OpenAPI 3.1 document")
                .response(200, "The document", Json.object().put("type", "object"))
                .handle(ctx -> Routes.json(ctx, 200, openApi.get()));
    }
}
