package org.ticketledger.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host app ({@code java -jar host-app-all.jar serve ...}) as a child process: started, waited
 * for until {@code /health} answers, killed with SIGKILL ({@link #kill()}) and started again on the
 * same port and data. Its output is appended to one log file across restarts. Not thread-safe: one
 * controller drives it.
 */
public final class AppProcess implements AutoCloseable {

    private final Path jar;
    private final List<String> jvmOptions;
    private final List<String> serveArgs;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    /**
     * @param jar        the shaded host-app jar
     * @param jvmOptions e.g. {@code -Xmx1g}
     * @param serveArgs  the arguments after {@code serve}; must pin {@code --port} to {@code port}
     * @param port       the port the app listens on
     * @param log        where stdout and stderr go (appended)
     */
    public AppProcess(Path jar, List<String> jvmOptions, List<String> serveArgs, int port, Path log) {
        this.jar = Objects.requireNonNull(jar, "jar");
        this.jvmOptions = List.copyOf(jvmOptions);
        this.serveArgs = List.copyOf(serveArgs);
        this.log = Objects.requireNonNull(log, "log");
        this.base = URI.create("http://127.0.0.1:" + port);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no host-app jar at " + jar + " (build it: ./mvnw -pl examples/host-app -am package)");
        }
    }

    /** Where the app answers. */
    public URI base() {
        return base;
    }

    /** How many times it was started. */
    public int starts() {
        return starts;
    }

    /** The process id of the running app, if any. */
    public Optional<Long> pid() {
        return process != null && process.isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    /**
     * Starts the app and waits until {@code /health} answers 200.
     *
     * @throws IllegalStateException if it exits or does not become healthy within {@code timeout}
     */
    public void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("serve");
        cmd.addAll(serveArgs);
        try {
            Files.writeString(log, "\n==== start " + (starts + 1) + ": " + String.join(" ", cmd) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the host app", e);
        }
        starts++;
        awaitHealthy(timeout);
    }

    /** Waits until {@code /health} answers 200. */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the host app exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the host app", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("the host app did not become healthy within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, in-flight requests and transactions die where they are. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps; an interrupt becomes an {@link IllegalStateException}. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A free loopback port (there is a small race until the app binds it). */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shaded host-app jar: {@code --app-jar}, else system property {@code tl.hostAppJar}, else
     * {@code examples/host-app/target/host-app-all.jar} next to the benchmarks jar's checkout.
     */
    public static Path locateJar(Optional<String> option) {
        if (option.isPresent()) {
            return Path.of(option.get());
        }
        String prop = System.getProperty("tl.hostAppJar");
        if (prop != null) {
            return Path.of(prop);
        }
        try {
            Path self = Path.of(AppProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // benchmarks/target/benchmarks-all.jar or benchmarks/target/classes
            Path root = self.getParent().getParent().getParent();
            return root.resolve("examples/host-app/target/host-app-all.jar");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("examples/host-app/target/host-app-all.jar");
        }
    }
}
