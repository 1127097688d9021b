package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.internal.Base64Url;
import org.ticketledger.verify.internal.Json;
import org.ticketledger.verify.internal.JsonObject;
import org.ticketledger.verify.internal.Wire;

/** Keeps the examples in DEVICE-API.md true to the SDK. */
class DeviceApiDocTest {

    private static final String DOC = read();

    private static String read() {
        try {
            return Files.readString(Path.of("DEVICE-API.md"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String name) {
        String begin = "<!-- " + name + ":begin -->";
        String body = DOC.substring(DOC.indexOf(begin) + begin.length(), DOC.indexOf("<!-- " + name + ":end -->"));
        return body.substring(body.indexOf('\n', body.indexOf("```")) + 1, body.lastIndexOf("```")).stripTrailing();
    }

    @Test
    void exampleScanRecordParsesAndSignsTheDocumentedMessage() {
        String json = block("scan-record").replace("<64 bytes r||s base64url, 86 characters>", Base64Url.encode(new byte[64]));
        ScanRecord r = Wire.scanRecord(JsonObject.of(Json.parse(json), "record"));
        assertThat(r.signedMessage()).isEqualTo(block("signed-message"));
    }

    @Test
    void everyDocumentedRedeemOutcomeIsAResultCode() {
        Matcher m = Pattern.compile("\\n\\| `([A-Z_]+)` \\|").matcher(DOC.substring(DOC.indexOf("### 4.8"), DOC.indexOf("### 4.9")));
        List<String> outcomes = new ArrayList<>();
        while (m.find()) {
            outcomes.add(m.group(1));
        }
        assertThat(outcomes).hasSize(11);
        List<String> codes = new ArrayList<>();
        for (ResultCode c : ResultCode.values()) {
            codes.add(c.name());
        }
        assertThat(codes).containsAll(outcomes);
    }

    @Test
    void everyDocumentedEndpointAndSessionEndingCodeIsOneTheSdkUses() {
        for (String endpoint : Arrays.asList("time", "provision", "login", "refresh", "logout", "keys", "revocations?since=",
                "redeem", "sync", "heartbeat")) {
            assertThat(DOC).contains("/device/v1/" + endpoint);
        }
        for (String code : Arrays.asList("device-revoked", "operator-revoked", "operator-not-allowed", "session-revoked")) {
            assertThat(DOC).contains("| 403 | `" + code + "`");
        }
    }
}
