package org.ticketledger.example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ticketledger.example.auth.RequestSigning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./ticketledger sign METHOD PATH}: prints the four distributor authentication headers for one
 * request, by default as curl arguments, so that {@code curl $(./ticketledger sign ...) ...} works.
 * The body given here must be byte for byte the body curl sends ({@code --data-binary}).
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Print signed distributor headers for one request (default: as curl -H arguments).")
final class SignCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "METHOD", description = "GET, POST, ...")
    String method;

    @Parameters(index = "1", paramLabel = "PATH", description = "Path with query exactly as sent, e.g. /distributor/v1/ping")
    String path;

    @Option(names = "--key-id", defaultValue = "${env:TL_KEY_ID}", description = "API key id (env TL_KEY_ID)")
    String keyId;

    @Option(names = "--secret", defaultValue = "${env:TL_KEY_SECRET}",
            description = "API key secret (env TL_KEY_SECRET; prefer the variable, arguments show in ps)")
    String secret;

    @Option(names = "--body", description = "The request body as a string")
    String body;

    @Option(names = "--body-file", description = "Read the request body from this file")
    Path bodyFile;

    @Option(names = "--format", defaultValue = "curl", description = "curl (-H Name:value ...) or headers (Name: value lines)")
    String format;

    @Option(names = "--timestamp", description = "Unix seconds (default: now)")
    Long timestamp;

    @Option(names = "--nonce", description = "Nonce (default: random)")
    String nonce;

    @Override
    public Integer call() throws Exception {
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            throw new Launcher.ConfigurationException("give --key-id and --secret (or TL_KEY_ID and TL_KEY_SECRET)");
        }
        if (body != null && bodyFile != null) {
            throw new Launcher.ConfigurationException("give --body or --body-file, not both");
        }
        if (!path.startsWith("/")) {
            throw new Launcher.ConfigurationException("PATH must start with / (path and query only, no host): " + path);
        }
        if (!format.equals("curl") && !format.equals("headers")) {
            throw new Launcher.ConfigurationException("--format must be curl or headers");
        }
        byte[] bytes = bodyFile != null ? Files.readAllBytes(bodyFile)
                : body != null ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
        long ts = timestamp != null ? timestamp : Instant.now().getEpochSecond();
        String n = nonce != null ? nonce : RequestSigning.newNonce();
        Map<String, String> headers = RequestSigning.headers(keyId, secret, method.toUpperCase(Locale.ROOT), path, ts, n, bytes);
        var out = spec.commandLine().getOut();
        if (format.equals("curl")) {
            StringBuilder b = new StringBuilder();
            headers.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append("-H ").append(k).append(':').append(v));
            out.println(b);
        } else {
            headers.forEach((k, v) -> out.println(k + ": " + v));
        }
        out.flush();
        return 0;
    }
}
