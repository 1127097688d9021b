package org.ticketledger.alipay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;

/** The known-answer files under {@code src/test/resources/kat} (made with OpenSSL; see the README there). */
final class Kat {

    private Kat() {
    }

    static String text(String name) {
        try (InputStream in = Kat.class.getResourceAsStream("/kat/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource kat/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PrivateKey appPrivateKey() {
        return AlipayKeys.privateKey(text("app_private_key.pem"));
    }

    static PublicKey appPublicKey() {
        return AlipayKeys.publicKey(text("app_public_key.pem"));
    }

    static PrivateKey alipayPrivateKey() {
        return AlipayKeys.privateKey(text("alipay_private_key.pem"));
    }

    static PublicKey alipayPublicKey() {
        return AlipayKeys.publicKey(text("alipay_public_key.b64"));
    }
}
