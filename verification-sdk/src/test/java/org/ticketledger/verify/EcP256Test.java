package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EcP256Test {

    private static final KeyPair PAIR = EcP256.generateKeyPair();
    private static final byte[] MESSAGE = "gate 3".getBytes(StandardCharsets.UTF_8);
    private static final BigInteger N = EcP256.PARAMETERS.getOrder();

    @Test
    void spelledOutCurveEqualsTheJdkNamedCurve() throws Exception {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec named = p.getParameterSpec(ECParameterSpec.class);
        assertThat(EcP256.PARAMETERS.getCurve()).isEqualTo(named.getCurve());
        assertThat(EcP256.PARAMETERS.getGenerator()).isEqualTo(named.getGenerator());
        assertThat(EcP256.PARAMETERS.getOrder()).isEqualTo(named.getOrder());
        assertThat(EcP256.PARAMETERS.getCofactor()).isEqualTo(named.getCofactor());
    }

    @Test
    void signsCompactLowSSignaturesThatTheJdkAccepts() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] raw = EcP256.sign(PAIR.getPrivate(), MESSAGE);
            assertThat(raw).hasSize(64);
            assertThat(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))).isLessThanOrEqualTo(N.shiftRight(1));
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initVerify(PAIR.getPublic());
            jdk.update(MESSAGE);
            assertThat(jdk.verify(EcP256.toDer(raw))).isTrue();
            assertThat(EcP256.verify(PAIR.getPublic(), MESSAGE, raw)).isTrue();
        }
    }

    @Test
    void acceptsHighSFromOtherSignersAndRefusesOutOfRangeValues() {
        byte[] raw = EcP256.sign(PAIR.getPrivate(), MESSAGE);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
        byte[] high = raw.clone();
        System.arraycopy(fixed(N.subtract(s)), 0, high, 32, 32);
        assertThat(EcP256.verify(PAIR.getPublic(), MESSAGE, high)).isTrue();

        byte[] zeroR = raw.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        assertThat(EcP256.verify(PAIR.getPublic(), MESSAGE, zeroR)).isFalse();
        byte[] sIsN = raw.clone();
        System.arraycopy(fixed(N), 0, sIsN, 32, 32);
        assertThat(EcP256.verify(PAIR.getPublic(), MESSAGE, sIsN)).isFalse();
        assertThat(EcP256.verify(PAIR.getPublic(), MESSAGE, Arrays.copyOf(raw, 63))).isFalse();
    }

    @Test
    void derConversionRoundTripsIncludingShortAndHighBitIntegers() {
        byte[] raw = new byte[64];
        raw[31] = 1;               // r = 1: one-byte INTEGER
        raw[32] = (byte) 0x80;     // s with the high bit set: needs a 0x00 pad byte
        byte[] der = EcP256.toDer(raw);
        assertThat(der).startsWith(0x30, 3 + 35, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, (byte) 0x80);
        assertThat(EcP256.fromDer(der)).isEqualTo(raw);
    }

    @Test
    void refusesNonMinimalOrTruncatedDer() {
        byte[] nonMinimal = {0x30, 0x08, 0x02, 0x02, 0x00, 0x01, 0x02, 0x02, 0x00, 0x01};
        assertThatThrownBy(() -> EcP256.fromDer(nonMinimal)).isInstanceOf(IllegalArgumentException.class);
        byte[] negative = {0x30, 0x06, 0x02, 0x01, (byte) 0x81, 0x02, 0x01, 0x01};
        assertThatThrownBy(() -> EcP256.fromDer(negative)).isInstanceOf(IllegalArgumentException.class);
        byte[] good = EcP256.toDer(EcP256.sign(PAIR.getPrivate(), MESSAGE));
        assertThatThrownBy(() -> EcP256.fromDer(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rebuildsKeysFromCoordinatesAndScalar() {
        ECPublicKey pub = (ECPublicKey) PAIR.getPublic();
        ECPublicKey rebuilt = EcP256.publicKey(EcP256.x(pub), EcP256.y(pub));
        assertThat(rebuilt.getEncoded()).isEqualTo(pub.getEncoded());
        assertThat(EcP256.publicKeyFromX509(pub.getEncoded()).getW()).isEqualTo(pub.getW());
        ECPrivateKey priv = EcP256.privateKey(fixed(((ECPrivateKey) PAIR.getPrivate()).getS()));
        assertThat(EcP256.verify(pub, MESSAGE, EcP256.sign(priv, MESSAGE))).isTrue();
        assertThat(EcP256.privateKeyFromPkcs8(PAIR.getPrivate().getEncoded()).getS())
                .isEqualTo(((ECPrivateKey) PAIR.getPrivate()).getS());
    }

    @Test
    void refusesPointsOffTheCurve() {
        ECPublicKey pub = (ECPublicKey) PAIR.getPublic();
        byte[] y = EcP256.y(pub);
        y[31] ^= 1;
        assertThatThrownBy(() -> EcP256.publicKey(EcP256.x(pub), y)).hasMessageContaining("not on P-256");
        assertThatThrownBy(() -> EcP256.privateKey(fixed(N))).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, b.length);
        System.arraycopy(b, b.length - copy, out, 32 - copy, copy);
        return out;
    }
}
