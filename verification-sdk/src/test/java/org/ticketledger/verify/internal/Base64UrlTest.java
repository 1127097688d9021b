package org.ticketledger.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

    @Property(tries = 300)
    void agreesWithTheJdkEncoderAndRoundTrips(@ForAll byte[] data) {
        String text = Base64Url.encode(data);
        assertThat(text).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
        assertThat(Base64Url.decode(text)).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "QQ==",   // padding
            "A",      // impossible length
            "ab+/",   // standard alphabet, not url-safe
            "ab c",   // whitespace
            "QR",     // non-zero unused bits (canonical is "QQ")
            "QUJ"     // non-zero unused bits (canonical is "QUI")
    })
    void refusesNonCanonicalText(String text) {
        assertThat(Base64Url.decode(text)).isEmpty();
    }
}
