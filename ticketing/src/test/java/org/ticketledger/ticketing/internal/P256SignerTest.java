package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ticketledger.ticketing.internal.P256Reference.G;
import static org.ticketledger.ticketing.internal.P256Reference.N;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.UnableToSignException;

class P256SignerTest {

    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final byte[] MESSAGE = "TL ticket payload".getBytes(StandardCharsets.UTF_8);

    /** Scalars in [1, n-1] with the edges: tiny, n-1, n-2, around n/2, many leading zero bits, all-ones words. */
    @Provide
    Arbitrary<BigInteger> scalars() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3), N.subtract(BigInteger.ONE),
                        N.subtract(BigInteger.TWO), HALF_N, HALF_N.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(255),
                        BigInteger.ONE.shiftLeft(200).add(BigInteger.ONE), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                        BigInteger.valueOf(0xFFFFFFFFL), BigInteger.ONE.shiftLeft(32),
                        new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFF00000000000000000000000000000000", 16),
                        new BigInteger("0000000000000000000000000000000000000000000000000000000000000021", 16)));
    }

    @Provide
    Arbitrary<KeyPair> keys() {
        return Arbitraries.integers().between(0, 1 << 20).map(ignored -> EcP256.generateKeyPair());
    }

    // ------------------------------------------------ the answers others accept

    @Property(tries = 200)
    void signaturesVerifyUnderTheJdkAndTheSdk(@ForAll("keys") KeyPair pair, @ForAll @Size(max = 300) byte[] message)
            throws GeneralSecurityException {
        P256Signer signer = P256Signer.of((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        assertThat(signer.fast()).isTrue();
        byte[] signature = signer.sign(message);
        assertThat(signature).hasSize(64);
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(pair.getPublic());
        jdk.update(message);
        assertThat(jdk.verify(EcP256.toDer(signature))).isTrue();
        assertThat(EcP256.verify(pair.getPublic(), message, signature)).isTrue();
        assertThat(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))).isLessThanOrEqualTo(HALF_N);
        // A signature over other bytes does not pass: the checks above can fail.
        byte[] other = Arrays.copyOf(message, message.length + 1);
        assertThat(EcP256.verify(pair.getPublic(), other, signature)).isFalse();
    }

    @Test
    void drawsAFreshNonceForEverySignature() {
        KeyPair pair = EcP256.generateKeyPair();
        P256Signer signer = P256Signer.of((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        byte[] first = signer.sign(MESSAGE);
        byte[] second = signer.sign(MESSAGE);
        assertThat(Arrays.copyOf(first, 32)).isNotEqualTo(Arrays.copyOf(second, 32));
    }

    // ------------------------------------------------ known answers with a fixed nonce

    @Property(tries = 300)
    void givesTheTextbookSignatureForAFixedNonce(@ForAll("scalars") BigInteger d, @ForAll("scalars") BigInteger k,
                                                 @ForAll @Size(max = 100) byte[] message) {
        assertKnownAnswer(d, k, message);
    }

    @Test
    void givesTheTextbookSignatureAtTheEdges() {
        List<BigInteger> edges = List.of(BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO),
                HALF_N, BigInteger.valueOf(7), BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(31),
                new BigInteger("000000000000000000000000000000000000000000000000000000000000FFFF", 16),
                new BigInteger("0000000000000000000000000000000100000000000000000000000000000000", 16));
        for (BigInteger d : edges) {
            for (BigInteger k : edges) {
                assertKnownAnswer(d, k, MESSAGE);
            }
        }
    }

    @Property(tries = 100)
    void multipliesTheBasePointLikeTheTextbook(@ForAll("scalars") BigInteger k) {
        P256Verifier.Point p = P256Signer.baseMultiply(P256Scalar.words(k));
        BigInteger[] expected = P256Reference.mul(k, G);
        assertThat(p.affine().orElseThrow()).containsExactly(expected[0], expected[1]);
    }

    @Test
    void multipliesTheBasePointByZeroAndByTheOrderToInfinity() {
        assertThat(P256Signer.baseMultiply(new long[8]).affine()).isEmpty();
        assertThat(P256Signer.baseMultiply(P256Scalar.words(N)).affine()).isEmpty();
    }

    private static void assertKnownAnswer(BigInteger d, BigInteger k, byte[] message) {
        BigInteger[] q = P256Reference.mul(d, G);
        P256Signer signer = P256Signer.of(EcP256.privateKey(P256Reference.fixed(d)), P256Reference.publicKey(q));
        assertThat(signer.fast()).isTrue();
        byte[] digest = sha256(message);
        byte[] signature = signer.signDigest(digest, P256Scalar.words(k));

        // Textbook ECDSA: r = x(kG) mod n, s = k^-1 (e + r d) mod n, then the low-s form.
        BigInteger e = new BigInteger(1, digest).mod(N);
        BigInteger r = P256Reference.mul(k, G)[0].mod(N);
        BigInteger s = k.modInverse(N).multiply(e.add(r.multiply(d))).mod(N);
        if (s.compareTo(HALF_N) > 0) {
            s = N.subtract(s);
        }
        assertThat(signature).as("d=%x k=%x", d, k).isEqualTo(P256Reference.sig(r, s));
        assertThat(EcP256.verify(P256Reference.publicKey(q), message, signature)).isTrue();
    }

    // ------------------------------------------------ keys the fast path does not take

    @Test
    void leavesAKeyWhosePublicHalfIsNotItsOwnToTheJdk() {
        KeyPair a = EcP256.generateKeyPair();
        KeyPair b = EcP256.generateKeyPair();
        P256Signer signer = P256Signer.of((ECPrivateKey) a.getPrivate(), (ECPublicKey) b.getPublic());
        assertThat(signer.fast()).isFalse();
        assertThat(EcP256.verify(a.getPublic(), MESSAGE, signer.sign(MESSAGE))).isTrue();
    }

    @Test
    void leavesOtherCurvesToTheJdk() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair pair = generator.generateKeyPair();
        P256Signer signer = P256Signer.of((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        assertThat(signer.fast()).isFalse();
        // Exactly what the SDK does with such a key: it refuses (its format has room for P-256 only).
        assertThatThrownBy(() -> signer.sign(MESSAGE)).isInstanceOf(UnableToSignException.class);
    }

    private static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
