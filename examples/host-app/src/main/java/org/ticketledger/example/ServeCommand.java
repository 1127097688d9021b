package org.ticketledger.example;

import java.io.IOException;
import java.net.URI;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;
import org.ticketledger.example.auth.AdminTokens;
import org.ticketledger.example.console.ConsoleSettings;
import org.ticketledger.ledger.Money;
import org.ticketledger.example.auth.RateLimiter;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.platform.Database;
import org.ticketledger.example.platform.MasterKey;
import org.ticketledger.example.rail.Rails;
import org.ticketledger.ticketing.jobs.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./ticketledger serve}: the whole platform in one process — embedded PostgreSQL (or a real
 * one), the rails (in-process sandboxes by default), the HTTP API — until interrupted. Every option
 * has an environment variable, for containers; flags win over variables.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the platform: HTTP API on --port, embedded PostgreSQL under --data-dir unless --db-url is given.")
final class ServeCommand implements Callable<Integer> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

    private static final Pattern TOKEN = Pattern.compile("([a-z][a-z0-9_-]{0,31})=(\\S+)");
    private static final Pattern LIMIT = Pattern.compile("([0-9]{1,8})/([0-9]{1,7})");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "${env:TL_PORT:-8080}", description = "HTTP port, 0 for any free one (env TL_PORT; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "${env:TL_BIND:-127.0.0.1}",
            description = "Interface to listen on; 0.0.0.0 for all (env TL_BIND; default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--data-dir", defaultValue = "${env:TL_DATA_DIR:-data}",
            description = "Embedded PostgreSQL data and the generated admin token (env TL_DATA_DIR; default ./${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--db-url", defaultValue = "${env:TL_DB_URL}",
            description = "Use this PostgreSQL instead of the embedded one: jdbc:postgresql://host:5432/db (env TL_DB_URL)")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:TL_DB_USER}", description = "Database user (env TL_DB_USER)")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:TL_DB_PASSWORD}",
            description = "Database password (env TL_DB_PASSWORD; prefer the variable, arguments show in ps)")
    String dbPassword;

    @Option(names = "--db-pool-size", defaultValue = "${env:TL_DB_POOL_SIZE:-16}", description = "Connection pool size (env TL_DB_POOL_SIZE; default ${DEFAULT-VALUE})")
    int poolSize;

    @Option(names = "--admin-token", split = ",", defaultValue = "${env:TL_ADMIN_TOKENS}", paramLabel = "NAME=TOKEN",
            description = "Operator bearer tokens, repeatable or comma-separated (env TL_ADMIN_TOKENS). "
                    + "Without any, one is generated, kept in DATA_DIR/admin-token and printed at startup.")
    List<String> adminTokens = new ArrayList<>();

    @Option(names = "--auditor-token", split = ",", defaultValue = "${env:TL_AUDITOR_TOKENS}", paramLabel = "NAME=TOKEN",
            description = "Read-only admin bearer tokens (env TL_AUDITOR_TOKENS)")
    List<String> auditorTokens = new ArrayList<>();

    @Option(names = "--key-master", defaultValue = "${env:TL_KEY_MASTER}", paramLabel = "KEY",
            description = "Master key sealing the ticket-signing keys in the database: 64 hex digits or base64 of 32 bytes "
                    + "(env TL_KEY_MASTER; prefer the variable, arguments show in ps). Without it, one is generated, "
                    + "kept in DATA_DIR/key-master and reused; instances sharing a database need the same key.")
    String keyMaster;

    private MasterKey configuredKey;

    @Option(names = "--rate-limit", defaultValue = "${env:TL_RATE_LIMIT:-3000/100}", paramLabel = "PER_MINUTE/BURST",
            description = "Default distributor rate limit (env TL_RATE_LIMIT; default ${DEFAULT-VALUE})")
    String rateLimit;

    @Option(names = "--idempotency-retention-hours", defaultValue = "${env:TL_IDEMPOTENCY_RETENTION_HOURS:-24}",
            description = "How long Idempotency-Key responses are kept (env TL_IDEMPOTENCY_RETENTION_HOURS; default ${DEFAULT-VALUE})")
    int retentionHours;

    @Option(names = "--public-url", defaultValue = "${env:TL_PUBLIC_URL}",
            description = "How rails reach this platform (notify callbacks); default http://localhost:PORT (env TL_PUBLIC_URL)")
    URI publicUrl;

    @Option(names = "--alipay-gateway", defaultValue = "${env:TL_ALIPAY_GATEWAY}",
            description = "Real Alipay gateway, e.g. https://openapi.alipay.com/gateway.do; default: in-process sandbox (env TL_ALIPAY_GATEWAY)")
    URI alipayGateway;

    @Option(names = "--alipay-app-id", defaultValue = "${env:TL_ALIPAY_APP_ID}", description = "Alipay app id (env TL_ALIPAY_APP_ID)")
    String alipayAppId;

    @Option(names = "--alipay-private-key-file", defaultValue = "${env:TL_ALIPAY_PRIVATE_KEY_FILE}",
            description = "The app's RSA private key, PKCS#8 PEM or Base64 (env TL_ALIPAY_PRIVATE_KEY_FILE)")
    Path alipayPrivateKey;

    @Option(names = "--alipay-public-key-file", defaultValue = "${env:TL_ALIPAY_PUBLIC_KEY_FILE}",
            description = "Alipay's RSA public key, X.509 PEM or Base64 (env TL_ALIPAY_PUBLIC_KEY_FILE)")
    Path alipayPublicKey;

    @Option(names = "--alipay-platform-account", defaultValue = "${env:TL_ALIPAY_PLATFORM_ACCOUNT}",
            description = "The platform's Alipay user id (2088...) (env TL_ALIPAY_PLATFORM_ACCOUNT)")
    String alipayPlatformAccount;

    @Option(names = "--console-approval-threshold", defaultValue = "${env:TL_CONSOLE_APPROVAL_THRESHOLD:-1000.00}",
            description = "Console: a manual payout above this amount (CNY) needs a second admin's approval "
                    + "(env TL_CONSOLE_APPROVAL_THRESHOLD; default ${DEFAULT-VALUE})")
    String approvalThreshold;

    @Option(names = "--console-idle-minutes", defaultValue = "${env:TL_CONSOLE_IDLE_MINUTES:-30}",
            description = "Console: sessions end after this many idle minutes (env TL_CONSOLE_IDLE_MINUTES; default ${DEFAULT-VALUE})")
    int consoleIdleMinutes;

    @Option(names = "--console-session-hours", defaultValue = "${env:TL_CONSOLE_SESSION_HOURS:-12}",
            description = "Console: sessions end this many hours after login (env TL_CONSOLE_SESSION_HOURS; default ${DEFAULT-VALUE})")
    int consoleSessionHours;

    @Option(names = "--console-secure-cookies", defaultValue = "${env:TL_CONSOLE_SECURE_COOKIES:-false}",
            description = "Console: mark the session cookie Secure even on plain HTTP (it always is on HTTPS or behind a proxy "
                    + "sending X-Forwarded-Proto: https) (env TL_CONSOLE_SECURE_COOKIES)")
    boolean consoleSecureCookies;

    @Option(names = "--huijinbao-url", defaultValue = "${env:TL_HUIJINBAO_URL}",
            description = "A Huijinbao gateway (HJB-API v1), e.g. a sandbox in another process; default: in-process sandbox (env TL_HUIJINBAO_URL)")
    URI huijinbaoUrl;

    @Option(names = "--huijinbao-key-id", defaultValue = "${env:TL_HUIJINBAO_KEY_ID}", description = "Huijinbao merchant key id (env TL_HUIJINBAO_KEY_ID)")
    String huijinbaoKeyId;

    @Option(names = "--huijinbao-secret-file", defaultValue = "${env:TL_HUIJINBAO_SECRET_FILE}",
            description = "File holding the Base64 HMAC secret of that key (env TL_HUIJINBAO_SECRET_FILE)")
    Path huijinbaoSecretFile;

    @Option(names = "--huijinbao-platform-account", defaultValue = "${env:TL_HUIJINBAO_PLATFORM_ACCOUNT}",
            description = "The platform's Huijinbao account number (env TL_HUIJINBAO_PLATFORM_ACCOUNT)")
    String huijinbaoPlatformAccount;

    @Option(names = "--rail-timeout-ms", defaultValue = "${env:TL_RAIL_TIMEOUT_MS:-0}",
            description = "How long a rail request waits for its reply before its outcome counts as unknown; 0 = each adapter's default (env TL_RAIL_TIMEOUT_MS)")
    int railTimeoutMs;

    @Option(names = "--jobs", defaultValue = "${env:TL_JOBS:-default}", paramLabel = "default|fast",
            description = "Background job timing: default (production: 2 min leases, backoff up to 5 min) or fast "
                    + "(sub-second sweeps and 5 s leases, for demos and fault drills) (env TL_JOBS)")
    String jobs;

    @Option(names = "--payout-retry-window-s", defaultValue = "${env:TL_PAYOUT_RETRY_WINDOW_S:-0}",
            description = "How long a payout with no final answer is retried before manual review; 0 = the --jobs default (env TL_PAYOUT_RETRY_WINDOW_S)")
    int payoutRetryWindowSeconds;

    @Option(names = "--sweep-workers", defaultValue = "${env:TL_SWEEP_WORKERS:-0}",
            description = "Orders and payouts a background sweep drives at once, each sweep using up to this many database "
                    + "connections; 0 = a quarter of --db-pool-size, at most 8 (env TL_SWEEP_WORKERS)")
    int sweepWorkers;

    @Override
    public Integer call() throws Exception {
        RateLimiter.Limit limit = validate();
        ConsoleSettings console = consoleSettings();

        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dataDir);
        List<AdminTokens.Token> tokens = new ArrayList<>();
        tokens.addAll(parseTokens("--admin-token", adminTokens, Principal.AdminRole.OPERATOR));
        tokens.addAll(parseTokens("--auditor-token", auditorTokens, Principal.AdminRole.AUDITOR));
        String generated = null;
        if (tokens.stream().noneMatch(t -> t.role() == Principal.AdminRole.OPERATOR)) {
            generated = storedOrNewToken(dataDir.resolve("admin-token"));
            tokens.add(new AdminTokens.Token("admin", generated, Principal.AdminRole.OPERATOR));
        }
        AdminTokens admin;
        try {
            admin = AdminTokens.of(tokens);
        } catch (IllegalArgumentException e) {
            throw new Launcher.ConfigurationException(e.getMessage());
        }

        MasterKey master = configuredKey != null ? configuredKey : storedKey(dataDir.resolve("key-master"));
        Database db = openDatabase();
        Platform.Builder pb = Platform.builder().database(db).masterKey(master).host(bind).port(port).adminTokens(admin)
                .defaultRateLimit(limit).idempotencyRetention(Duration.ofHours(retentionHours)).console(console);
        if (publicUrl != null) {
            pb.publicUrl(publicUrl);
        }
        if (huijinbaoUrl != null) {
            pb.huijinbao(new Rails.HuijinbaoSettings(huijinbaoUrl, huijinbaoKeyId, huijinbaoSecretFile, huijinbaoPlatformAccount));
        }
        if (railTimeoutMs > 0) {
            pb.railTimeout(Duration.ofMillis(railTimeoutMs));
        }
        pb.jobSettings(jobSettings());
        if (alipayGateway != null) {
            pb.alipay(new Rails.AlipaySettings(alipayGateway, alipayAppId, alipayPrivateKey, alipayPublicKey, alipayPlatformAccount));
        }
        Platform platform = pb.start();
        Path consolePasswordFile = dataDir.resolve("console-admin-password");
        Optional<String> seeded = platform.console().admins().seedFirstAdmin();
        if (seeded.isPresent()) {
            writeSecret(consolePasswordFile, seeded.get());
        }
        HostApp app = platform.app();
        Rails rails = platform.rails();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                platform.close();
            } finally {
                stopped.countDown();
            }
        }, "ticketledger-stop"));
        LOG.info("platform started on port {} ({})", app.port(), db.description());
        banner(out, app, db, rails, generated, seeded, consolePasswordFile);
        stopped.await();
        return 0;
    }

    private RateLimiter.Limit validate() {
        if (port < 0 || port > 65535) {
            throw new Launcher.ConfigurationException("--port must be 0..65535, not " + port);
        }
        if (poolSize < 2 || poolSize > 200) {
            throw new Launcher.ConfigurationException("--db-pool-size must be 2..200, not " + poolSize);
        }
        if (keyMaster != null && !keyMaster.isBlank()) {
            try {
                configuredKey = MasterKey.parse(keyMaster);
            } catch (IllegalArgumentException e) {
                throw new Launcher.ConfigurationException("--key-master: " + e.getMessage());
            }
        }
        if (retentionHours < 1 || retentionHours > 24 * 365) {
            throw new Launcher.ConfigurationException("--idempotency-retention-hours must be 1..8760");
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new Launcher.ConfigurationException("--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
        }
        if (dbUrl == null && (dbUser != null || dbPassword != null)) {
            throw new Launcher.ConfigurationException("--db-user/--db-password need --db-url (the embedded database needs neither)");
        }
        if (dbUrl != null && dbUser == null) {
            throw new Launcher.ConfigurationException("--db-url needs --db-user (or TL_DB_USER)");
        }
        if (publicUrl != null && (!publicUrl.isAbsolute() || !publicUrl.getScheme().startsWith("http"))) {
            throw new Launcher.ConfigurationException("--public-url must be an absolute http(s) URL");
        }
        if (alipayGateway != null) {
            List<String> missing = new ArrayList<>();
            if (alipayAppId == null) {
                missing.add("--alipay-app-id");
            }
            if (alipayPrivateKey == null) {
                missing.add("--alipay-private-key-file");
            }
            if (alipayPublicKey == null) {
                missing.add("--alipay-public-key-file");
            }
            if (alipayPlatformAccount == null) {
                missing.add("--alipay-platform-account");
            }
            if (!missing.isEmpty()) {
                throw new Launcher.ConfigurationException("--alipay-gateway needs " + String.join(", ", missing));
            }
            if (!alipayGateway.isAbsolute()) {
                throw new Launcher.ConfigurationException("--alipay-gateway must be an absolute URL");
            }
        }
        if (huijinbaoUrl != null) {
            List<String> missing = new ArrayList<>();
            if (huijinbaoKeyId == null) {
                missing.add("--huijinbao-key-id");
            }
            if (huijinbaoSecretFile == null) {
                missing.add("--huijinbao-secret-file");
            }
            if (huijinbaoPlatformAccount == null) {
                missing.add("--huijinbao-platform-account");
            }
            if (!missing.isEmpty()) {
                throw new Launcher.ConfigurationException("--huijinbao-url needs " + String.join(", ", missing));
            }
            if (!huijinbaoUrl.isAbsolute() || !huijinbaoUrl.getScheme().startsWith("http")) {
                throw new Launcher.ConfigurationException("--huijinbao-url must be an absolute http(s) URL");
            }
        }
        if (railTimeoutMs < 0 || railTimeoutMs > 600_000) {
            throw new Launcher.ConfigurationException("--rail-timeout-ms must be 0..600000");
        }
        if (!jobs.equals("default") && !jobs.equals("fast")) {
            throw new Launcher.ConfigurationException("--jobs must be default or fast, not " + jobs);
        }
        if (payoutRetryWindowSeconds < 0 || payoutRetryWindowSeconds > 7 * 24 * 3600) {
            throw new Launcher.ConfigurationException("--payout-retry-window-s must be 0..604800");
        }
        if (sweepWorkers < 0 || sweepWorkers > 64) {
            throw new Launcher.ConfigurationException("--sweep-workers must be 0..64, not " + sweepWorkers);
        }
        if (sweepWorkers * 2 >= poolSize) {
            // The order and payout sweeps together would hold every connection while a backlog drains,
            // and API requests would queue behind them for a connection.
            throw new Launcher.ConfigurationException("--sweep-workers " + sweepWorkers + " needs a --db-pool-size above "
                    + 2 * sweepWorkers + " (the order and payout sweeps each use up to that many connections), not " + poolSize);
        }
        Matcher m = LIMIT.matcher(rateLimit);
        if (!m.matches()) {
            throw new Launcher.ConfigurationException("--rate-limit must look like 3000/100 (per minute/burst), not " + rateLimit);
        }
        try {
            return new RateLimiter.Limit(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
            throw new Launcher.ConfigurationException("--rate-limit: " + e.getMessage());
        }
    }

    private JobSettings jobSettings() {
        JobSettings s = jobs.equals("fast") ? JobSettings.fast() : JobSettings.defaults();
        s = s.withSweepWorkers(sweepWorkers(sweepWorkers, poolSize));
        return payoutRetryWindowSeconds > 0 ? s.withPayoutRetryWindow(Duration.ofSeconds(payoutRetryWindowSeconds)) : s;
    }

    /**
     * The sweep workers for {@code --sweep-workers} (0: automatic) and the pool: automatically a
     * quarter of the pool, at most ticketing's default, so that the order and payout sweeps draining
     * a backlog together leave at least half the connections to API requests.
     */
    static int sweepWorkers(int option, int poolSize) {
        return option > 0 ? option : Math.max(1, Math.min(JobSettings.DEFAULT_SWEEP_WORKERS, poolSize / 4));
    }

    private static List<AdminTokens.Token> parseTokens(String option, List<String> values, Principal.AdminRole role) {
        List<AdminTokens.Token> tokens = new ArrayList<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                continue;
            }
            Matcher m = TOKEN.matcher(v.trim());
            if (!m.matches()) {
                throw new Launcher.ConfigurationException(option + " must look like name=token (name: lower-case letters, "
                        + "digits, - or _; token: at least " + AdminTokens.MIN_LENGTH + " characters)");
            }
            try {
                tokens.add(new AdminTokens.Token(m.group(1), m.group(2), role));
            } catch (IllegalArgumentException e) {
                throw new Launcher.ConfigurationException(option + ": " + e.getMessage());
            }
        }
        return tokens;
    }

    /** The one kept under the data directory, created on first use. */
    private static MasterKey storedKey(Path file) throws IOException {
        try {
            return MasterKey.storedOrNew(file);
        } catch (IllegalArgumentException e) {
            throw new Launcher.ConfigurationException(file + " does not hold a master key: " + e.getMessage());
        }
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file stays with the directory's default permissions
        }
    }

    /** The generated token survives restarts so that a curl session keeps working. */
    private static String storedOrNewToken(Path file) throws IOException {
        if (Files.exists(file)) {
            String t = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (t.length() >= AdminTokens.MIN_LENGTH) {
                return t;
            }
        }
        String t = AdminTokens.generate();
        Files.writeString(file, t + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file stays with the directory's default permissions
        }
        return t;
    }

    private Database openDatabase() {
        if (dbUrl != null) {
            return Database.external(dbUrl, dbUser, dbPassword, poolSize);
        }
        try {
            return Database.embedded(dataDir.resolve("postgres"), poolSize);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL in " + dataDir.resolve("postgres")
                    + " (is another `ticketledger serve` using it?): " + e.getMessage(), e);
        }
    }

    private ConsoleSettings consoleSettings() {
        Money threshold;
        try {
            threshold = Money.parseCny(approvalThreshold);
        } catch (IllegalArgumentException e) {
            throw new Launcher.ConfigurationException("--console-approval-threshold must be an amount such as 1000.00, not "
                    + approvalThreshold);
        }
        if (consoleIdleMinutes < 1 || consoleIdleMinutes > 24 * 60) {
            throw new Launcher.ConfigurationException("--console-idle-minutes must be 1..1440");
        }
        if (consoleSessionHours < 1 || consoleSessionHours > 24 * 7 || consoleSessionHours * 60 < consoleIdleMinutes) {
            throw new Launcher.ConfigurationException("--console-session-hours must be 1..168 and cover the idle timeout");
        }
        try {
            return ConsoleSettings.defaults().withApprovalThreshold(threshold)
                    .withTimeouts(Duration.ofMinutes(consoleIdleMinutes), Duration.ofHours(consoleSessionHours))
                    .withSecureCookies(consoleSecureCookies);
        } catch (IllegalArgumentException e) {
            throw new Launcher.ConfigurationException(e.getMessage());
        }
    }

    private void banner(PrintWriter out, HostApp app, Database db, Rails rails, String generatedToken, Optional<String> consolePassword,
                        Path consolePasswordFile) {
        String host = bind.equals("0.0.0.0") ? "localhost" : bind;
        String base = "http://" + host + ":" + app.port();
        out.println();
        out.println("TicketLedger platform is up");
        out.println("  API base       " + base);
        out.println("  OpenAPI        " + base + "/openapi.json");
        out.println("  Health         " + base + "/health");
        out.println("  Metrics        " + base + "/metrics");
        out.println("  Database       " + db.description());
        out.println("  Device API     " + base + "/device/v1   (gate devices: verification-sdk's VerifierClient)");
        out.println("  Signing keys   sealed with " + (configuredKey != null ? "the configured master key"
                : "the master key in " + dataDir.resolve("key-master")));
        if (consolePassword.isPresent()) {
            out.println("  Console        " + base + "/console   (log in as admin / " + consolePassword.get()
                    + "; generated, kept in " + consolePasswordFile + ")");
        } else {
            out.println("  Console        " + base + "/console" + (Files.exists(consolePasswordFile)
                    ? "   (first admin's password in " + consolePasswordFile + ")" : ""));
        }
        if (generatedToken != null) {
            out.println("  Admin token    " + generatedToken + "   (generated; kept in " + dataDir.resolve("admin-token") + ")");
        } else {
            out.println("  Admin tokens   as configured");
        }
        for (Rails.Endpoint e : rails.endpoints()) {
            out.println("  " + String.format("%-15s", e.rail()) + e.url() + (e.sandbox() ? "   (in-process sandbox)" : ""));
        }
        out.println("  SMS            logged (no SMS provider configured)");
        out.println();
        out.println("Try: curl -H 'Authorization: Bearer <admin token>' -X POST " + base + "/admin/v1/distributors/d-1/api-keys");
        out.println("Stop with Ctrl-C.");
        out.flush();
    }
}
