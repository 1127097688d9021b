package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md's examples are exactly what the sandbox does today: the section between the markers
 * is regenerated from real signed exchanges and compared. Run with {@code -Dhjb.writeExamples=true}
 * to rewrite the section after a deliberate protocol change.
 */
class ProtocolExamplesIT {

    private static final String BEGIN = "<!-- BEGIN GENERATED EXAMPLES (ProtocolExamplesIT) -->\n";
    private static final String END = "<!-- END GENERATED EXAMPLES -->";

    @Test
    void protocolDocumentShowsTheExchangesTheCodeProduces() throws IOException {
        Path doc = Path.of("PROTOCOL.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("examples markers in PROTOCOL.md").isNotNegative();
        assertThat(end).isGreaterThan(begin);

        String generated = ProtocolExamples.render();
        String documented = text.substring(begin + BEGIN.length(), end);

        if (!generated.equals(documented)) {
            Path fresh = Path.of("target", "PROTOCOL.examples.md");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, generated, StandardCharsets.UTF_8);
            if (Boolean.getBoolean("hjb.writeExamples")) {
                Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + generated + text.substring(end),
                        StandardCharsets.UTF_8);
            }
        }
        assertThat(documented).as("PROTOCOL.md examples (fresh copy in target/PROTOCOL.examples.md)").isEqualTo(generated);
    }
}
