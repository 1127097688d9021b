package org.ticketledger.example.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What a route declares about itself: method, path (Javalin {@code {param}} syntax, which is also
 * OpenAPI's), who may call it, whether it moves money (then {@code Idempotency-Key} is required),
 * and its documentation. The OpenAPI document is built from these, next to the handlers.
 *
 * <p>A {@code selfAuthenticating} route checks its caller's credentials and answers every failure
 * itself, in its own problem format (the device API of DEVICE-API.md): the host's authentication
 * and idempotency filters let it through, and the document lists only the responses it declares.
 */
public record RouteSpec(
        String method,
        String path,
        Access access,
        boolean moneyMoving,
        boolean selfAuthenticating,
        String operationId,
        String summary,
        String tag,
        List<Parameter> parameters,
        Optional<ObjectNode> requestSchema,
        SortedMap<Integer, Response> responses) {

    public RouteSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(tag, "tag");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(requestSchema, "requestSchema");
        responses = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(responses));
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        if (selfAuthenticating && moneyMoving) {
            throw new IllegalArgumentException("a self-authenticating route handles its own idempotency: " + path);
        }
        if (access == Access.DEVICE && !selfAuthenticating) {
            throw new IllegalArgumentException("device routes check their tokens themselves; declare them self-authenticating: "
                    + path);
        }
    }

    /** A documented query or path parameter. */
    public record Parameter(String in, String name, boolean required, String type, String description) {
        public Parameter {
            Objects.requireNonNull(in, "in");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * A documented success response; problem responses are added from the route's traits.
     * {@code alternatives} are other content types the same response can be negotiated as (e.g.
     * {@code text/csv} next to JSON), documented as strings.
     */
    public record Response(String description, Optional<ObjectNode> schema, String contentType, List<String> alternatives) {
        public Response {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(contentType, "contentType");
            alternatives = List.copyOf(alternatives);
        }

        /** A response in one content type. */
        public Response(String description, Optional<ObjectNode> schema, String contentType) {
            this(description, schema, contentType, List.of());
        }
    }
}
