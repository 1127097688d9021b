package org.ticketledger.example.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;

/**
 * Routes around webhooks: a distributor sets, reads or removes its endpoint
 * ({@code /distributor/v1/webhook}); admins list deliveries by state and put failed ones back.
 */
public final class WebhookModule implements ApiModule {

    private final Webhooks webhooks;

    /** Routes over {@code webhooks}. */
    public WebhookModule(Webhooks webhooks) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    }

    @Override
    public void register(Routes routes) {
        ObjectNode endpoint = Schemas.object().prop("url", Schemas.string("Absolute http(s) URL receiving POSTs"), true)
                .prop("secret", Schemas.string("Signs deliveries; shown only when set"), false).build();
        routes.put("/distributor/v1/webhook").access(Access.DISTRIBUTOR).tag("distributor").operationId("setWebhook")
                .summary("Set your webhook endpoint; answers a new signing secret (shown once)")
                .requestBody(Schemas.object().prop("url", Schemas.string("Absolute http(s) URL"), true).build())
                .response(200, "Set", endpoint)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String url = b.requiredString("url", 500);
                    URI uri = null;
                    try {
                        uri = URI.create(url);
                    } catch (IllegalArgumentException e) {
                        b.error("url", "is not a URL");
                    }
                    if (uri != null && (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                            || uri.getHost() == null)) {
                        b.error("url", "must be an absolute http(s) URL");
                    }
                    b.done();
                    Webhooks.Endpoint e = webhooks.configure(me(ctx), uri);
                    Routes.json(ctx, 200, Json.object().put("url", e.url().toString()).put("secret", e.secret()));
                });
        routes.get("/distributor/v1/webhook").access(Access.DISTRIBUTOR).tag("distributor").operationId("getWebhook")
                .summary("Your webhook endpoint").response(200, "The endpoint (without the secret)", endpoint)
                .handle(ctx -> {
                    Webhooks.Endpoint e = webhooks.endpoint(me(ctx))
                            .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no webhook endpoint is set"));
                    Routes.json(ctx, 200, Json.object().put("url", e.url().toString()));
                });
        routes.delete("/distributor/v1/webhook").access(Access.DISTRIBUTOR).tag("distributor").operationId("deleteWebhook")
                .summary("Stop webhooks (pending deliveries fail)").response(204, "Removed", "")
                .handle(ctx -> {
                    if (!webhooks.remove(me(ctx))) {
                        throw new ApiException(ProblemType.NOT_FOUND, "no webhook endpoint is set");
                    }
                    ctx.status(204);
                });
        routes.get("/admin/v1/webhook-deliveries").access(Access.ADMIN_READ).tag("admin").operationId("listWebhookDeliveries")
                .summary("Webhook deliveries by state")
                .param("query", "state", true, "string", "PENDING, DELIVERED or FAILED")
                .param("query", "distributorId", false, "string", "Only this distributor's")
                .response(200, "Deliveries, newest first", Schemas.object().prop("items", Schemas.array(Schemas.object().open().build()), true).build())
                .handle(ctx -> {
                    String state = ctx.queryParam("state");
                    if (state == null || !List.of("PENDING", "DELIVERED", "FAILED").contains(state)) {
                        throw new ApiException(ProblemType.BAD_REQUEST, "state must be PENDING, DELIVERED or FAILED",
                                List.of(new FieldError("#/query/state", "PENDING, DELIVERED or FAILED")));
                    }
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    for (Webhooks.Delivery d : webhooks.deliveries(state, Optional.ofNullable(ctx.queryParam("distributorId")), 200)) {
                        ObjectNode n = items.addObject().put("eventId", d.eventId()).put("distributorId", d.distributorId())
                                .put("type", d.type()).put("state", d.state()).put("attempts", d.attempts())
                                .put("createdAt", d.createdAt().toString());
                        d.lastStatus().ifPresent(s -> n.put("lastStatus", s));
                        d.lastError().ifPresent(s -> n.put("lastError", s));
                        d.deliveredAt().ifPresent(s -> n.put("deliveredAt", s.toString()));
                    }
                    Routes.json(ctx, 200, body);
                });
        routes.post("/admin/v1/webhook-deliveries/{eventId}/retry").access(Access.ADMIN).tag("admin").operationId("retryWebhookDelivery")
                .summary("Queue a failed delivery again").response(204, "Queued", "")
                .handle(ctx -> {
                    if (!webhooks.retry(ctx.pathParam("eventId"))) {
                        throw new ApiException(ProblemType.NOT_FOUND, "no failed delivery " + ctx.pathParam("eventId"));
                    }
                    ctx.status(204);
                });
    }

    private static String me(io.javalin.http.Context ctx) {
        return ((Principal.Distributor) Routes.principal(ctx)).distributorId();
    }
}
