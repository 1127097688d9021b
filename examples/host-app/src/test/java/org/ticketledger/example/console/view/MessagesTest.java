package org.ticketledger.example.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static Properties bundle(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void chineseAndEnglishHaveTheSameKeys() throws IOException {
        assertThat(bundle("messages_zh.properties").stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(bundle("messages.properties").stringPropertyNames());
    }

    @Test
    void everyLabelATemplateAsksForExists() throws IOException {
        Pattern key = Pattern.compile("p\\.t\\(\"([A-Za-z.]+[A-Za-z])\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/jte"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".jte")).toList()) {
                Matcher m = key.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(bundle("messages.properties").stringPropertyNames()).containsAll(used);
    }

    @Test
    void chineseLabelsAreChineseAndArgumentsAreFilledIn() {
        Messages zh = Messages.of("zh");
        assertThat(zh.t("nav.payouts")).isEqualTo("付款");
        assertThat(zh.t("order.round", 2)).isEqualTo("第 2 轮");
        assertThat(Messages.of("en").t("order.round", 2)).isEqualTo("round 2");
        assertThat(Messages.of("fr").lang()).isEqualTo("en");
        assertThat(zh.t("no.such.key")).isEqualTo("⟦no.such.key⟧");
    }
}
