package org.ticketledger.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsEveryValueKind() {
        Object v = Json.parse(" {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\",\"i\":-12,\"big\":12345678901234567890,"
                + "\"d\":1.5e3,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{}} ");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.get("s")).isEqualTo("a\"b\\c/\né\uD83D\uDE00");
        assertThat(m.get("i")).isEqualTo(-12L);
        assertThat(m.get("big")).isEqualTo(new BigDecimal("12345678901234567890"));
        assertThat(m.get("d")).isEqualTo(new BigDecimal("1.5e3"));
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.get("f")).isEqualTo(false);
        assertThat(m.get("n")).isSameAs(Json.NULL);
        assertThat((List<?>) m.get("a")).hasSize(3);
        assertThat(m.keySet()).containsExactly("s", "i", "big", "d", "t", "f", "n", "a", "o");
    }

    @Test
    void readsLongBoundaries() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(Json.parse("-0")).isEqualTo(0L);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "", " ", "{", "}", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]",
            "01", "-", "1.", ".5", "1e", "1e+", "+1", "NaN", "Infinity", "0x10", "tru", "nul", "True",
            "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"",
            "\"tab\there\"", "\"line\nbreak\"", "{\"a\":1}{}", "1 2", "[1] x", "// c\n1", "/* c */ 1",
            "{\"a\":1,\"a\":2}", "\"\\u0660\\u0661\"x", "[\"\\u١٢٣٤\"]"
    })
    void refusesMalformedInput(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class);
    }

    @Test
    void refusesInvalidUtf8AndByteOrderMark() {
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xC3, '"'})).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
                .isInstanceOf(JsonException.class);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'};
        assertThatThrownBy(() -> Json.parse(bom)).isInstanceOf(JsonException.class);
    }

    @Test
    void refusesNestingBeyondTheLimitButAcceptsItsEdge() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonException.class).hasMessageContaining("nesting");
    }

    @Test
    void writesCompactEscapedJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\"\\\n\t\u0001é\uD83D\uDE00</");
        m.put("n", 42L);
        m.put("d", new BigDecimal("101.00"));
        m.put("b", false);
        m.put("z", Json.NULL);
        m.put("l", List.of(1L, "x"));
        assertThat(Json.write(m)).isEqualTo(
                "{\"s\":\"q\\\"\\\\\\n\\t\\u0001é\uD83D\uDE00</\",\"n\":42,\"d\":101.00,\"b\":false,\"z\":null,\"l\":[1,\"x\"]}");
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void writerRefusesWhatJsonCannotCarryExactly() {
        assertThatThrownBy(() -> Json.write(1.5d)).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.write("\uD83D")).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(JsonException.class);
    }

    @Property(tries = 300)
    void stringsRoundTrip(@ForAll String s) {
        boolean wellFormed = s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
        if (!wellFormed) {
            return; // lone surrogates are refused by the writer, tested above
        }
        assertThat(Json.parse(Json.writeBytes(s))).isEqualTo(s);
        assertThat(new String(Json.writeBytes(s), StandardCharsets.UTF_8)).startsWith("\"");
    }

    @Test
    void typedAccessNamesTheBrokenField() {
        JsonObject o = JsonObject.of(Json.parse("{\"a\":{\"id\":\"007\",\"n\":\"x\",\"t\":\"2026-05-01T08:00:00+08:00\"}}"), "doc");
        JsonObject a = o.object("a");
        assertThatThrownBy(() -> a.id("id", 1, 10)).hasMessageContaining("doc.a.id");
        assertThatThrownBy(() -> a.longValue("n")).hasMessageContaining("doc.a.n").hasMessageContaining("integer");
        assertThatThrownBy(() -> a.string("missing")).hasMessageContaining("doc.a.missing: missing");
        assertThat(a.instant("t")).hasToString("2026-05-01T00:00:00Z");
    }
}
