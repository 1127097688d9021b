package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.alipay.sandbox.AlipaySandboxMain;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * {@link AlipaySandboxMain} as an integrator runs it: a child JVM on this test's class path,
 * configured only by its command line, used only through what it prints (gateway, keys, control
 * API) and stopped with SIGTERM, as Ctrl-C would.
 */
class AlipaySandboxMainIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void servesSignedRequestsWithThePrintedCredentialsAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process p = launch(stderr, "--port", "0", "--app-id", "2021000000000777");
        try {
            Map<String, String> printed = readBanner(p);
            URI gateway = URI.create(printed.get("gateway"));
            URI control = URI.create(printed.get("control API"));
            assertThat(gateway.getHost()).isEqualTo("127.0.0.1");
            assertThat(gateway.getPort()).isPositive();
            assertThat(gateway.getPath()).isEqualTo("/gateway.do");
            assertThat(printed.get("app id")).isEqualTo("2021000000000777");

            // A distributor with money and a debit agreement, opened through the control API.
            JsonNode opened = controlPost(control.resolve("accounts"),
                    "{\"logon_id\":\"dist@example.com\",\"name\":\"Happy Travel\",\"balance\":\"50.00\",\"agreement\":true}");
            String userId = opened.path("user_id").asText();
            PartyAccount distributor = PartyAccount.of(RailId.ALIPAY, IdentityType.USER_ID, userId)
                    .withHolderName("Happy Travel").withAgreement(opened.path("agreement_no").asText());

            try (AlipayRail rail = AlipayRail.builder().gateway(gateway).appId(printed.get("app id"))
                    .appPrivateKey(AlipayKeys.privateKey(printed.get("app private key")))
                    .alipayPublicKey(AlipayKeys.publicKey(printed.get("alipay public key")))
                    .platformAccount(printed.get("platform user id"))
                    .requestTimeout(Duration.ofSeconds(5)).build()) {
                Money before = available(rail.balance());
                assertThat(rail.collect(Instruction.collect(RequestId.of("MAIN-IT-1"), distributor, Money.parseCny("12.00"), "day pass")))
                        .isInstanceOf(RailOutcome.Succeeded.class);
                assertThat(available(rail.balance())).isEqualTo(before.plus(Money.parseCny("12.00")));
            }
            assertThat(controlGet(control.resolve("accounts/" + userId)).path("balance").asText()).isEqualTo("38.00");

            // A client holding some other private key is refused: the stand-alone sandbox checks signatures too.
            try (AlipayRail forger = AlipayRail.builder().gateway(gateway).appId(printed.get("app id"))
                    .appPrivateKey(AlipayKeys.generate().getPrivate())
                    .alipayPublicKey(AlipayKeys.publicKey(printed.get("alipay public key")))
                    .platformAccount(printed.get("platform user id"))
                    .requestTimeout(Duration.ofSeconds(5)).build()) {
                assertThat(forger.balance()).isInstanceOfSatisfying(BalanceResult.Unavailable.class,
                        u -> assertThat(u.cause()).contains("isv.invalid-signature"));
            }

            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("stops within 15 s of SIGTERM").isTrue();
            assertThatThrownBy(() -> new Socket(gateway.getHost(), gateway.getPort()).close())
                    .as("the port is released").isInstanceOf(ConnectException.class);
            assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).doesNotContain("Exception");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void printsUsageForHelpAndRefusesUnknownOptions(@TempDir Path dir) throws Exception {
        Process help = launch(dir.resolve("help-stderr.txt"), "--help");
        assertThat(help.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("usage: AlipaySandboxMain [--port N] [--host ADDR] [--app-id DIGITS]");

        Path wrongStderr = dir.resolve("wrong-stderr.txt");
        Process wrong = launch(wrongStderr, "--colour", "blue");
        assertThat(wrong.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).as("a usage error").isEqualTo(2);
        assertThat(Files.readString(wrongStderr, StandardCharsets.UTF_8))
                .isEqualToIgnoringNewLines("alipay-sandbox: unknown option --colour (try --help)");

        Path badPortStderr = dir.resolve("port-stderr.txt");
        Process badPort = launch(badPortStderr, "--port", "eighty");
        assertThat(badPort.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(badPort.exitValue()).isEqualTo(2);
        assertThat(Files.readString(badPortStderr, StandardCharsets.UTF_8)).contains("--port needs a number, not eighty")
                .doesNotContain("Exception");
    }

    /** Standard error goes to a file: destroying a process closes its pipes, and the sandbox might log. */
    private static Process launch(Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AlipaySandboxMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    /**
     * The "name: value" lines of the start-up banner; the two keys are printed on the line after
     * their label. Read on another thread so that a child that never prints fails the test instead
     * of hanging it.
     */
    private static Map<String, String> readBanner(Process p) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pump(p.getInputStream(), lines), "sandbox-stdout");
        reader.setDaemon(true);
        reader.start();
        Map<String, String> printed = new LinkedHashMap<>();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        String label = null;
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("banner so far: %s", printed).isNotNull();
            if (line.startsWith("example:")) {
                return printed;
            }
            if (label != null) {
                printed.put(label, line.strip());
                label = null;
            } else if (line.startsWith("app private key")) {
                label = "app private key";
            } else if (line.startsWith("alipay public key")) {
                label = "alipay public key";
            } else if (line.contains(":") && !line.startsWith("Alipay sandbox running")) {
                int colon = line.indexOf(':');
                printed.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
    }

    private static void pump(InputStream in, BlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Money available(BalanceResult result) {
        assertThat(result).isInstanceOf(BalanceResult.Available.class);
        return ((BalanceResult.Available) result).available();
    }

    private static JsonNode controlPost(URI uri, String body) throws IOException, InterruptedException {
        return control(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode controlGet(URI uri) throws IOException, InterruptedException {
        return control(HttpRequest.newBuilder(uri).GET().build());
    }

    private static JsonNode control(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
