package org.ticketledger.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.ticketledger.example.audit.AuditFilter;
import org.ticketledger.example.audit.AuditLog;
import org.ticketledger.example.auth.AdminTokens;
import org.ticketledger.example.auth.ApiKeyModule;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.auth.AuthFilter;
import org.ticketledger.example.auth.NonceStore;
import org.ticketledger.example.auth.RateLimiter;
import org.ticketledger.example.device.DeviceRoutes;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.OpenApi;
import org.ticketledger.example.http.Problem;
import org.ticketledger.example.http.ProblemErrorHandler;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Problems;
import org.ticketledger.example.http.RequestIds;
import org.ticketledger.example.http.RouteSpec;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.WebModule;
import org.ticketledger.example.idempotency.IdempotencyFilter;
import org.ticketledger.example.idempotency.IdempotencyStore;
import org.ticketledger.example.ops.DatabaseHealth;
import org.ticketledger.example.ops.HealthCheck;
import org.ticketledger.example.ops.Metrics;
import org.ticketledger.example.ops.OpsModule;

/**
 * The HTTP platform: a Javalin server with the route filters (authentication, idempotency), problem
 * responses for every error, request ids, access logs, metrics, health and the OpenAPI document,
 * plus the {@link ApiModule}s given to the builder, and browser pages ({@link WebModule}s, such as
 * the operator console) outside the API's filters and OpenAPI document. Tests start it on port 0
 * against an embedded database; {@code ./ticketledger serve} starts it on 8080.
 *
 * <p>The host schema must be migrated before {@link Builder#start()} (see
 * {@link org.ticketledger.example.platform.HostSchema}). Thread-safe; {@link #close()} stops the
 * server and the maintenance thread but not the database it was given.
 */
