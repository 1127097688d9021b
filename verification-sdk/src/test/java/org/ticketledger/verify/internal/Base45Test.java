package org.ticketledger.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base45Test {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "AB|BB8",
            "Hello!!|%69 VD92EX0",
            "base-45|UJCLQE7W581",
            "ietf!|QED8WEX0",
            "|"})
    void encodesRfc9285Examples(String plain, String encoded) {
        byte[] bytes = (plain == null ? "" : plain).getBytes(StandardCharsets.US_ASCII);
        String expected = encoded == null ? "" : encoded;
        assertThat(Base45.encode(bytes)).isEqualTo(expected);
        assertThat(Base45.decode(expected, 0, expected.length())).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GGW",      // 65536: one more than two bytes can hold (RFC 9285 section 4.2)
            "A",        // a single dangling character
            "ABCD",     // length 1 mod 3
            "bb8",      // lower case is not in the alphabet
            "B#8",      // '#' is not in the alphabet
            ":;",       // ';' is not in the alphabet
            "::"        // 44 + 44*45 = 2024 > 255 for a trailing pair
    })
    void refusesInvalidText(String text) {
        assertThat(Base45.decode(text, 0, text.length())).isEmpty();
    }

    @Test
    void decodesOnlyTheGivenRange() {
        assertThat(Base45.decode("TL:BB8", 3, 6)).hasValueSatisfying(b -> assertThat(b).containsExactly('A', 'B'));
    }

    @Property(tries = 300)
    void roundTripsAnyBytes(@ForAll byte[] data) {
        String text = Base45.encode(data);
        assertThat(text).matches("[0-9A-Z $%*+\\-./:]*");
        assertThat(Base45.decode(text, 0, text.length())).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
    }
}
