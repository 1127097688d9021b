package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README's first command runs: the shaded jar ({@code ./ticketledger} execs it) as its
 * own JVM, not the classes in this test's class path. The demo must end reconciled, and a server
 * restarted on the same data directory must come back with its data and its admin token.
 */
class FatJarIT {

    private static final Path JAR = Path.of("target", "host-app-all.jar");
    private static final Pattern API_BASE = Pattern.compile("API base\\s+(http://\\S+)");
    private static final Pattern TOKEN = Pattern.compile("Admin token\\s+(\\S+)");

    @Test
    void theDemoRunsFromTheShadedJarAndEndsReconciled(@TempDir Path dir) throws Exception {
        Process p = start(dir, "demo");
        List<String> lines = readAll(p);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("demo finished").isTrue();
        String out = String.join("\n", lines);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("reconciliation: zero difference").doesNotContain("DIFFERENCE FOUND");
    }

    @Test
    void serveKeepsItsDataAndTokenAcrossARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Process first = start(dir, "serve", "--port", "0", "--data-dir", data.toString());
        String token;
        try {
            List<String> banner = readBanner(first);
            URI base = URI.create(find(API_BASE, banner));
            token = find(TOKEN, banner);
            assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(token);
            assertThat(get(http, base.resolve("/health"), null).statusCode()).isEqualTo(200);
            HttpResponse<String> onboard = http.send(HttpRequest.newBuilder(base.resolve("/admin/v1/platform"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Restart Platform\",\"currency\":\"CNY\","
                            + "\"adminPhone\":\"13800000000\",\"timeZone\":\"Asia/Shanghai\",\"settlementAccounts\":"
                            + "[{\"rail\":\"ALIPAY\",\"identityType\":\"USER_ID\",\"identity\":\"2088000000000001\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(onboard.statusCode()).as(onboard.body()).isBetween(200, 201);
        } finally {
            stop(first);
        }

        Process second = start(dir, "serve", "--port", "0", "--data-dir", data.toString());
        try {
            List<String> banner = readBanner(second);
            URI base = URI.create(find(API_BASE, banner));
            assertThat(find(TOKEN, banner)).as("the kept token, not a new one").isEqualTo(token);
            HttpResponse<String> platform = get(http, base.resolve("/admin/v1/platform"), token);
            assertThat(platform.statusCode()).as(platform.body()).isEqualTo(200);
            assertThat(platform.body()).contains("Restart Platform");
        } finally {
            stop(second);
        }
    }

    private static Process start(Path workDir, String... args) throws IOException {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
    }

    private static List<String> readAll(Process p) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Lines up to the banner's last rail line; the rest of the output is drained in the background. */
    private static List<String> readBanner(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String line;
        boolean up = false;
        while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
            lines.add(line);
            if (line.contains("TicketLedger platform is up")) {
                up = true;
            }
            if (up && line.contains("huijinbao")) {
                break;
            }
        }
        assertThat(up).as(String.join("\n", lines)).isTrue();
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return lines;
    }

    private static String find(Pattern pattern, List<String> lines) {
        for (String l : lines) {
            Matcher m = pattern.matcher(l);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError(pattern + " not in:\n" + String.join("\n", lines));
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as a terminal's Ctrl-C or a service manager would stop it. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the server did not stop within 60 s of SIGTERM");
        }
    }
}