public final class HostApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostApp.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("org.ticketledger.example.access");
    private static final String START = "tl.startNanos";
    /** The API version in the OpenAPI document. */
    public static final String API_VERSION = "1.0.0";

    private final Javalin javalin;
    private final List<RouteSpec> specs;
    private final List<String> registered;
    private final List<String> pages;
    private final ApiKeys apiKeys;
    private final AuditLog auditLog;
    private final Metrics metrics;
    private final ScheduledExecutorService maintenance;

    private HostApp(Javalin javalin, List<RouteSpec> specs, List<String> registered, List<String> pages, ApiKeys apiKeys,
                    AuditLog auditLog, Metrics metrics, ScheduledExecutorService maintenance) {
        this.javalin = javalin;
        this.specs = specs;
        this.registered = registered;
        this.pages = pages;
        this.apiKeys = apiKeys;
        this.auditLog = auditLog;
        this.metrics = metrics;
        this.maintenance = maintenance;
    }

    /** A builder; {@link Builder#jdbi} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on. */
    public int port() {
        return javalin.port();
    }

    /** {@code http://localhost:<port>}. */
    public URI baseUri() {
        return URI.create("http://localhost:" + port());
    }

    /** The routes as declared (the source of the OpenAPI document). */
    public List<RouteSpec> routes() {
        return List.copyOf(specs);
    }

    /** Every API handler Javalin registered, as {@code METHOD path} (whatever declared it; pages excluded). */
    public List<String> registeredHandlers() {
        return List.copyOf(registered);
    }

    /** Every handler of the {@link WebModule}s (browser pages), as {@code METHOD path}. */
    public List<String> pageHandlers() {
        return List.copyOf(pages);
    }

    /** The audit log of admin actions. */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** The API key store (the admin API issues keys; tests and the demo use it directly). */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** The metrics registry. */
    public Metrics metrics() {
        return metrics;
    }

    /** The OpenAPI document for the declared routes. */
    public ObjectNode openApi() {
        return OpenApi.document(API_VERSION, specs);
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        javalin.stop();
    }

    /** Configures and starts a {@link HostApp}. Not thread-safe. */
    public static final class Builder {
        private Jdbi jdbi;
        private Clock clock = Clock.systemUTC();
        private String host = "127.0.0.1";
        private int port = 8080;
        private AdminTokens adminTokens = AdminTokens.of(List.of());
        private RateLimiter.Limit defaultLimit = new RateLimiter.Limit(3000, 100);
        private Duration idempotencyRetention = Duration.ofHours(24);
        private final List<ApiModule> modules = new ArrayList<>();
        private final List<WebModule> webModules = new ArrayList<>();
        private AuditLog auditLog;
        private final List<HealthCheck> checks = new ArrayList<>();
        private ApiKeys apiKeys;
        private java.util.function.Predicate<String> distributorExists = id -> true;

        private Builder() {
        }

        /** The database (host schema migrated). Required. */
        public Builder jdbi(Jdbi j) {
            this.jdbi = Objects.requireNonNull(j, "jdbi");
            return this;
        }

        /** The clock for signatures' time window and stored records (default: system UTC). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** The interface to bind (default 127.0.0.1). */
        public Builder host(String h) {
            this.host = Objects.requireNonNull(h, "host");
            return this;
        }

        /** The port (default 8080; 0 picks a free one). */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + p);
            }
            this.port = p;
            return this;
        }

        /** The admin tokens (default: none, which locks the admin API). */
        public Builder adminTokens(AdminTokens tokens) {
            this.adminTokens = Objects.requireNonNull(tokens, "adminTokens");
            return this;
        }

        /** The rate limit of distributors without their own (default 3000/min, burst 100). */
        public Builder defaultRateLimit(RateLimiter.Limit limit) {
            this.defaultLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** How long idempotency records are kept (default 24 h). */
        public Builder idempotencyRetention(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retention must be positive");
            }
            this.idempotencyRetention = d;
            return this;
        }

        /** The API key store to use (default: one over {@link #jdbi}); give it when other modules share it. */
        public Builder apiKeys(ApiKeys keys) {
            this.apiKeys = Objects.requireNonNull(keys, "apiKeys");
            return this;
        }

        /** Which distributor ids may get API keys (default: any well-formed id). */
        public Builder distributorExists(java.util.function.Predicate<String> check) {
            this.distributorExists = Objects.requireNonNull(check, "check");
            return this;
        }

        /** Adds a group of routes. */
        public Builder module(ApiModule m) {
            modules.add(Objects.requireNonNull(m, "module"));
            return this;
        }

        /** Adds browser pages under their own prefix. */
        public Builder web(WebModule m) {
            webModules.add(Objects.requireNonNull(m, "module"));
            return this;
        }

        /** The audit log to record admin calls in (default: one over {@link #jdbi}); give it when pages share it. */
        public Builder auditLog(AuditLog log) {
            this.auditLog = Objects.requireNonNull(log, "auditLog");
            return this;
        }

        /** Adds a component to {@code GET /health} (the database is always checked). */
        public Builder healthCheck(HealthCheck c) {
            checks.add(Objects.requireNonNull(c, "check"));
            return this;
        }

        /**
         * Builds and starts the server.
         *
         * @throws IllegalStateException if no database was given
         * @throws RuntimeException from Jetty if the port cannot be bound
         */
        public HostApp start() {
            if (jdbi == null) {
                throw new IllegalStateException("jdbi is required");
            }
            Metrics metrics = new Metrics();
            ApiKeys apiKeys = this.apiKeys != null ? this.apiKeys : ApiKeys.of(jdbi, clock);
            NonceStore nonces = NonceStore.of(jdbi);
            IdempotencyStore idempotency = IdempotencyStore.of(jdbi);
            // The idempotency filter comes next in the chain: it records money-moving requests' nonces with its claim.
            AuthFilter auth = AuthFilter.of(adminTokens, apiKeys, nonces, RateLimiter.create(), defaultLimit, clock)
                    .deferringMoneyMovingNonces();
            IdempotencyFilter idem = IdempotencyFilter.of(idempotency, clock, Duration.ofSeconds(60));
            AuditLog audit = this.auditLog != null ? this.auditLog : AuditLog.of(jdbi, clock);
            List<HealthCheck> allChecks = new ArrayList<>();
            allChecks.add(new DatabaseHealth(jdbi));
            allChecks.addAll(checks);
            List<String> registered = new CopyOnWriteArrayList<>();
            List<String> pages = new CopyOnWriteArrayList<>();
            List<WebModule> web = List.copyOf(webModules);
            AtomicReference<List<RouteSpec>> specs = new AtomicReference<>(List.of());
            AtomicReference<ObjectNode> openApi = new AtomicReference<>();

            Javalin javalin = Javalin.create(config -> {
                configure(config, metrics, registered, pages, web);
                Routes routes = new Routes(config.routes, List.of(auth, idem, new AuditFilter(audit)));
                new OpsModule(allChecks, metrics, () -> openApi.updateAndGet(
                        doc -> doc != null ? doc : OpenApi.document(API_VERSION, specs.get()))).register(routes);
                new ApiKeyModule(apiKeys, distributorExists).register(routes);
                new PingModule().register(routes);
                modules.forEach(m -> m.register(routes));
                web.forEach(m -> m.register(config.routes));
                specs.set(routes.specs());
            });
            javalin.start(host, port);
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "host-maintenance");
                t.setDaemon(true);
                return t;
            });
            maintenance.scheduleWithFixedDelay(() -> {
                try {
                    int n = nonces.purge(clock.instant());
                    int i = idempotency.purge(clock.instant().minus(idempotencyRetention));
                    LOG.debug("purged {} nonces and {} idempotency records", n, i);
                } catch (RuntimeException e) {
                    LOG.warn("maintenance failed; will retry", e);
                }
            }, 1, 1, TimeUnit.MINUTES);
            return new HostApp(javalin, specs.get(), registered, pages, apiKeys, audit, metrics, maintenance);
        }

        private static void configure(JavalinConfig config, Metrics metrics, List<String> registered, List<String> pages,
                                      List<WebModule> web) {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = 1_000_000L;
            // Broken HTTP (bad request line, invalid URI, huge headers) never reaches a route: Jetty
            // answers it, and should in the same problem documents.
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ProblemErrorHandler()));
            config.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    String handler = meta.getHttpMethod().name() + " " + meta.getPath();
                    (webModuleOf(web, meta.getPath()).isPresent() ? pages : registered).add(handler);
                }
            });
            config.routes.before(ctx -> {
                ctx.attribute(START, System.nanoTime());
                MDC.clear();
                MDC.put("requestId", RequestIds.assign(ctx));
                String target = ctx.req().getRequestURI() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                if (target.indexOf('\u0000') >= 0 || target.toLowerCase(java.util.Locale.ROOT).contains("%00")) {
                    // No id, cursor or parameter ever holds NUL (PostgreSQL text cannot store one).
                    throw new ApiException(ProblemType.BAD_REQUEST, "NUL characters are not allowed in the path or query");
                }
                if (ctx.req().getContentLengthLong() != 0) {
                    // Read every body (bounded by maxRequestSize; Javalin caches it for the handler),
                    // also where the route ignores it: a server that answers and closes with the
                    // upload still unread makes TCP reset the connection, and the client may lose
                    // the answer it was sent.
                    try {
                        ctx.bodyAsBytes();
                    } catch (HttpResponseException e) {
                        // The device API words its own refusals (DEVICE-API.md): its handler reads
                        // the body again, meets the same refusal and answers in its problem format.
                        if (!ctx.path().startsWith(DeviceRoutes.BASE + "/")) {
                            throw e;
                        }
                    }
                }
            });
            config.routes.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, e.problem(), e.headers()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, fromJavalin(e), Map.of()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (Problems.isDatabaseUnavailable(e)) {
                    // Not a bug: the database is restarting or out of connections. Every write is
                    // idempotent, so the caller may simply repeat the request.
                    LOG.warn("database unavailable during {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    Problems.write(ctx, Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                            "the database is unavailable for a moment; retry the request"), Map.of("Retry-After", "1"));
                    return;
                }
                if (Problems.isBrokenRequest(e)) {
                    LOG.info("unreadable request {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    Problems.write(ctx, Problem.of(ProblemType.BAD_REQUEST, "the request body could not be read: it ended early "
                            + "or its framing is broken"), Map.of());
                    return;
                }
                LOG.error("unhandled failure in {} {}", ctx.method(), ctx.path(), e);
                Problems.write(ctx, Problem.of(ProblemType.INTERNAL_ERROR,
                        "an internal error occurred; quote the request id when reporting it"), Map.of());
            });
            config.routes.error(404, ctx -> {
                if (!Problems.MEDIA_TYPE.equals(ctx.res().getContentType())) {
                    java.util.Optional<WebModule> page = webModuleOf(web, ctx.path());
                    if (page.isPresent()) {
                        page.get().notFound(ctx);
                    } else {
                        Problems.write(ctx, Problem.of(ProblemType.NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path()), Map.of());
                    }
                }
            });
            config.requestLogger.http((ctx, ms) -> {
                try {
                    Long start = ctx.attribute(START);
                    long nanos = start == null ? 0 : System.nanoTime() - start;
                    String route = routeOf(ctx);
                    metrics.recordRequest(ctx.method().name(), route, ctx.statusCode(), nanos);
                    ACCESS.atInfo().setMessage("{} {} -> {}").addArgument(ctx.method().name()).addArgument(ctx.path())
                            .addArgument(ctx.statusCode())
                            .addKeyValue("method", ctx.method().name()).addKeyValue("route", route)
                            .addKeyValue("status", ctx.statusCode()).addKeyValue("micros", nanos / 1000)
                            .addKeyValue("principal", Routes.principal(ctx).id())
                            .log();
                } finally {
                    MDC.clear();
                }
            });
        }

        private static java.util.Optional<WebModule> webModuleOf(List<WebModule> web, String path) {
            return web.stream().filter(m -> path.equals(m.prefix()) || path.startsWith(m.prefix() + "/")).findFirst();
        }

        private static String routeOf(Context ctx) {
            try {
                Endpoint e = ctx.endpoints().lastHttpEndpoint();
                return e == null ? "unmatched" : e.path;
            } catch (RuntimeException e) {
                return "unmatched";
            }
        }

        private static Problem fromJavalin(HttpResponseException e) {
            return switch (e.getStatus()) {
                case 404 -> Problem.of(ProblemType.NOT_FOUND, "no such route or resource");
                case 405 -> Problem.of(ProblemType.METHOD_NOT_ALLOWED, "this route does not accept that method");
                case 413 -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "the body is larger than 1000000 bytes");
                case 415 -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "unsupported content type");
                default -> e.getStatus() >= 500
                        ? Problem.of(ProblemType.INTERNAL_ERROR, "an internal error occurred")
                        : Problem.of(ProblemType.BAD_REQUEST, "the request could not be processed");
            };
        }
    }
}
