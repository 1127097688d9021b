package org.ticketledger.example.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the OpenAPI 3.1 document from the routes' own declarations ({@link RouteSpec}) plus the
 * parts every route shares: security schemes, the problem schema and the problem responses that
 * follow from a route's traits (authenticated routes can answer 401/403, money-moving ones 409/422
 * for idempotency, distributor ones 429). Thread-safe (stateless).
 */
public final class OpenApi {

    private OpenApi() {
    }

    /** The document for {@code routes}. */
    public static ObjectNode document(String version, List<RouteSpec> routes) {
        ObjectNode doc = Json.object().put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "TicketLedger platform API");
        info.put("version", version);
        info.put("description", """
                Distributor API (/distributor/v1, HMAC-signed requests), admin API (/admin/v1, bearer \
                tokens), device API (/device/v1, device access tokens) and operational endpoints. \
                Money is always a decimal string in CNY ("101.00"). Errors are RFC 9457 problem \
                documents whose `type` is stable; see components.schemas.Problem.""");
        ObjectNode paths = doc.putObject("paths");
        Set<String> tags = new TreeSet<>();
        for (RouteSpec r : routes) {
            ObjectNode item = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            item.set(r.method().toLowerCase(Locale.ROOT), operation(r));
            tags.add(r.tag());
        }
        ArrayNode tagList = doc.putArray("tags");
        tags.forEach(t -> tagList.addObject().put("name", t));
        doc.set("components", components());
        return doc;
    }

    private static ObjectNode operation(RouteSpec r) {
        ObjectNode op = Json.object();
        op.put("operationId", r.operationId());
        op.put("summary", r.summary());
        op.putArray("tags").add(r.tag());
        ArrayNode params = op.putArray("parameters");
        for (RouteSpec.Parameter p : r.parameters()) {
            ObjectNode n = params.addObject().put("name", p.name()).put("in", p.in()).put("required", p.required())
                    .put("description", p.description());
            n.putObject("schema").put("type", p.type());
        }
        params.addObject().put("$ref", "#/components/parameters/RequestId");
        if (r.moneyMoving()) {
            params.addObject().put("$ref", "#/components/parameters/IdempotencyKey");
        }
        switch (r.access()) {
            case DISTRIBUTOR -> op.putArray("security").addObject().putArray("distributorHmac");
            case ADMIN, ADMIN_READ -> op.putArray("security").addObject().putArray("adminBearer");
            case DEVICE -> op.putArray("security").addObject().putArray("deviceBearer");
            case PUBLIC -> op.putArray("security");
        }
        r.requestSchema().ifPresent(schema -> {
            ObjectNode body = op.putObject("requestBody").put("required", true);
            body.putObject("content").putObject("application/json").set("schema", schema);
        });
        ObjectNode responses = op.putObject("responses");
        r.responses().forEach((status, resp) -> {
            ObjectNode n = responses.putObject(String.valueOf(status)).put("description", resp.description());
            resp.schema().ifPresentOrElse(
                    s -> n.putObject("content").putObject(resp.contentType()).set("schema", s),
                    () -> {
                        if (!resp.contentType().isEmpty()) {
                            n.putObject("content").putObject(resp.contentType()).putObject("schema").put("type", "string");
                        }
                    });
            for (String alt : resp.alternatives()) {
                ObjectNode content = n.has("content") ? (ObjectNode) n.get("content") : n.putObject("content");
                content.putObject(alt).putObject("schema").put("type", "string");
            }
        });
        for (ProblemType t : problemsOf(r)) {
            String key = String.valueOf(t.status());
            if (!responses.has(key)) {
                responses.putObject(key).put("$ref", "#/components/responses/Problem" + t.status());
            }
        }
        return op;
    }

    /** The problem types a route can answer with, from its traits. */
    static Set<ProblemType> problemsOf(RouteSpec r) {
        if (r.selfAuthenticating()) {
            return EnumSet.noneOf(ProblemType.class); // it answers (and declares) its own problems
        }
        Set<ProblemType> s = EnumSet.of(ProblemType.INTERNAL_ERROR);
        if (r.requestSchema().isPresent()) {
            s.addAll(List.of(ProblemType.MALFORMED_JSON, ProblemType.PAYLOAD_TOO_LARGE,
                    ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.VALIDATION_FAILED));
        }
        if (r.parameters().stream().anyMatch(p -> p.in().equals("query") || p.in().equals("path"))) {
            s.add(ProblemType.BAD_REQUEST);
            s.add(ProblemType.NOT_FOUND);
        }
        if (r.access() != Access.PUBLIC) {
            s.addAll(List.of(ProblemType.AUTHENTICATION_REQUIRED, ProblemType.FORBIDDEN));
        }
        if (r.access() == Access.DISTRIBUTOR) {
            s.add(ProblemType.RATE_LIMITED);
        }
        if (r.moneyMoving()) {
            s.addAll(List.of(ProblemType.IDEMPOTENCY_KEY_REQUIRED, ProblemType.IDEMPOTENCY_IN_PROGRESS,
                    ProblemType.IDEMPOTENCY_KEY_REUSED));
        }
        return s;
    }

    private static ObjectNode components() {
        ObjectNode c = Json.object();
        ObjectNode schemes = c.putObject("securitySchemes");
        schemes.putObject("distributorHmac").put("type", "apiKey").put("in", "header").put("name", "X-TL-Key")
                .put("description", """
                        API key id in X-TL-Key, plus X-TL-Timestamp (Unix seconds, within ±300 s of the \
                        server clock), X-TL-Nonce (16-64 chars [A-Za-z0-9_-], never reused) and \
                        X-TL-Signature = lowercase hex HMAC-SHA256(secret, "TL1-HMAC-SHA256\\n" + key id + \
                        "\\n" + METHOD + "\\n" + path with query exactly as sent + "\\n" + timestamp + "\\n" + \
                        nonce + "\\n" + lowercase hex SHA-256 of the body bytes). `./ticketledger sign` computes \
                        them.""");
        schemes.putObject("adminBearer").put("type", "http").put("scheme", "bearer")
                .put("description", "Admin token (operator: read and write; auditor: read only).");
        schemes.putObject("deviceBearer").put("type", "http").put("scheme", "bearer")
                .put("description", "Device access token from the device login.");

        ObjectNode parameters = c.putObject("parameters");
        ObjectNode rid = parameters.putObject("RequestId").put("name", "X-Request-Id").put("in", "header")
                .put("required", false)
                .put("description", "Echoed back; generated when absent or malformed (1-64 chars [A-Za-z0-9._-]).");
        rid.putObject("schema").put("type", "string");
        ObjectNode idem = parameters.putObject("IdempotencyKey").put("name", "Idempotency-Key").put("in", "header")
                .put("required", true).put("description", """
                        Required on money-moving POSTs (1-128 printable ASCII chars). The same key with the \
                        same request replays the first response (header Idempotent-Replayed: true); with a \
                        different request it is refused (idempotency-key-reused).""");
        idem.putObject("schema").put("type", "string");

        ObjectNode schemas = c.putObject("schemas");
        ObjectNode typeSchema = Schemas.string("Stable problem type URI");
        ArrayNode types = typeSchema.putArray("enum");
        for (ProblemType t : ProblemType.values()) {
            types.add(t.uri().toString());
        }
        schemas.set("Problem", Schemas.object()
                .prop("type", typeSchema, true)
                .prop("title", Schemas.string(), true)
                .prop("status", Schemas.integer("HTTP status"), true)
                .prop("detail", Schemas.string(), true)
                .prop("instance", Schemas.string("The request path"), false)
                .prop("requestId", Schemas.string("Correlates with the logs"), true)
                .prop("errors", Schemas.array(Schemas.object()
                        .prop("pointer", Schemas.string("JSON pointer into the body, or #/query/x, #/header/x"), true)
                        .prop("detail", Schemas.string(), true).build()), true)
                .build());

        ObjectNode responses = c.putObject("responses");
        for (ProblemType t : ProblemType.values()) {
            String key = "Problem" + t.status();
            if (!responses.has(key)) {
                ObjectNode r = responses.putObject(key).put("description", "Problem (" + t.status() + ")");
                r.putObject("content").putObject("application/problem+json").set("schema", Schemas.ref("Problem"));
            }
        }
        return c;
    }
}
