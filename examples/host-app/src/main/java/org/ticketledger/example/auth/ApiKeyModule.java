package org.ticketledger.example.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Predicate;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;

/**
 * Admin routes for distributor credentials: issue a key (the secret is shown once), list keys,
 * revoke a key, set a distributor's rate limit.
 */
public final class ApiKeyModule implements ApiModule {

    private final ApiKeys keys;
    private final Predicate<String> distributorExists;

    /** Keys for any well-formed distributor id (until the ticketing module knows the distributors). */
    public ApiKeyModule(ApiKeys keys) {
        this(keys, id -> true);
    }

    /** Keys only for distributors that {@code distributorExists} accepts. */
    public ApiKeyModule(ApiKeys keys, Predicate<String> distributorExists) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.distributorExists = Objects.requireNonNull(distributorExists, "distributorExists");
    }

    @Override
    public void register(Routes routes) {
        ObjectNode issued = Schemas.object()
                .prop("keyId", Schemas.string("Send as X-TL-Key"), true)
                .prop("secret", Schemas.string("The HMAC secret; shown only in this response"), true)
                .prop("distributorId", Schemas.string(), true)
                .prop("createdAt", Schemas.string("ISO-8601 instant"), true).build();
        routes.post("/admin/v1/distributors/{distributorId}/api-keys").access(Access.ADMIN).tag("admin")
                .operationId("issueApiKey").summary("Issue an API key for a distributor (the secret is shown once)")
                .param("path", "distributorId", true, "string", "The distributor")
                .response(201, "The new key", issued)
                .handle(ctx -> {
                    String d = distributor(ctx.pathParam("distributorId"));
                    ApiKeys.IssuedKey k = keys.issue(d);
                    ObjectNode n = Json.object().put("keyId", k.keyId()).put("secret", k.secret())
                            .put("distributorId", k.distributorId()).put("createdAt", k.createdAt().toString());
                    Routes.json(ctx, 201, n);
                });
        ObjectNode info = Schemas.object()
                .prop("keyId", Schemas.string(), true).prop("distributorId", Schemas.string(), true)
                .prop("createdAt", Schemas.string("ISO-8601 instant"), true)
                .prop("revokedAt", Schemas.string("ISO-8601 instant, absent while live"), false).build();
        routes.get("/admin/v1/distributors/{distributorId}/api-keys").access(Access.ADMIN_READ).tag("admin")
                .operationId("listApiKeys").summary("List a distributor's API keys (without secrets)")
                .param("path", "distributorId", true, "string", "The distributor")
                .response(200, "The keys, newest first", Schemas.object().prop("items", Schemas.array(info), true).build())
                .handle(ctx -> {
                    String d = distributor(ctx.pathParam("distributorId"));
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    for (ApiKeys.KeyInfo k : keys.list(d)) {
                        ObjectNode n = items.addObject().put("keyId", k.keyId()).put("distributorId", k.distributorId())
                                .put("createdAt", k.createdAt().toString());
                        k.revokedAt().ifPresent(r -> n.put("revokedAt", r.toString()));
                    }
                    Routes.json(ctx, 200, body);
                });
        routes.delete("/admin/v1/api-keys/{keyId}").access(Access.ADMIN).tag("admin")
                .operationId("revokeApiKey").summary("Revoke an API key (takes effect on every instance within 5 s)")
                .param("path", "keyId", true, "string", "The key id")
                .response(204, "Revoked", "")
                .handle(ctx -> {
                    if (!keys.revoke(ctx.pathParam("keyId"))) {
                        throw new ApiException(ProblemType.NOT_FOUND, "no live API key with this id");
                    }
                    ctx.status(204);
                });
        ObjectNode limit = Schemas.object()
                .prop("perMinute", Schemas.integer("Sustained requests per minute (1..60000000)"), true)
                .prop("burst", Schemas.integer("Requests allowed at once (1..1000000)"), true).build();
        routes.put("/admin/v1/distributors/{distributorId}/rate-limit").access(Access.ADMIN).tag("admin")
                .operationId("setRateLimit").summary("Set a distributor's rate limit")
                .param("path", "distributorId", true, "string", "The distributor")
                .requestBody(limit)
                .response(200, "The limit now in force", limit)
                .handle(ctx -> {
                    String d = distributor(ctx.pathParam("distributorId"));
                    JsonBody body = Routes.jsonBody(ctx);
                    long perMinute = body.requiredLong("perMinute", 1, 60_000_000L);
                    long burst = body.requiredLong("burst", 1, 1_000_000L);
                    body.done();
                    RateLimiter.Limit l = new RateLimiter.Limit(perMinute, (int) burst);
                    keys.setLimit(d, l);
                    Routes.json(ctx, 200, Json.object().put("perMinute", l.perMinute()).put("burst", l.burst()));
                });
    }

    private String distributor(String id) {
        if (!ApiKeys.DISTRIBUTOR_ID.matcher(id).matches()) {
            throw new ApiException(ProblemType.BAD_REQUEST, "malformed distributor id");
        }
        if (!distributorExists.test(id)) {
            throw new ApiException(ProblemType.NOT_FOUND, "no distributor " + id);
        }
        return id;
    }
}
