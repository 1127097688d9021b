package org.ticketledger.bench.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ticketledger.bench.http.AppProcess;
import org.ticketledger.bench.http.PlatformClient;
import org.ticketledger.bench.http.Sandboxes;
import org.ticketledger.ledger.postgres.EmbeddedDatabase;

/**
 * Everything the chaos run controls, each in its own process or lifetime: PostgreSQL (a server on a
 * fixed port and data directory, restartable), the rail sandboxes (in this JVM, so their books
 * outlive the app) and the app (a child JVM from the shaded jar, killable). Not thread-safe: the
 * run's controller owns it.
 */
final class Cluster implements AutoCloseable {

    static final String ADMIN_TOKEN = "chaos-operator-token-0123456789abcdef";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final boolean keep;
    private final PrintStream log;
    private final int pgPort;
    private EmbeddedDatabase pg;
    private final Sandboxes sandboxes;
    private final AppProcess app;
    private final PlatformClient client;
    private HikariDataSource reader;

    private Cluster(Path dir, boolean keep, PrintStream log, int pgPort, EmbeddedDatabase pg, Sandboxes sandboxes, AppProcess app) {
        this.dir = dir;
        this.keep = keep;
        this.log = log;
        this.pgPort = pgPort;
        this.pg = pg;
        this.sandboxes = sandboxes;
        this.app = app;
        this.client = new PlatformClient(app.base(), ADMIN_TOKEN, Duration.ofMinutes(5));
    }

    static Cluster start(ChaosOptions options, PrintStream log) {
        Path dir;
        try {
            dir = Files.createTempDirectory("tl-chaos-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            int pgPort = AppProcess.freePort();
            EmbeddedDatabase pg = EmbeddedDatabase.startPersistent(dir.resolve("postgres"), pgPort);
            started.add(pg);
            Sandboxes sandboxes = Sandboxes.start(dir.resolve("keys"), Duration.ofMillis(2500), 64);
            started.add(sandboxes);
            int port = AppProcess.freePort();
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--data-dir", dir.resolve("app").toString(),
                    "--db-url", pg.jdbcUrl("postgres"), "--db-user", pg.user(), "--db-pool-size", "24",
                    "--admin-token", "chaos=" + ADMIN_TOKEN, "--rate-limit", "6000000/100000",
                    "--rail-timeout-ms", "1500", "--jobs", "fast", "--payout-retry-window-s", "120"));
            args.addAll(sandboxes.serveArgs());
            AppProcess app = new AppProcess(AppProcess.locateJar(options.appJar()),
                    List.of("-Xms256m", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError"), args, port, dir.resolve("app.log"));
            started.add(app);
            Cluster c = new Cluster(dir, options.keep(), log, pgPort, pg, sandboxes, app);
            log.println("chaos: working directory " + dir + " (app log: " + dir.resolve("app.log") + ")");
            c.app.start(START_TIMEOUT);
            return c;
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception s) {
                    e.addSuppressed(s);
                }
            }
            throw e;
        }
    }

    PlatformClient client() {
        return client;
    }

    Sandboxes sandboxes() {
        return sandboxes;
    }

    AppProcess app() {
        return app;
    }

    String jdbcUrl() {
        return pg.jdbcUrl("postgres");
    }

    String dbUser() {
        return pg.user();
    }

    Path dir() {
        return dir;
    }

    /** SIGKILLs the app and starts it again on the same port, database and sandboxes. */
    void killAndRestartApp() {
        long t0 = System.nanoTime();
        app.kill();
        app.start(START_TIMEOUT);
        log.printf("chaos: app SIGKILLed and back in %.1f s (start %d)%n", (System.nanoTime() - t0) / 1e9, app.starts());
    }

    /** Stops PostgreSQL under the running app, keeps it down for {@code downtime}, starts it again. */
    void restartPostgres(Duration downtime) {
        long t0 = System.nanoTime();
        pg.close();
        AppProcess.sleep(downtime.toMillis());
        pg = EmbeddedDatabase.startPersistent(dir.resolve("postgres"), pgPort);
        log.printf("chaos: PostgreSQL restarted (down %.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }

    /** A small read-only pool for the audit (opened once the chaos is over). */
    synchronized HikariDataSource reader() {
        if (reader == null) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(jdbcUrl());
            c.setUsername(dbUser());
            c.setMaximumPoolSize(2);
            c.setReadOnly(true);
            reader = new HikariDataSource(c);
        }
        return reader;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        try {
            app.close();
        } finally {
            try {
                sandboxes.close();
            } finally {
                pg.close();
                if (!keep) {
                    delete(dir);
                } else {
                    log.println("chaos: kept " + dir);
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
