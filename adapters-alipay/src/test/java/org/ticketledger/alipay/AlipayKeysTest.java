package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlipayKeysTest {

    @Test
    void loadsPkcs8AndX509FromPemBareBase64AndFiles(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("app.pem");
        Files.writeString(pem, Kat.text("app_private_key.pem"));
        Path pub = dir.resolve("alipay.b64");
        Files.writeString(pub, Kat.text("alipay_public_key.b64") + "\n");

        assertThat(AlipayKeys.readPrivateKey(pem)).isEqualTo(AlipayKeys.privateKey(Kat.text("app_private_key.b64")));
        assertThat(AlipayKeys.readPublicKey(pub)).isEqualTo(AlipayKeys.publicKey(Kat.text("alipay_public_key.pem")));
        assertThat(AlipayKeys.privateKey(AlipayKeys.toPem(Kat.appPrivateKey()))).isEqualTo(Kat.appPrivateKey());
    }

    @Test
    void refusesPkcs1WithAHintAndWithoutQuotingTheKey() {
        String pkcs1 = Kat.text("app_private_key_pkcs1.pem");

        assertThatThrownBy(() -> AlipayKeys.privateKey(pkcs1))
                .isInstanceOf(UnableToLoadKeyException.class)
                .hasMessageContaining("PKCS#8")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pkcs1.split("\n")[1].substring(0, 20)));
    }

    @Test
    void brokenKeysFailWithoutEchoingTheirText() {
        String secretish = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecret";
        assertThatThrownBy(() -> AlipayKeys.privateKey(secretish))
                .isInstanceOf(UnableToLoadKeyException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("MIIEv"));
        assertThatThrownBy(() -> AlipayKeys.privateKey("not*base64*at*all"))
                .isInstanceOf(UnableToLoadKeyException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("base64*at"));
        assertThatThrownBy(() -> AlipayKeys.publicKey(Kat.text("app_private_key.b64")))
                .isInstanceOf(UnableToLoadKeyException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Kat.text("app_private_key.b64").substring(30, 60)));
        assertThatThrownBy(() -> AlipayKeys.privateKey("")).isInstanceOf(UnableToLoadKeyException.class);
        assertThatThrownBy(() -> AlipayKeys.publicKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .isInstanceOf(UnableToLoadKeyException.class).hasMessageContaining("certificate");
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> AlipayKeys.readPrivateKey(missing))
                .isInstanceOf(UnableToLoadKeyException.class).hasMessageContaining("nope.pem");
    }
}
