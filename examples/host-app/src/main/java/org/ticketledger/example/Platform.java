package org.ticketledger.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.admin.AdminApi;
import org.ticketledger.example.admin.ComboRoutes;
import org.ticketledger.example.admin.DeviceAdminApi;
import org.ticketledger.example.admin.ProfitRoutes;
import org.ticketledger.example.admin.ReportRoutes;
import org.ticketledger.example.admin.WealthRoutes;
import org.ticketledger.example.audit.AuditLog;
import org.ticketledger.example.console.Console;
import org.ticketledger.example.console.ConsoleSettings;
import org.ticketledger.example.auth.AdminTokens;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.auth.RateLimiter;
import org.ticketledger.example.device.DeviceRoutes;
import org.ticketledger.example.distributor.DistributorApi;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.platform.Database;
import org.ticketledger.example.platform.HostSchema;
import org.ticketledger.example.platform.MasterKey;
import org.ticketledger.example.rail.AlipayNotifyModule;
import org.ticketledger.example.rail.Rails;
import org.ticketledger.example.webhook.WebhookModule;
import org.ticketledger.example.webhook.Webhooks;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.device.DevicePolicy;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.spi.Notifier;

/**
 * The whole platform wired together: database, journal, rails (sandboxes by default), ticketing
 * with its background jobs (issuer keys sealed under the {@link MasterKey}), webhooks and the HTTP
 * API: distributor, admin (with combos, wealth plans, reports and profit distribution) and device
 * routes. {@code ./ticketledger serve}, the demo and
 * the integration tests all start it this way. It owns what it is given and what it starts:
 * {@link #close()} stops everything, API first, database last. Thread-safe.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private final Database database;
    private final Rails rails;
    private final PostgresJournal journal;
    private final Ticketing ticketing;
    private final Webhooks webhooks;
    private final Console console;
    private final HostApp app;

    private Platform(Database database, Rails rails, PostgresJournal journal, Ticketing ticketing, Webhooks webhooks,
                     Console console, HostApp app) {
        this.database = database;
        this.rails = rails;
        this.journal = journal;
        this.ticketing = ticketing;
        this.webhooks = webhooks;
        this.console = console;
        this.app = app;
    }

    /** A builder; {@link Builder#database} is required. */
    public static Builder builder() {
        return new Builder();
    }

    public Database database() {
        return database;
    }

    public Rails rails() {
        return rails;
    }

    public PostgresJournal journal() {
        return journal;
    }

    public Ticketing ticketing() {
        return ticketing;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public HostApp app() {
        return app;
    }

    /** The operator console served under {@code /console}. */
    public Console console() {
        return console;
    }

    @Override
    public void close() {
        List<AutoCloseable> order = List.of(app, webhooks, ticketing, journal, rails, database);
        RuntimeException failure = null;
        for (AutoCloseable c : order) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not stop the platform cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures and starts a {@link Platform}. Not thread-safe. */
    public static final class Builder {
        private Database database;
        private Optional<Rails> rails = Optional.empty();
        private Optional<Rails.AlipaySettings> alipay = Optional.empty();
        private Optional<Rails.HuijinbaoSettings> huijinbao = Optional.empty();
        private Optional<Duration> railTimeout = Optional.empty();
        private Optional<URI> publicUrl = Optional.empty();
        private String host = "127.0.0.1";
        private int port = 8080;
        private AdminTokens adminTokens = AdminTokens.of(List.of());
        private RateLimiter.Limit defaultLimit = new RateLimiter.Limit(3000, 100);
        private Duration idempotencyRetention = Duration.ofHours(24);
        private Clock clock = Clock.systemUTC();
        private JobSettings jobs = JobSettings.defaults();
        private boolean backgroundJobs = true;
        private Duration webhookInterval = Duration.ofSeconds(1);
        private Notifier notifier = Notifier.logging();
        private MasterKey masterKey;
        private DevicePolicy devicePolicy = DevicePolicy.defaults();
        private final List<ApiModule> extraModules = new ArrayList<>();
        private ConsoleSettings consoleSettings = ConsoleSettings.defaults();
        private Optional<Clock> consoleClock = Optional.empty();

        private Builder() {
        }

        /** The database (the platform closes it). Required. */
        public Builder database(Database db) {
            this.database = Objects.requireNonNull(db, "database");
            return this;
        }

        /** Rails started by the caller (the platform closes them); default: sandboxes, or {@link #alipay}. */
        public Builder rails(Rails r) {
            this.rails = Optional.of(Objects.requireNonNull(r, "rails"));
            return this;
        }

        /** A real Alipay instead of the sandbox. */
        public Builder alipay(Rails.AlipaySettings settings) {
            this.alipay = Optional.of(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** A Huijinbao gateway (real, or a sandbox in another process) instead of the in-process sandbox. */
        public Builder huijinbao(Rails.HuijinbaoSettings settings) {
            this.huijinbao = Optional.of(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** How long a rail request waits for its reply (default: each adapter's own). */
        public Builder railTimeout(Duration timeout) {
            this.railTimeout = Optional.of(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        /** How rails reach this platform for callbacks (default {@code http://localhost:<port>}). */
        public Builder publicUrl(URI url) {
            this.publicUrl = Optional.of(Objects.requireNonNull(url, "url"));
            return this;
        }

        public Builder host(String h) {
            this.host = Objects.requireNonNull(h, "host");
            return this;
        }

        /** The port; 0 picks a free one before anything starts (the rails need the callback URL). */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + p);
            }
            this.port = p;
            return this;
        }

        public Builder adminTokens(AdminTokens t) {
            this.adminTokens = Objects.requireNonNull(t, "adminTokens");
            return this;
        }

        public Builder defaultRateLimit(RateLimiter.Limit l) {
            this.defaultLimit = Objects.requireNonNull(l, "limit");
            return this;
        }

        public Builder idempotencyRetention(Duration d) {
            this.idempotencyRetention = Objects.requireNonNull(d, "retention");
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Ticketing's job timings (default {@link JobSettings#defaults()}). */
        public Builder jobSettings(JobSettings s) {
            this.jobs = Objects.requireNonNull(s, "jobSettings");
            return this;
        }

        /** Whether ticketing's jobs and the webhook poller run in the background (default true; the demo drives them). */
        public Builder backgroundJobs(boolean on) {
            this.backgroundJobs = on;
            return this;
        }

        public Builder webhookInterval(Duration d) {
            this.webhookInterval = Objects.requireNonNull(d, "interval");
            return this;
        }

        /** The SMS provider (default: log and keep in the outbox). */
        public Builder notifier(Notifier n) {
            this.notifier = Objects.requireNonNull(n, "notifier");
            return this;
        }

        /**
         * The key that seals ticketing's issuer private keys in the database. Required; give the
         * same one on every start over the same database (keys sealed under another do not open).
         */
        public Builder masterKey(MasterKey key) {
            this.masterKey = Objects.requireNonNull(key, "masterKey");
            return this;
        }

        /** Device token lifetimes, offline time, login lockout, password hashing (default {@link DevicePolicy#defaults()}). */
        public Builder devicePolicy(DevicePolicy policy) {
            this.devicePolicy = Objects.requireNonNull(policy, "devicePolicy");
            return this;
        }

        /** The operator console's settings (default {@link ConsoleSettings#defaults()}). */
        public Builder console(ConsoleSettings settings) {
            this.consoleSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The console's clock for sessions (default: the platform's); tests move it to expire sessions. */
        public Builder consoleClock(Clock c) {
            this.consoleClock = Optional.of(Objects.requireNonNull(c, "clock"));
            return this;
        }

        /** More routes (device API, combo products, ...). */
        public Builder module(ApiModule m) {
            extraModules.add(Objects.requireNonNull(m, "module"));
            return this;
        }

        /**
         * Starts everything.
         *
         * @throws IllegalStateException without a database or master key
         * @throws RuntimeException when a part cannot start (e.g. the issuer keys do not open under
         *                          this master key); what was started is stopped again
         */
        public Platform start() {
            if (database == null) {
                throw new IllegalStateException("database is required");
            }
            if (masterKey == null) {
                throw new IllegalStateException("masterKey is required");
            }
            List<AutoCloseable> started = new ArrayList<>();
            started.add(database);
            // Port 0: the rails need the callback URL before the server binds, so a free port is
            // taken now and held until just before the server binds it. Released at once, it could
            // become the local port of a connection opened meanwhile (the pool's, the rails') and
            // the bind would fail with "port already in use".
            ServerSocket reserved = port == 0 ? reservePort() : null;
            if (reserved != null) {
                started.add(reserved);
            }
            int p = reserved != null ? reserved.getLocalPort() : port;
            URI base = publicUrl.orElse(URI.create("http://localhost:" + p));
            try {
                Rails r = rails.orElseGet(() -> {
                    Rails.Builder rb = Rails.builder().alipayNotifyUrl(base.resolve(AlipayNotifyModule.PATH)).clock(clock);
                    alipay.ifPresent(rb::alipay);
                    huijinbao.ifPresent(rb::huijinbao);
                    railTimeout.ifPresent(rb::requestTimeout);
                    return rb.start();
                });
                started.add(r);
                HostSchema.migrate(database.dataSource());
                PostgresJournal journal = PostgresJournal.builder().dataSource(database.dataSource()).clock(clock).build();
                started.add(journal);
                Ticketing ticketing = Ticketing.builder().dataSource(database.dataSource()).journal(journal)
                        .rails(r.registry()).notifier(notifier).clock(clock).jobSettings(jobs)
                        .keyProtector(masterKey.protector()).devicePolicy(devicePolicy).build();
                started.add(ticketing);
                Webhooks webhooks = Webhooks.of(database.jdbi(), ticketing, clock);
                started.add(webhooks);
                if (backgroundJobs) {
                    ticketing.start();
                    webhooks.start(webhookInterval);
                }
                ApiKeys apiKeys = ApiKeys.of(database.jdbi(), clock);
                AuditLog audit = AuditLog.of(database.jdbi(), clock);
                Console console = Console.builder().ticketing(ticketing).journal(journal).jdbi(database.jdbi())
                        .auditLog(audit).clock(consoleClock.orElse(clock)).settings(consoleSettings).build();
                HostApp.Builder b = HostApp.builder().jdbi(database.jdbi()).clock(clock).host(host).port(p)
                        .adminTokens(adminTokens).defaultRateLimit(defaultLimit).idempotencyRetention(idempotencyRetention)
                        .apiKeys(apiKeys).auditLog(audit).web(console).distributorExists(id -> ticketing.parties().distributor(id).isPresent())
                        .module(new DistributorApi(ticketing, database.jdbi()))
                        .module(new AdminApi(ticketing, journal, apiKeys, consoleSettings.approvalThreshold()))
                        .module(new DeviceAdminApi(ticketing))
                        .module(new ComboRoutes(ticketing)).module(new WealthRoutes(ticketing, consoleSettings.approvalThreshold()))
                        .module(new ReportRoutes(ticketing)).module(new ProfitRoutes(ticketing))
                        .module(new WebhookModule(webhooks))
                        .module(new DeviceRoutes(ticketing, clock));
                r.alipayNotifications().ifPresent(v -> b.module(new AlipayNotifyModule(v,
                        // A notify is a hint: ticketing resolves every charge by querying the rail, so
                        // the notify is only recorded here.
                        n -> LOG.info("alipay notify {} for {}: {}", n.id().orElse("?"), n.outTradeNo().orElse("?"),
                                n.tradeStatus().orElse("?")))));
                r.healthChecks().forEach(b::healthCheck);
                extraModules.forEach(b::module);
                if (reserved != null) {
                    release(reserved);
                }
                HostApp app = b.start();
                app.metrics().gauge("tl_db_pool_active_connections", "Database connections in use", database::activeConnections);
                return new Platform(database, r, journal, ticketing, webhooks, console, app);
            } catch (RuntimeException e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    try {
                        started.get(i).close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private static ServerSocket reservePort() {
            try {
                return new ServerSocket(0);
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }

        private static void release(ServerSocket reserved) {
            try {
                reserved.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the reserved port " + reserved.getLocalPort(), e);
            }
        }
    }
}
