package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.ticketledger.huijinbao.internal.Signing;

/**
 * Known-answer tests for HJB-API v1 signing. The expected digests and signatures were computed
 * independently with OpenSSL:
 * <pre>
 *   printf '%s' "$BODY" | openssl dgst -sha256 -hex
 *   printf "$STRING_TO_SIGN" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEYHEX -binary | base64
 * </pre>
 */
class SigningTest {

    private static final String SECRET = "SEpCLUFQSSB2MSBleGFtcGxlIHNlY3JldCAtIDMyKyBieXRlcywgbmV2ZXIgdXNlIGl0";
    private static final SecretKey KEY = Signing.key(SECRET);
    private static final String NONCE = "00000000000000000000000000000001";
    private static final byte[] BODY = ("{\"request_id\":\"ORD-20261201-0001\",\"platform_account\":\"PLAT0001\","
            + "\"account_no\":\"M10001\",\"amount\":\"101.00\",\"currency\":\"CNY\",\"title\":\"Scenic ticket order 0001\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = ("{\"request_id\":\"ORD-20261201-0001\",\"operation\":\"COLLECT\",\"status\":\"SUCCEEDED\","
            + "\"txn_id\":\"HJB202612010000000001\",\"platform_account\":\"PLAT0001\",\"account_no\":\"M10001\","
            + "\"amount\":\"101.00\",\"currency\":\"CNY\",\"title\":\"Scenic ticket order 0001\","
            + "\"created_at\":\"2026-12-01T10:00:00.000+08:00\",\"completed_at\":\"2026-12-01T10:00:00.000+08:00\"}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void bodyDigestIsLowerCaseHexSha256() {
        assertThat(Signing.bodyDigest(BODY)).isEqualTo("15f5fa08f41b6ea11928c60e9122db1c727ff1fb35ee2cfd95fe0251f102cffe");
        assertThat(Signing.bodyDigest(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void requestStringToSignIsSevenLinesWithoutTrailingNewline() {
        String sts = Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/collect", 1796090400L, NONCE, BODY);

        assertThat(sts).isEqualTo("HJB1-HMAC-SHA256\ndemo-key-01\nPOST\n/v1/transfers/collect\n1796090400\n" + NONCE
                + "\n15f5fa08f41b6ea11928c60e9122db1c727ff1fb35ee2cfd95fe0251f102cffe");
    }

    @Test
    void requestSignatureMatchesOpenSsl() {
        String sts = Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/collect", 1796090400L, NONCE, BODY);

        assertThat(Signing.sign(KEY, sts)).isEqualTo("dc5l2mUepQJ87WQYpsoOfj3h0F1scxMYJDPem/Z+uYI=");
        assertThat(Signing.verify(KEY, sts, "dc5l2mUepQJ87WQYpsoOfj3h0F1scxMYJDPem/Z+uYI=")).isTrue();
    }

    @Test
    void replySignatureMatchesOpenSsl() {
        String sts = Signing.replyStringToSign("demo-key-01", 200, "POST", "/v1/transfers/collect", 1796090400L, NONCE, REPLY);

        assertThat(sts).startsWith("HJB1-HMAC-SHA256-REPLY\ndemo-key-01\n200\nPOST\n")
                .endsWith("\n2f7b80dcee58f5461f588ca39005320ddc2c5a611f662413c2331b677e015acb");
        assertThat(Signing.sign(KEY, sts)).isEqualTo("HreMeLjnLd0yRV64pmUKQBHRZvTmx0aKeDrrAsArvro=");
    }

    @Test
    void anyChangeToASignedPartBreaksTheSignature() {
        String good = Signing.sign(KEY, Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/collect",
                1796090400L, NONCE, BODY));
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("101.00", "100.00").getBytes(StandardCharsets.UTF_8);

        assertThat(Signing.verify(KEY, Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/payout",
                1796090400L, NONCE, BODY), good)).isFalse();
        assertThat(Signing.verify(KEY, Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/collect",
                1796090401L, NONCE, BODY), good)).isFalse();
        assertThat(Signing.verify(KEY, Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/collect",
                1796090400L, NONCE, tampered), good)).isFalse();
        assertThat(Signing.verify(Signing.key(Base64.getEncoder().encodeToString(new byte[32])),
                Signing.requestStringToSign("demo-key-01", "POST", "/v1/transfers/collect", 1796090400L, NONCE, BODY),
                good)).isFalse();
        assertThat(Signing.verify(KEY, "x", null)).isFalse();
    }

    @Test
    void requestAndReplySignaturesAreNeverInterchangeable() {
        String asRequest = Signing.requestStringToSign("k", "GET", "/v1/x", 1L, NONCE, new byte[0]);
        String asReply = Signing.replyStringToSign("k", 200, "GET", "/v1/x", 1L, NONCE, new byte[0]);

        assertThat(Signing.sign(KEY, asRequest)).isNotEqualTo(Signing.sign(KEY, asReply));
    }

    @Test
    void refusesShortOrMalformedSecretsWithoutEchoingThem() {
        String shortSecret = Base64.getEncoder().encodeToString("only-sixteen-byt".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> Signing.key(shortSecret))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(shortSecret).contains("32");
        assertThatThrownBy(() -> Signing.key("not base64 at all!"))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("not base64 at all");
    }

    @Test
    void noncesAreFreshAndWellFormed() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        String a = Signing.newNonce(random);
        String b = Signing.newNonce(random);

        assertThat(a).isNotEqualTo(b).hasSize(32);
        assertThat(Signing.isValidNonce(a)).isTrue();
        assertThat(Signing.isValidNonce("short")).isFalse();
        assertThat(Signing.isValidNonce("has spaces in it, not allowed")).isFalse();
    }
}
