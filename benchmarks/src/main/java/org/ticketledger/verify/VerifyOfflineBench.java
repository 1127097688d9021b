package org.ticketledger.verify;

import java.security.KeyPair;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The device's offline verification (decode, signature, validity, spot, revocation and local
 * redemption checks) measured against the bare JDK ECDSA P-256 verification in the same run.
 * Lives in the SDK's package to drive its package-private verifier directly, without a server.
 */
public final class VerifyOfflineBench {

    /** Verifications per second of the SDK path and of the bare JDK, each over {@code seconds}. */
    public record Rates(double sdkPerSecond, double jdkPerSecond, long sdkOps, long errors, double p50Micros, double p99Micros) {
    }

    private VerifyOfflineBench() {
    }

    public static Rates run(int seconds) throws Exception {
        KeyPair issuer = EcP256.generateKeyPair();
        Instant now = Instant.parse("2026-11-26T02:00:00Z");
        TicketPayload payload = TicketPayload.builder().keyId(7).ticketId(123_456_789L).productId(42).spotIds(1001)
                .validFrom(now.minusSeconds(3600)).validUntil(now.plusSeconds(86_400)).uses(1).build();
        String code = TicketCodec.mint(payload, issuer.getPrivate());
        KeySet keys = new KeySet(1, List.of(new IssuerKey(7, (java.security.interfaces.ECPublicKey) issuer.getPublic(),
                now.minusSeconds(86_400), now.plusSeconds(86_400 * 30))));
        OfflineVerifier verifier = new OfflineVerifier(new Reasons(ZoneId.of("Asia/Shanghai")));
        OfflineVerifier.Context context = new OfflineVerifier.Context(keys, RevocationList.empty(), new ScenicSpot(1001, "West Lake"),
                "dev-1", Optional.of("north"), now, now.minusSeconds(60), Optional.of(now.minusSeconds(60)),
                Duration.ofHours(24), Duration.ofMinutes(5), new LocalRedemptions());

        byte[] message = TicketCodec.encodePayload(payload);
        byte[] der = EcP256.toDer(EcP256.sign(issuer.getPrivate(), message));
        Signature jdk = Signature.getInstance("SHA256withECDSA");

        // Warm up both paths so neither is measured in the interpreter.
        long errors = 0;
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            if (!verifier.verify(code, context).admits()) {
                errors++;
            }
            jdkVerify(jdk, issuer, message, der);
        }
        errors = 0;
        long[] lat = new long[1 << 20];
        int n = 0;
        long m = 0;
        long sdkNanos = 0;
        long jdkNanos = 0;
        // Alternate short slices of both so that load from elsewhere on the machine hits both alike.
        long slice = 250_000_000L;
        long stopAt = System.nanoTime() + seconds * 2_000_000_000L;
        while (System.nanoTime() < stopAt) {
            long s0 = System.nanoTime();
            long sliceEnd = s0 + slice;
            long t;
            while ((t = System.nanoTime()) < sliceEnd) {
                if (!verifier.verify(code, context).admits()) {
                    errors++;
                }
                long d = System.nanoTime() - t;
                if (n < lat.length) {
                    lat[n] = d;
                }
                n++;
            }
            long s1 = System.nanoTime();
            sdkNanos += s1 - s0;
            sliceEnd = s1 + slice;
            while (System.nanoTime() < sliceEnd) {
                if (!jdkVerify(jdk, issuer, message, der)) {
                    errors++;
                }
                m++;
            }
            jdkNanos += System.nanoTime() - s1;
        }
        double sdk = n / (sdkNanos / 1e9);
        double bare = m / (jdkNanos / 1e9);
        int k = Math.min(n, lat.length);
        long[] sorted = java.util.Arrays.copyOf(lat, k);
        java.util.Arrays.sort(sorted);
        return new Rates(sdk, bare, n, errors, sorted[Math.max(0, (int) Math.ceil(0.5 * k) - 1)] / 1e3,
                sorted[Math.max(0, (int) Math.ceil(0.99 * k) - 1)] / 1e3);
    }

    private static boolean jdkVerify(Signature jdk, KeyPair issuer, byte[] message, byte[] der) throws Exception {
        try {
            jdk.initVerify(issuer.getPublic());
            jdk.update(message);
            return jdk.verify(der);
        } catch (SignatureException e) {
            return false;
        }
    }
}
