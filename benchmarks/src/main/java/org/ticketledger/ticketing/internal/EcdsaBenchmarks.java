package org.ticketledger.ticketing.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.ticketledger.verify.EcP256;

/**
 * JMH, single thread: one device scan-record signature check, the JDK's (through the SDK, as
 * before) against {@link P256Verifier} with the key's table cached, and the cost of building a
 * key's table (paid once per gate key); one ticket-code signature, the JDK's through the SDK
 * against {@link P256Signer} (which includes its check with the verifier) and the signer's core
 * alone (fixed nonce, no digest, no check). Lives in the package of the internal classes it calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EcdsaBenchmarks {

    private final ECPublicKey key;
    private final byte[] message;
    private final byte[] signature;
    private final long[] x;
    private final long[] y;
    private final PrivateKey privateKey;
    private final P256Signer signer;
    private final byte[] ticket;
    private final byte[] ticketDigest;
    private final long[] nonce;

    public EcdsaBenchmarks() {
        KeyPair pair = EcP256.generateKeyPair();
        key = (ECPublicKey) pair.getPublic();
        message = ("TL-SCAN-1\n0b6c3c4e-8f1a-4a43-9d7e-2f3c1b9a7d11\ngate-east-01\n1\n4711\n1795651200123\n-35\n42\n"
                + "AAECAwQFBgcICQoLDA0ODw\nTL:6BFOXN*TS0BI$ZDFRH%8EY4%0BEPFGYBG:Q5P9RS8ANAA3S2%I.Z6*Q7")
                .getBytes(StandardCharsets.UTF_8);
        signature = EcP256.sign(pair.getPrivate(), message);
        x = P256Field.of(key.getW().getAffineX());
        y = P256Field.of(key.getW().getAffineY());
        if (!P256Verifier.verify(key, message, signature) || !EcP256.verify(key, message, signature)) {
            throw new IllegalStateException("the benchmark's signature does not verify");
        }
        privateKey = pair.getPrivate();
        signer = P256Signer.of((ECPrivateKey) privateKey, key);
        // The signed bytes of a two-spot ticket code, the size issue-http mints.
        ticket = new byte[33];
        new SecureRandom().nextBytes(ticket);
        try {
            ticketDigest = MessageDigest.getInstance("SHA-256").digest(ticket);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        nonce = P256Scalar.words(new BigInteger(255, new SecureRandom()).add(BigInteger.ONE));
        if (!signer.fast() || !EcP256.verify(key, ticket, signer.sign(ticket))
                || !EcP256.verify(key, ticket, signer.signDigest(ticketDigest, nonce))) {
            throw new IllegalStateException("the benchmark's signer does not sign");
        }
    }

    @Benchmark
    public boolean verifyJdk() {
        return EcP256.verify(key, message, signature);
    }

    @Benchmark
    public boolean verifyFast() {
        return P256Verifier.verify(key, message, signature);
    }

    @Benchmark
    public byte[] signJdk() {
        return EcP256.sign(privateKey, ticket);
    }

    @Benchmark
    public byte[] signFast() {
        return signer.sign(ticket);
    }

    @Benchmark
    public byte[] signFastCoreOnly() {
        return signer.signDigest(ticketDigest, nonce);
    }

    @Benchmark
    public int[] buildKeyTable() {
        return P256Verifier.table(x, y, P256Verifier.Q_WINDOW);
    }
}
