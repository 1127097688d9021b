package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.ticketledger.ticketing.spi.KeyProtector;

/** Password hashes, token hashes and the sealing of issuer keys. */
class DeviceSecretsTest {

    @Test
    void passwordHashesAreSaltedAndVerifyOnlyTheirPassword() {
        String a = Secrets.hashPassword("correct horse", 1_000);
        String b = Secrets.hashPassword("correct horse", 1_000);
        assertThat(a).startsWith("pbkdf2-sha256$1000$").isNotEqualTo(b).doesNotContain("correct horse");
        assertThat(Secrets.verifyPassword("correct horse", a)).isTrue();
        assertThat(Secrets.verifyPassword("correct horsf", a)).isFalse();
        assertThat(Secrets.verifyPassword("correct horse", "md5$abc")).isFalse();
    }

    @Test
    void theDefaultIterationCountIsAtLeastOwaspsFloor() {
        assertThat(org.ticketledger.ticketing.device.DevicePolicy.defaults().passwordIterations()).isGreaterThanOrEqualTo(310_000);
    }

    @Test
    void tokensCarry256RandomBitsAndAreStoredAsSha256() {
        String t = Secrets.token("at");
        assertThat(t).startsWith("at-").hasSize(46).isNotEqualTo(Secrets.token("at"));
        assertThat(Secrets.sha256(t)).hasSize(64).isEqualTo(Secrets.sha256(t)).doesNotContain(t.substring(3));
    }

    @Test
    void sealedKeysOpenOnlyUnderTheirMasterKey() {
        byte[] master = new byte[32];
        master[0] = 7;
        KeyProtector p = KeyProtector.aesGcm(master);
        byte[] secret = "pkcs8 bytes of a private key".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = p.seal(secret);
        assertThat(sealed).isNotEqualTo(p.seal(secret));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("pkcs8");
        assertThat(p.open(sealed)).isEqualTo(secret);
        assertThat(p.scheme()).startsWith("AES-256-GCM:").doesNotContain(HexFormat.of().formatHex(master));
        assertThat(KeyProtector.aesGcm(new byte[32]).scheme()).isNotEqualTo(p.scheme());
        assertThatThrownBy(() -> KeyProtector.aesGcm(new byte[32]).open(sealed)).isInstanceOf(IllegalArgumentException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> p.open(sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyProtector.aesGcm(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
