package org.ticketledger.ticketing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.ticketing.internal.P256Reference.G;
import static org.ticketledger.ticketing.internal.P256Reference.N;
import static org.ticketledger.ticketing.internal.P256Reference.P;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.EcP256;

class P256VerifierTest {

    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    private static final byte[] MESSAGE = "TL-SCAN-1\nrecord\ndevice".getBytes(StandardCharsets.UTF_8);

    @Provide
    Arbitrary<BigInteger> scalars() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO),
                        N.shiftRight(1), N.shiftRight(1).add(BigInteger.ONE), BigInteger.ONE.shiftLeft(128)));
    }

    // ------------------------------------------------------------ the group law against the textbook

    @Property(tries = 60)
    void addsAndDoublesPointsLikeTheTextbookFormulas(@ForAll("scalars") BigInteger a, @ForAll("scalars") BigInteger b) {
        BigInteger[] pa = P256Reference.mul(a, G);
        BigInteger[] pb = P256Reference.mul(b, G);
        assertThat(affine(sum(pa, pb))).isEqualTo(Optional.ofNullable(P256Reference.add(pa, pb)).map(List::of));
        assertThat(affine(sum(pa, pa))).isEqualTo(Optional.of(List.of(P256Reference.add(pa, pa))));
        assertThat(affine(sum(pa, P256Reference.negate(pa)))).isEmpty();
        P256Verifier.Point doubled = point(pa);
        doubled.dbl();
        assertThat(affine(doubled)).isEqualTo(Optional.of(List.of(P256Reference.add(pa, pa))));
        // Mixed addition, including onto the point at infinity, onto itself and onto its negation.
        P256Verifier.Point acc = new P256Verifier.Point();
        acc.addAffine(P256Field.of(pa[0]), P256Field.of(pa[1]));
        assertThat(affine(acc)).isEqualTo(Optional.of(List.of(pa)));
        acc.addAffine(P256Field.of(pa[0]), P256Field.of(pa[1]));
        assertThat(affine(acc)).isEqualTo(Optional.of(List.of(P256Reference.add(pa, pa))));
        acc.addAffine(P256Field.of(pb[0]), P256Field.of(pb[1]));
        assertThat(affine(acc)).isEqualTo(Optional.ofNullable(P256Reference.add(P256Reference.add(pa, pa), pb)).map(List::of));
        P256Verifier.Point cancel = point(pb);
        BigInteger[] minusB = P256Reference.negate(pb);
        cancel.addAffine(P256Field.of(minusB[0]), P256Field.of(minusB[1]));
        assertThat(affine(cancel)).isEmpty();
        // The infinity as either operand of the projective addition.
        P256Verifier.Point o = new P256Verifier.Point();
        o.add(point(pa));
        assertThat(affine(o)).isEqualTo(Optional.of(List.of(pa)));
        P256Verifier.Point same = point(pa);
        same.add(new P256Verifier.Point());
        assertThat(affine(same)).isEqualTo(Optional.of(List.of(pa)));
        P256Verifier.Point twiceO = new P256Verifier.Point();
        twiceO.dbl();
        assertThat(affine(twiceO)).isEmpty();
    }

    @Property(tries = 500)
    void recodesScalarsIntoSignedWindowsThatSumBack(@ForAll("anyScalar") BigInteger k, @ForAll @IntRange(min = 2, max = 8) int w) {
        int[] digits = P256Verifier.recode(k, w);
        BigInteger sum = BigInteger.ZERO;
        for (int i = digits.length - 1; i >= 0; i--) {
            assertThat(Math.abs(digits[i])).isLessThanOrEqualTo(1 << (w - 1));
            sum = sum.shiftLeft(w).add(BigInteger.valueOf(digits[i]));
        }
        assertThat(sum).isEqualTo(k);
    }

    @Provide
    Arbitrary<BigInteger> anyScalar() {
        return Arbitraries.oneOf(Arbitraries.bigIntegers().between(BigInteger.ZERO, TWO_256.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, TWO_256.subtract(BigInteger.ONE), N.subtract(BigInteger.ONE),
                        TWO_256.shiftRight(1), TWO_256.shiftRight(1).subtract(BigInteger.ONE)));
    }

    @Test
    void tableEntriesAreTheAffineMultiplesTheyStandFor() {
        BigInteger[] q = P256Reference.mul(BigInteger.valueOf(0xC0FFEE), G);
        for (int w : new int[] {4, 8}) {
            BigInteger[] base = w == 8 ? G : q;
            int[] table = P256Verifier.table(P256Field.of(base[0]), P256Field.of(base[1]), w);
            int per = 1 << (w - 1);
            int positions = table.length / 16 / per;
            for (int[] at : new int[][] {{0, 1}, {0, per}, {1, 3}, {positions / 2, per - 1}, {positions - 1, 1}, {positions - 1, per}}) {
                BigInteger multiple = BigInteger.valueOf(at[1]).shiftLeft(w * at[0]);
                BigInteger[] expected = P256Reference.mul(multiple, base);
                int off = (at[0] * per + at[1] - 1) * 16;
                long[] x = new long[8];
                long[] y = new long[8];
                for (int j = 0; j < 8; j++) {
                    x[j] = table[off + j] & P256Field.MASK;
                    y[j] = table[off + 8 + j] & P256Field.MASK;
                }
                assertThat(List.of(P256Field.toBigInteger(x), P256Field.toBigInteger(y))).isEqualTo(List.of(expected));
            }
        }
    }

    // ------------------------------------------------------------ signatures against the JDK

    @Property(tries = 150)
    void acceptsEveryValidSignatureAsTheJdkDoesHighSIncluded(@ForAll("scalars") BigInteger d, @ForAll("scalars") BigInteger k,
                                                             @ForAll @Size(max = 300) byte[] message) {
        ECPublicKey key = P256Reference.publicKey(P256Reference.mul(d, G));
        BigInteger e = P256Reference.e(message);
        BigInteger r = P256Reference.mul(k, G)[0].mod(N);
        BigInteger s = P256Reference.s(k, e, r, d);
        if (r.signum() == 0 || s.signum() == 0) {
            return; // k the signer must not use; 2^-256 odds
        }
        for (BigInteger anyS : new BigInteger[] {s, N.subtract(s)}) {
            byte[] sig = P256Reference.sig(r, anyS);
            assertThat(P256Verifier.verify(key, message, sig)).isTrue();
            assertThat(EcP256.verify(key, message, sig)).isTrue();
            assertThat(P256Reference.jdkP1363(key, message, sig)).isTrue();
        }
    }

    @Property(tries = 40)
    void acceptsWhatTheJdkSignsAndRefusesEveryMutationAsTheJdkDoes(@ForAll @Size(max = 200) byte[] message,
                                                                  @ForAll @IntRange(min = 0, max = 511) int sigBit,
                                                                  @ForAll @IntRange(min = 0, max = 2399) int messageBit) throws Exception {
        KeyPair pair = keyPair();
        KeyPair other = keyPair();
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(message);
        byte[] sig = signer.sign(); // not normalised: high s about half the time
        PublicKey key = pair.getPublic();
        assertSameAnswer(key, message, sig, true);
        assertSameAnswer(key, message, P256Reference.flipBit(sig, sigBit), false);
        if (message.length > 0) {
            assertSameAnswer(key, P256Reference.flipBit(message, messageBit % (message.length * 8)), sig, false);
        }
        byte[] longer = java.util.Arrays.copyOf(message, message.length + 1);
        assertSameAnswer(key, longer, sig, false);
        assertSameAnswer(other.getPublic(), message, sig, false);
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        assertSameAnswer(key, message, P256Reference.sig(s, r), false);
        for (BigInteger bad : specialValues(r)) {
            assertSameAnswer(key, message, P256Reference.sig(bad, s), false);
        }
        for (BigInteger bad : specialValues(s)) {
            assertSameAnswer(key, message, P256Reference.sig(r, bad), bad.equals(N.subtract(s)));
        }
        assertSameAnswer(key, message, java.util.Arrays.copyOf(sig, 63), false);
        assertSameAnswer(key, message, java.util.Arrays.copyOf(sig, 65), false);
    }

    /** Values the range checks and reductions must get right; each taken mod 2^256 (32 bytes). */
    private static List<BigInteger> specialValues(BigInteger genuine) {
        List<BigInteger> v = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, N.subtract(BigInteger.ONE), N,
                N.add(BigInteger.ONE), P, P.subtract(BigInteger.ONE), P.add(BigInteger.ONE), P.subtract(N),
                TWO_256.subtract(BigInteger.ONE), genuine.add(N), genuine.add(P.subtract(N)), N.subtract(genuine)));
        if (genuine.compareTo(P.subtract(N)) > 0) {
            v.add(genuine.subtract(P.subtract(N)));
        }
        v.removeIf(x -> x.compareTo(TWO_256) >= 0);
        return v;
    }

    private static void assertSameAnswer(PublicKey key, byte[] message, byte[] sig, boolean expected) {
        boolean jdk = EcP256.verify(key, message, sig);
        assertThat(P256Verifier.verify(key, message, sig)).as("ours vs EcP256 (JDK)").isEqualTo(jdk);
        assertThat(jdk).as("the JDK's own answer").isEqualTo(expected);
        if (sig.length == 64) {
            BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
            BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
            if (r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(N) < 0) {
                assertThat(P256Reference.jdkP1363(key, message, sig)).as("JDK P1363").isEqualTo(jdk);
            }
        }
    }

    // ------------------------------------------------------------ hand-built edge cases

    @Test
    void keysOneTwoAndMinusOneSignAndMutateLikeAnyOther() {
        for (BigInteger d : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO)}) {
            ECPublicKey key = P256Reference.publicKey(P256Reference.mul(d, G));
            for (BigInteger k : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, d, N.subtract(d), BigInteger.valueOf(12345)}) {
                BigInteger e = P256Reference.e(MESSAGE);
                BigInteger r = P256Reference.mul(k, G)[0].mod(N);
                BigInteger s = P256Reference.s(k, e, r, d);
                assertSameAnswer(key, MESSAGE, P256Reference.sig(r, s), true);
                assertSameAnswer(key, MESSAGE, P256Reference.sig(r, N.subtract(s)), true);
                assertSameAnswer(key, MESSAGE, P256Reference.sig(r, s.add(BigInteger.ONE).mod(N)), false);
                assertSameAnswer(key, MESSAGE, P256Reference.sig(r.add(BigInteger.ONE), s), false);
            }
        }
        assertSameAnswer(P256Reference.publicKey(G), MESSAGE, P256Reference.sig(BigInteger.ONE, BigInteger.ONE), false);
        assertSameAnswer(P256Reference.publicKey(G), MESSAGE, P256Reference.sig(N.subtract(BigInteger.ONE), N.subtract(BigInteger.ONE)), false);
    }

    @Test
    void refusesWhenUOneGPlusUTwoQIsThePointAtInfinity() {
        BigInteger e = P256Reference.e(MESSAGE);
        BigInteger r = new BigInteger("1234567890abcdef1234567890abcdef", 16);
        BigInteger d = e.negate().multiply(r.modInverse(N)).mod(N); // e + r·d = 0 mod n, whatever s
        ECPublicKey key = P256Reference.publicKey(P256Reference.mul(d, G));
        for (BigInteger s : new BigInteger[] {BigInteger.ONE, BigInteger.valueOf(7), N.subtract(BigInteger.ONE), r}) {
            assertThat(P256Verifier.check(P256Verifier.keyTable(key), e, r, s)).isEqualTo(P256Verifier.XCheck.DIFFERENT);
            assertSameAnswer(key, MESSAGE, P256Reference.sig(r, s), false);
        }
        // Q = G and u1 = -u2: the same cancellation with the simplest key.
        ECPublicKey g = P256Reference.publicKey(G);
        assertSameAnswer(g, MESSAGE, P256Reference.sig(N.subtract(e), BigInteger.valueOf(5)), false);
    }

    @Test
    void acceptsWhenUOneGEqualsUTwoQSoTheSumIsADoubling() {
        BigInteger e = P256Reference.e(MESSAGE);
        for (BigInteger k : new BigInteger[] {BigInteger.valueOf(2), BigInteger.valueOf(0xABCDEF), N.subtract(BigInteger.TWO)}) {
            BigInteger r = P256Reference.mul(k, G)[0].mod(N);
            BigInteger d = e.multiply(r.modInverse(N)).mod(N); // r·d = e: u1·G = u2·Q = (k/2)·G
            BigInteger s = BigInteger.TWO.multiply(e).multiply(k.modInverse(N)).mod(N);
            ECPublicKey key = P256Reference.publicKey(P256Reference.mul(d, G));
            assertSameAnswer(key, MESSAGE, P256Reference.sig(r, s), true);
            assertSameAnswer(key, MESSAGE, P256Reference.sig(r, s.add(BigInteger.ONE)), false);
        }
    }

    @Test
    void reducesADigestAboveTheOrderAsTheJdkDoes() throws Exception {
        // No SHA-256 output above n can be found on purpose; the digest-level entry and the JDK's
        // NONEwithECDSA take any 32 bytes.
        BigInteger d = BigInteger.valueOf(987654321);
        ECPublicKey key = P256Reference.publicKey(P256Reference.mul(d, G));
        for (BigInteger digest : new BigInteger[] {N, N.add(BigInteger.ONE), TWO_256.subtract(BigInteger.ONE), P, N.add(BigInteger.valueOf(1234567))}) {
            BigInteger e = digest.mod(N);
            BigInteger k = BigInteger.valueOf(55555);
            BigInteger r = P256Reference.mul(k, G)[0].mod(N);
            BigInteger s = P256Reference.s(k, e, r, d);
            byte[] bytes = P256Reference.fixed(digest);
            for (byte[] sig : new byte[][] {P256Reference.sig(r, s), P256Reference.sig(r, P256Reference.s(k, digest, r, d).add(BigInteger.ONE).mod(N))}) {
                Signature none = Signature.getInstance("NONEwithECDSAinP1363Format");
                none.initVerify(key);
                none.update(bytes);
                boolean jdk = none.verify(sig);
                assertThat(P256Verifier.decide(key, bytes, sig)).isEqualTo(Optional.of(jdk));
            }
            assertThat(P256Verifier.decide(key, bytes, P256Reference.sig(r, s))).isEqualTo(Optional.of(true));
        }
    }

    @Test
    void leavesXOfROtherThanRButEqualModuloSomethingToTheJdk() {
        BigInteger e = P256Reference.e(MESSAGE);
        // x(R) = r + (p - n): the comparison that differs between JDK builds. Signed with a known key.
        BigInteger d = new BigInteger("123456789abcdef", 16);
        ECPublicKey key = P256Reference.publicKey(P256Reference.mul(d, G));
        BigInteger k = new BigInteger("987654321", 16);
        BigInteger x = P256Reference.mul(k, G)[0];
        assertThat(x).isGreaterThan(P.subtract(N));
        BigInteger r = x.subtract(P.subtract(N));
        BigInteger s = P256Reference.s(k, e, r, d);
        assertThat(P256Verifier.check(P256Verifier.keyTable(key), e, r, s)).isEqualTo(P256Verifier.XCheck.JDK_DEPENDENT);
        assertThat(P256Verifier.verify(key, MESSAGE, P256Reference.sig(r, s))).isEqualTo(EcP256.verify(key, MESSAGE, P256Reference.sig(r, s)));
        assertThat(P256Verifier.verify(key, MESSAGE, P256Reference.sig(r, s))).isEqualTo(P256Reference.jdkP1363(key, MESSAGE, P256Reference.sig(r, s)));

        // x(R) in [n, p) and r = x(R) - n: no key with a known secret reaches it, so Q is solved for
        // from a chosen R: u2·Q = R - u1·G.
        BigInteger rx = N.add(BigInteger.valueOf(5));
        BigInteger[] point = null;
        while (point == null) {
            BigInteger rhs = rx.pow(3).subtract(rx.multiply(BigInteger.valueOf(3))).add(P256Verifier.B).mod(P);
            BigInteger y = rhs.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
            if (y.multiply(y).mod(P).equals(rhs)) {
                point = new BigInteger[] {rx, y};
            } else {
                rx = rx.add(BigInteger.ONE);
            }
        }
        BigInteger r2 = rx.subtract(N);
        BigInteger s2 = BigInteger.valueOf(7);
        BigInteger w = s2.modInverse(N);
        BigInteger u1 = e.multiply(w).mod(N);
        BigInteger u2 = r2.multiply(w).mod(N);
        BigInteger[] q = P256Reference.mul(u2.modInverse(N), P256Reference.add(point, P256Reference.negate(P256Reference.mul(u1, G))));
        ECPublicKey solved = P256Reference.publicKey(q);
        byte[] sig = P256Reference.sig(r2, s2);
        assertThat(P256Verifier.check(P256Verifier.keyTable(solved), e, r2, s2)).isEqualTo(P256Verifier.XCheck.JDK_DEPENDENT);
        assertThat(P256Verifier.verify(solved, MESSAGE, sig)).isEqualTo(EcP256.verify(solved, MESSAGE, sig));
        assertThat(P256Verifier.verify(solved, MESSAGE, sig)).isEqualTo(P256Reference.jdkP1363(solved, MESSAGE, sig));
        // The same R with r = x(R) itself is out of range (x >= n): refused before any arithmetic.
        assertSameAnswer(solved, MESSAGE, P256Reference.sig(rx, s2), false);
    }

    @Test
    void leavesKeysItDoesNotHandleToTheJdk() throws Exception {
        // A point off the curve (an invalid-curve attack's key): no table is built for it.
        ECPublicKey offCurve = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(new ECPoint(BigInteger.ONE, BigInteger.ONE), EcP256.PARAMETERS));
        assertThat(P256Verifier.keyTable(offCurve)).isNull();
        byte[] sig = P256Reference.sig(BigInteger.ONE, BigInteger.ONE);
        assertThat(P256Verifier.verify(offCurve, MESSAGE, sig)).isEqualTo(EcP256.verify(offCurve, MESSAGE, sig)).isFalse();
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        PublicKey other = p384.generateKeyPair().getPublic();
        assertThat(P256Verifier.keyTable(other)).isNull();
        assertThat(P256Verifier.verify(other, MESSAGE, sig)).isFalse();
        // A named-curve key from the JDK's own generator is P-256 by value: handled.
        assertThat(P256Verifier.keyTable(keyPair().getPublic())).isNotNull();
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfKeyTables() {
        for (int i = 0; i < P256Verifier.KEY_CACHE_SIZE + 20; i++) {
            P256Verifier.keyTable(P256Reference.publicKey(P256Reference.mul(BigInteger.valueOf(1000 + i), G)));
        }
        assertThat(P256Verifier.cachedKeys()).isLessThanOrEqualTo(P256Verifier.KEY_CACHE_SIZE);
    }

    // ------------------------------------------------------------ helpers

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static P256Verifier.Point point(BigInteger[] a) {
        P256Verifier.Point p = new P256Verifier.Point();
        if (a != null) {
            p.setAffine(P256Field.of(a[0]), P256Field.of(a[1]));
        }
        return p;
    }

    private static P256Verifier.Point sum(BigInteger[] a, BigInteger[] b) {
        P256Verifier.Point p = point(a);
        p.add(point(b));
        return p;
    }

    private static Optional<List<BigInteger>> affine(P256Verifier.Point p) {
        return p.affine().map(List::of);
    }

    @SuppressWarnings("unused")
    private static byte[] sha256(byte[] m) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(m);
    }
}
