package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.testing.TestPlatform;
import picocli.CommandLine;

/** The {@code ./ticketledger} commands, run in-process. */
class LauncherIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Launcher.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void signPrintsCurlHeadersThatThePlatformAccepts() {
        ApiKeys.IssuedKey k = platform.app().apiKeys().issue("d-cli");
        String body = "{\"echo\":\"from curl\"}";
        Run r = run("sign", "POST", "/distributor/v1/ping", "--key-id", k.keyId(), "--secret", k.secret(), "--body", body);
        assertThat(r.code()).isZero();
        // What `curl $(./ticketledger sign ...)` would do with the words.
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json", "Idempotency-Key", "cli-1"));
        String[] words = r.out().trim().split(" ");
        for (int i = 0; i < words.length; i += 2) {
            assertThat(words[i]).isEqualTo("-H");
            int colon = words[i + 1].indexOf(':');
            headers.add(words[i + 1].substring(0, colon));
            headers.add(words[i + 1].substring(colon + 1));
        }
        HttpResponse<String> resp = platform.send("POST", "/distributor/v1/ping", body, headers.toArray(String[]::new));
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(TestPlatform.json(resp).path("echo").asText()).isEqualTo("from curl");
    }

    @Test
    void signCanPrintHeaderLines() {
        Run r = run("sign", "GET", "/distributor/v1/ping", "--key-id", "tlk_x", "--secret", "s", "--format", "headers",
                "--timestamp", "1767225600", "--nonce", "nonce-0123456789abcdef");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).containsExactly("X-TL-Key: tlk_x", "X-TL-Timestamp: 1767225600",
                "X-TL-Nonce: nonce-0123456789abcdef",
                "X-TL-Signature: " + org.ticketledger.example.auth.RequestSigning.sign("s",
                        org.ticketledger.example.auth.RequestSigning.stringToSign("tlk_x", "GET", "/distributor/v1/ping",
                                1767225600L, "nonce-0123456789abcdef", new byte[0])));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sign GET /x                                    | --key-id and --secret",
            "sign GET x --key-id k --secret s               | PATH must start with /",
            "serve --port 70000                             | --port must be 0..65535",
            "serve --rate-limit fast                        | --rate-limit must look like",
            "serve --db-url mysql://x                       | PostgreSQL JDBC URL",
            "serve --db-url jdbc:postgresql://h/db          | needs --db-user",
            "serve --db-password x                          | need --db-url",
            "serve --db-pool-size 1                         | --db-pool-size must be 2..200",
            "serve --admin-token short                      | name=token",
            "serve --admin-token ops=short --port 0         | at least 24",
            "serve --key-master 0123abcd                    | --key-master: the master key must have 32 bytes",
            "serve --huijinbao-url http://127.0.0.1:9       | --huijinbao-url needs --huijinbao-key-id",
            "serve --huijinbao-url x --huijinbao-key-id k --huijinbao-secret-file f --huijinbao-platform-account P | absolute http(s) URL",
            "serve --rail-timeout-ms -1                     | --rail-timeout-ms must be 0..600000",
            "serve --jobs slow                              | --jobs must be default or fast",
            "serve --payout-retry-window-s -5               | --payout-retry-window-s must be",
            "serve --sweep-workers 65                       | --sweep-workers must be 0..64",
            "serve --sweep-workers 8                        | --sweep-workers 8 needs a --db-pool-size above 16"})
    void badConfigurationExitsWith2AndSaysWhatIsWrong(String args, String message) {
        Run r = run(args.trim().split("\\s+"));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        Run r = run("serve", "--no-such-option");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option");
    }

    @Test
    void aBadMasterKeyIsRefusedWithoutBeingRepeated() {
        String secret = java.util.Base64.getEncoder().encodeToString("a secret that is 31 bytes long!".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        Run r = run("serve", "--key-master", secret, "--port", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--key-master").contains("32 bytes").doesNotContain(secret);
        assertThat(r.out()).doesNotContain(secret);
    }
}
