package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.example.testing.TestPlatform;

/**
 * Runs the README's curl tour (the block between the tour markers) with bash and curl against a
 * fresh platform, with {@code ./ticketledger} resolved to this build's classes.
 */
class ReadmeTourIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theCurlTourRunsAndEndsReconciled(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")), "curl is needed");
        String readme = Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("<!-- tour:start -->");
        int end = readme.indexOf("<!-- tour:end -->");
        assertThat(start).isPositive();
        String block = readme.substring(start, end);
        String script = block.substring(block.indexOf("```sh\n") + 6, block.lastIndexOf("```"));

        Path launcher = dir.resolve("ticketledger");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "\" -cp \"" + System.getProperty("java.class.path") + "\" org.ticketledger.example.Launcher \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        Path tour = dir.resolve("tour.sh");
        Files.writeString(tour, "set -euo pipefail\n" + script);

        ProcessBuilder pb = new ProcessBuilder("bash", tour.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TL", platform.base().toString());
        pb.environment().put("ADMIN", TestPlatform.OPERATOR_TOKEN);
        pb.environment().remove("TL_KEY_ID");
        pb.environment().remove("TL_KEY_SECRET");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("\"status\":\"UP\"")
                .contains("\"openapi\":\"3.1.0\"")
                .contains("\"apiKey\":{\"keyId\":\"tlk_")
                .contains("\"state\":\"ISSUED\"")
                .contains("\"total\":\"101.00\"")
                .contains("\"openOrders\":[]")
                .contains("\"qrText\":\"pt-")
                .contains("\"username\":\"li.wei\"").doesNotContain("correct horse\"")
                .contains("\"signing\":true")
                .contains("\"serverTime\":\"")
                .doesNotContain("problems/")
                .contains("\"balanced\":true,\"trialBalanced\":true")
                .contains("\"issuance_volume\" : \"100.00\"")
                .contains("summary,issuance_volume,,,,,100.00")
                .contains("summary,issuance_fees,,,,,1.00")
                .containsPattern("trial_balance,closing,,,[0-9.]+,[0-9.]+,balanced");
    }
}
