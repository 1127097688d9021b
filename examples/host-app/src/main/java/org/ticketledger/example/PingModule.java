package org.ticketledger.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;

/**
 * Signed no-ops for distributors: {@code GET} checks credentials, {@code POST} goes through the whole
 * money-moving stack (signature, nonce, rate limit, Idempotency-Key, metrics) without moving money.
 * The load benchmark uses the POST as its baseline; integrators use both to test their signing.
 */
final class PingModule implements ApiModule {

    @Override
    public void register(Routes routes) {
        ObjectNode pong = Schemas.object()
                .prop("pong", Schemas.bool("Always true"), true)
                .prop("distributorId", Schemas.string("Who the platform thinks you are"), true)
                .prop("echo", Schemas.string("The echo you sent"), false).build();
        routes.get("/distributor/v1/ping").access(Access.DISTRIBUTOR).tag("distributor").operationId("pingGet")
                .summary("Check signed-request credentials")
                .response(200, "Authenticated", pong)
                .handle(ctx -> Routes.json(ctx, 200, pong(ctx, null)));
        routes.post("/distributor/v1/ping").access(Access.DISTRIBUTOR).moneyMoving().tag("distributor").operationId("pingPost")
                .summary("Signed, idempotent no-op through the full money-moving stack")
                .requestBody(Schemas.object().prop("echo", Schemas.string("Up to 200 characters, returned as sent"), false).build())
                .response(200, "Done (or replayed)", pong)
                .handle(ctx -> {
                    JsonBody body = Routes.jsonBody(ctx);
                    String echo = body.optionalString("echo", 200).orElse(null);
                    body.done();
                    Routes.json(ctx, 200, pong(ctx, echo));
                });
    }

    private static ObjectNode pong(io.javalin.http.Context ctx, String echo) {
        Principal.Distributor d = (Principal.Distributor) Routes.principal(ctx);
        ObjectNode n = Json.object().put("pong", true).put("distributorId", d.distributorId());
        if (echo != null) {
            n.put("echo", echo);
        }
        return n;
    }
}
