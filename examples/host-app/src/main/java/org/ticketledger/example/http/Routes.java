package org.ticketledger.example.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where API modules declare their routes: each declaration registers the Javalin handler,
 * wrapped in the route filters, and records its {@link RouteSpec} for the OpenAPI document.
 *
 * <pre>{@code
 * routes.post("/distributor/v1/ping").access(Access.DISTRIBUTOR).moneyMoving()
 *       .summary("Signed no-op").tag("distributor").response(200, "Pong", schema)
 *       .handle(ctx -> ...);
 * }</pre>
 *
 * <p>Used while the app is configured, on one thread; not thread-safe.
 */
public final class Routes {

    private static final String PRINCIPAL = "tl.principal";

    private final RoutesConfig javalin;
    private final List<RouteFilter> filters;
    private final List<RouteSpec> specs = new ArrayList<>();

    /** Routes registered on {@code javalin}, each wrapped in {@code filters} (outermost first). */
    public Routes(RoutesConfig javalin, List<RouteFilter> filters) {
        this.javalin = Objects.requireNonNull(javalin, "javalin");
        this.filters = List.copyOf(filters);
    }

    /** Declares a GET route. */
    public Builder get(String path) {
        return new Builder("GET", path);
    }

    /** Declares a POST route. */
    public Builder post(String path) {
        return new Builder("POST", path);
    }

    /** Declares a PUT route. */
    public Builder put(String path) {
        return new Builder("PUT", path);
    }

    /** Declares a DELETE route. */
    public Builder delete(String path) {
        return new Builder("DELETE", path);
    }

    /** Every route declared so far, in declaration order. */
    public List<RouteSpec> specs() {
        return List.copyOf(specs);
    }

    /** The authenticated caller of the current request (anonymous on public routes). */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? new Principal.Anonymous() : p;
    }

    /** Records the caller; called by the authentication filter. */
    public static void principal(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL, Objects.requireNonNull(principal, "principal"));
    }

    /** Reads the JSON object body of the request strictly (see {@link JsonBody}). */
    public static JsonBody jsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
        }
        return JsonBody.parse(ctx.bodyAsBytes());
    }

    /** Writes {@code body} as JSON with {@code status}. */
    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    /** One route being declared. */
    public final class Builder {
        private final String method;
        private final String path;
        private Access access = Access.PUBLIC;
        private boolean moneyMoving;
        private boolean selfAuthenticating;
        private String operationId;
        private String summary;
        private String tag = "platform";
        private final List<RouteSpec.Parameter> parameters = new ArrayList<>();
        private ObjectNode requestSchema;
        private final SortedMap<Integer, RouteSpec.Response> responses = new TreeMap<>();

        private Builder(String method, String path) {
            this.method = method;
            this.path = Objects.requireNonNull(path, "path");
            for (String segment : path.split("/")) {
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    parameters.add(new RouteSpec.Parameter("path", segment.substring(1, segment.length() - 1), true,
                            "string", "path parameter"));
                }
            }
        }

        /** Who may call it (default {@link Access#PUBLIC}). */
        public Builder access(Access a) {
            this.access = Objects.requireNonNull(a, "access");
            return this;
        }

        /** Marks a route that moves money: an {@code Idempotency-Key} header becomes mandatory. */
        public Builder moneyMoving() {
            this.moneyMoving = true;
            return this;
        }

        /**
         * Marks a route whose handler authenticates its caller (with {@link Access#DEVICE} or none),
         * keeps its own idempotency and answers every failure itself: the host's filters pass it
         * through and the document lists only the responses declared here.
         */
        public Builder selfAuthenticating() {
            this.selfAuthenticating = true;
            return this;
        }

        /** The OpenAPI operationId (default: derived from method and path). */
        public Builder operationId(String id) {
            this.operationId = Objects.requireNonNull(id, "operationId");
            return this;
        }

        /** One line saying what the route does. */
        public Builder summary(String s) {
            this.summary = Objects.requireNonNull(s, "summary");
            return this;
        }

        /** The OpenAPI tag grouping this route. */
        public Builder tag(String t) {
            this.tag = Objects.requireNonNull(t, "tag");
            return this;
        }

        /** Documents a path parameter (replacing the generic entry) or a query parameter. */
        public Builder param(String in, String name, boolean required, String type, String description) {
            parameters.removeIf(p -> p.in().equals(in) && p.name().equals(name));
            parameters.add(new RouteSpec.Parameter(in, name, required, type, description));
            return this;
        }

        /** The JSON schema of the request body. */
        public Builder requestBody(ObjectNode schema) {
            this.requestSchema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** A success response with a JSON body. */
        public Builder response(int status, String description, ObjectNode schema) {
            responses.put(status, new RouteSpec.Response(description, Optional.of(schema), "application/json"));
            return this;
        }

        /** A response with a body of {@code contentType} described by {@code schema} (e.g. a problem). */
        public Builder response(int status, String description, String contentType, ObjectNode schema) {
            responses.put(status, new RouteSpec.Response(description, Optional.of(schema), contentType));
            return this;
        }

        /** A success response with a body of another content type, or none. */
        public Builder response(int status, String description, String contentType) {
            responses.put(status, new RouteSpec.Response(description, Optional.empty(), contentType));
            return this;
        }

        /** Documents that the response of {@code status} can also be negotiated as {@code contentType}. */
        public Builder alsoAs(int status, String contentType) {
            RouteSpec.Response r = responses.get(status);
            if (r == null) {
                throw new IllegalStateException("declare response " + status + " before its alternatives");
            }
            List<String> alt = new ArrayList<>(r.alternatives());
            alt.add(Objects.requireNonNull(contentType, "contentType"));
            responses.put(status, new RouteSpec.Response(r.description(), r.schema(), r.contentType(), alt));
            return this;
        }

        /** Registers the route with its handler. */
        public void handle(Handler handler) {
            Objects.requireNonNull(handler, "handler");
            if (summary == null) {
                throw new IllegalStateException("route " + method + " " + path + " has no summary");
            }
            if (responses.isEmpty()) {
                throw new IllegalStateException("route " + method + " " + path + " documents no response");
            }
            RouteSpec spec = new RouteSpec(method, path, access, moneyMoving, selfAuthenticating,
                    operationId != null ? operationId : defaultOperationId(), summary, tag, parameters,
                    Optional.ofNullable(requestSchema), responses);
            specs.add(spec);
            Handler wrapped = handler;
            for (int i = filters.size() - 1; i >= 0; i--) {
                RouteFilter f = filters.get(i);
                Handler next = wrapped;
                wrapped = ctx -> f.apply(ctx, spec, next);
            }
            javalin.addHttpHandler(HandlerType.findOrCreate(method), path, wrapped);
        }

        private String defaultOperationId() {
            StringBuilder b = new StringBuilder(method.toLowerCase(java.util.Locale.ROOT));
            for (String segment : path.split("[/{}\\-]")) {
                if (!segment.isEmpty() && !segment.matches("v\\d+")) {
                    b.append(Character.toUpperCase(segment.charAt(0))).append(segment.substring(1));
                }
            }
            return b.toString();
        }
    }
}
