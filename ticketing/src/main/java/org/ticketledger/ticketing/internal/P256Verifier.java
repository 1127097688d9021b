package org.ticketledger.ticketing.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Optional;
import org.ticketledger.verify.EcP256;

/**
 * Verify-only ECDSA P-256 / SHA-256 over compact {@code r || s} signatures, several times faster
 * than the JDK's, with exactly {@link EcP256#verify(PublicKey, byte[], byte[])}'s answers.
 *
 * <p>Why it is faster: R = u1·G + u2·Q is a sum of precomputed affine multiples only, with no
 * doubling — a fixed table of G (signed 8-bit windows) built once, and one of each public key
 * (signed 6-bit windows) built on its first use and kept in a bounded cache, because a gate's key
 * signs every scan it makes. The additions are the complete formulas of Renes, Costello and Batina
 * (2016, algorithms 4–6, a = -3), so doubling, the neutral element and P = -Q need no special case.
 * Nothing here is constant-time: a verification only handles public data.
 *
 * <p>Why the answers are the JDK's: r and s outside [1, n-1] are refused before anything (as
 * {@code EcP256.verify} does); e is the SHA-256 digest reduced mod n, u1 = e/s, u2 = r/s mod n as
 * in the JDK; R = O is refused (the JDK's affine x of O is 0, never equal to r). The last step
 * differs between JDK builds: JDK 17 compares (r - x(R)) mod p with 0 mod n, which accepts
 * x(R) = r + p - n and refuses x(R) = r + n, later JDKs compare x(R) mod n with r. Both accept
 * x(R) = r, and both refuse any x(R) outside {r, r + n, r + p - n}; for those two rare values
 * (only a signer that wants them can reach them) this class asks the running JDK. Keys that are
 * not P-256 points on the curve, which provisioning never accepts, also go to the JDK.
 *
 * <p>Thread-safe; static methods only; never throws for bad input.
 */
final class P256Verifier {

    static final BigInteger N = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    static final BigInteger B = new BigInteger("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", 16);
    static final BigInteger GX = new BigInteger("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", 16);
    static final BigInteger GY = new BigInteger("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", 16);
    private static final BigInteger P = P256Field.P;
    private static final BigInteger P_MINUS_N = P.subtract(N);
    private static final long[] B_FE = P256Field.of(B);

    private static final int G_WINDOW = 8;
    /**
     * 6 rather than 4: 44 additions for u2·Q instead of 65 (77 in all instead of 98), for a table of
     * about 90 KB per key instead of 33 KB, built in a few ms on a key's first scan. The verify is
     * the largest share of the app's CPU in redeem-http (JFR), and a gate's key signs every scan.
     */
    static final int Q_WINDOW = 6;
    /** Tables of this many keys at most (about 90 KB each, 45 MB if all were used); gates of one site stay far below. */
    static final int KEY_CACHE_SIZE = 512;
    private static final int[] G_TABLE = table(P256Field.of(GX), P256Field.of(GY), G_WINDOW);
    /** Bounded: a dropped key only costs a rebuild (a few ms). */
    private static final BoundedCache<ECPoint, int[]> KEY_TABLES = new BoundedCache<>(KEY_CACHE_SIZE);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(P256Verifier::sha256);

    /** How x(R) relates to r. */
    enum XCheck { EQUAL, JDK_DEPENDENT, DIFFERENT }

    private P256Verifier() {
    }

    /** Whether {@code signature} (64 bytes, r || s) verifies over {@code message} with {@code key}. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        Optional<Boolean> fast = decide(key, sha.digest(message), signature);
        return fast.isPresent() ? fast.get() : EcP256.verify(key, message, signature);
    }

    /**
     * The answer for a SHA-256 {@code digest} of the message, or empty when the running JDK must
     * be asked (a key this class does not handle, or x(R) in {r + n, r + p - n}).
     */
    static Optional<Boolean> decide(PublicKey key, byte[] digest, byte[] signature) {
        int[] keyTable = keyTable(key);
        if (keyTable == null) {
            return Optional.empty();
        }
        if (signature.length != EcP256.SIGNATURE_LENGTH) {
            return Optional.of(false);
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(N) >= 0) {
            return Optional.of(false);
        }
        // The JDK takes the leftmost order-length bytes of the digest (all 32 of SHA-256), reduced mod n.
        BigInteger e = new BigInteger(1, Arrays.copyOf(digest, Math.min(digest.length, 32))).mod(N);
        switch (check(keyTable, e, r, s)) {
            case EQUAL:
                return Optional.of(true);
            case JDK_DEPENDENT:
                return Optional.empty();
            default:
                return Optional.of(false);
        }
    }

    /** The core: compares x(u1·G + u2·Q) with r for 1 <= r, s < n and e < n. */
    static XCheck check(int[] keyTable, BigInteger e, BigInteger r, BigInteger s) {
        BigInteger w = P256Scalar.inverseVartime(s);
        BigInteger u1 = e.multiply(w).mod(N);
        BigInteger u2 = r.multiply(w).mod(N);
        Point acc = new Point();
        acc.addDigits(G_TABLE, recode(u1, G_WINDOW), G_WINDOW);
        acc.addDigits(keyTable, recode(u2, Q_WINDOW), Q_WINDOW);
        if (P256Field.isZero(acc.z)) {
            return XCheck.DIFFERENT;
        }
        if (acc.xIs(r)) {
            return XCheck.EQUAL;
        }
        BigInteger plusN = r.add(N);
        if ((plusN.compareTo(P) < 0 && acc.xIs(plusN)) || acc.xIs(r.add(P_MINUS_N))) {
            return XCheck.JDK_DEPENDENT;
        }
        return XCheck.DIFFERENT;
    }

    /** The cached table of a usable P-256 key, built on first use; null when the JDK must decide. */
    static int[] keyTable(PublicKey key) {
        if (!(key instanceof ECPublicKey)) {
            return null;
        }
        ECPublicKey ec = (ECPublicKey) key;
        ECPoint w = ec.getW();
        int[] cached = KEY_TABLES.get(w);
        if (cached != null && isP256(ec.getParams())) {
            return cached;
        }
        if (!isP256(ec.getParams()) || !onCurve(w)) {
            return null;
        }
        return KEY_TABLES.computeIfAbsent(w, p -> table(P256Field.of(p.getAffineX()), P256Field.of(p.getAffineY()), Q_WINDOW));
    }

    static int cachedKeys() {
        return KEY_TABLES.size();
    }

    static boolean isP256(ECParameterSpec params) {
        ECParameterSpec ours = EcP256.PARAMETERS;
        return params != null && params.getCofactor() == 1 && ours.getOrder().equals(params.getOrder())
                && ours.getCurve().equals(params.getCurve()) && ours.getGenerator().equals(params.getGenerator());
    }

    /** Not the point at infinity, coordinates in [0, p), y^2 = x^3 - 3x + b. */
    static boolean onCurve(ECPoint w) {
        if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
            return false;
        }
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger rhs = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
        return y.multiply(y).mod(P).equals(rhs);
    }

    /**
     * Signed windows of width w, least significant first: k = sum d[i]·2^(w·i), each d[i] in
     * [-2^(w-1), 2^(w-1)], one position more than the bits need for the last carry.
     */
    static int[] recode(BigInteger k, int w) {
        int positions = (256 + w - 1) / w + 1;
        int[] d = new int[positions];
        int half = 1 << (w - 1);
        int carry = 0;
        for (int i = 0; i < positions; i++) {
            int v = bits(k, i * w, w) + carry;
            if (v > half) {
                v -= 1 << w;
                carry = 1;
            } else {
                carry = 0;
            }
            d[i] = v;
        }
        if (carry != 0) {
            throw new IllegalStateException("scalar wider than 256 bits");
        }
        return d;
    }

    private static int bits(BigInteger k, int from, int count) {
        int v = 0;
        for (int b = count - 1; b >= 0; b--) {
            v = (v << 1) | (k.testBit(from + b) ? 1 : 0);
        }
        return v;
    }

    /**
     * Affine multiples d·2^(w·i)·P for every position i of {@link #recode} and d in 1..2^(w-1),
     * 16 words each (x then y) at ((i·2^(w-1)) + d - 1)·16. P has prime order n, so no entry is
     * the point at infinity (d·2^(w·i) is never a multiple of n).
     */
    static int[] table(long[] px, long[] py, int w) {
        int positions = (256 + w - 1) / w + 1;
        int per = 1 << (w - 1);
        int count = positions * per;
        long[][] xs = new long[count][];
        long[][] ys = new long[count][];
        long[][] zs = new long[count][];
        Point base = new Point();
        base.setAffine(px, py);
        Point m = new Point();
        int k = 0;
        for (int i = 0; i < positions; i++) {
            m.set(base);
            for (int d = 1; d <= per; d++) {
                if (d == 2) {
                    m.dbl();
                } else if (d > 2) {
                    m.add(base);
                }
                xs[k] = m.x.clone();
                ys[k] = m.y.clone();
                zs[k] = m.z.clone();
                k++;
            }
            base.set(m);
            base.dbl();
        }
        // One inversion for all: prefix products, then walk back (Montgomery's trick).
        long[][] prefix = new long[count][];
        long[] acc = zs[0].clone();
        prefix[0] = acc.clone();
        for (int i = 1; i < count; i++) {
            P256Field.mul(acc, acc, zs[i]);
            prefix[i] = acc.clone();
        }
        if (P256Field.isZero(acc)) {
            throw new IllegalStateException("a table entry is the point at infinity");
        }
        long[] inv = P256Field.of(P256Field.toBigInteger(acc).modInverse(P));
        int[] table = new int[count * 16];
        long[] zInv = new long[8];
        long[] v = new long[8];
        for (int i = count - 1; i >= 0; i--) {
            if (i > 0) {
                P256Field.mul(zInv, inv, prefix[i - 1]);
                P256Field.mul(inv, inv, zs[i]);
            } else {
                System.arraycopy(inv, 0, zInv, 0, 8);
            }
            P256Field.mul(v, xs[i], zInv);
            for (int j = 0; j < 8; j++) {
                table[i * 16 + j] = (int) v[j];
            }
            P256Field.mul(v, ys[i], zInv);
            for (int j = 0; j < 8; j++) {
                table[i * 16 + 8 + j] = (int) v[j];
            }
        }
        return table;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * A projective point (X : Y : Z), x = X/Z, with its scratch space; mutable, one thread.
     * {@link #addAffine} and {@link #set} also run on the signer's secret k·G: they must stay
     * straight-line field arithmetic, with no test of a coordinate (see {@link P256Signer}).
     */
    static final class Point {
        final long[] x = new long[8];
        final long[] y = {1, 0, 0, 0, 0, 0, 0, 0};
        final long[] z = new long[8];
        private final long[] xx = new long[8];
        private final long[] yy = new long[8];
        private final long[] zz = new long[8];
        private final long[] xy = new long[8];
        private final long[] yz = new long[8];
        private final long[] xz = new long[8];
        private final long[] a = new long[8];
        private final long[] b = new long[8];
        private final long[] yyMinus = new long[8];
        private final long[] yyPlus = new long[8];
        private final long[] bxz3 = new long[8];
        private final long[] xx3MinusZz3 = new long[8];
        private final long[] tx = new long[8];
        private final long[] ty = new long[8];

        /** The point at infinity, (0 : 1 : 0). */
        Point() {
        }

        void set(Point o) {
            System.arraycopy(o.x, 0, x, 0, 8);
            System.arraycopy(o.y, 0, y, 0, 8);
            System.arraycopy(o.z, 0, z, 0, 8);
        }

        void setAffine(long[] ax, long[] ay) {
            System.arraycopy(ax, 0, x, 0, 8);
            System.arraycopy(ay, 0, y, 0, 8);
            Arrays.fill(z, 0);
            z[0] = 1;
        }

        /** Adds sum d[i]·T[i] for the table of {@link #table} and the digits of {@link #recode}. */
        void addDigits(int[] table, int[] digits, int w) {
            int per = 1 << (w - 1);
            for (int i = 0; i < digits.length; i++) {
                int d = digits[i];
                if (d == 0) {
                    continue;
                }
                int at = ((i * per) + Math.abs(d) - 1) * 16;
                for (int j = 0; j < 8; j++) {
                    tx[j] = table[at + j] & P256Field.MASK;
                    ty[j] = table[at + 8 + j] & P256Field.MASK;
                }
                if (d < 0) {
                    P256Field.neg(ty, ty);
                }
                addAffine(tx, ty);
            }
        }

        /** this += (ax, ay), an affine point (never infinity): RCB algorithm 5, a = -3. */
        void addAffine(long[] ax, long[] ay) {
            P256Field.mul(xx, x, ax);
            P256Field.mul(yy, y, ay);
            P256Field.add(a, x, y);
            P256Field.add(b, ax, ay);
            P256Field.mul(xy, a, b);
            P256Field.add(a, xx, yy);
            P256Field.sub(xy, xy, a);             // X1·y2 + Y1·x2
            P256Field.mul(yz, ay, z);
            P256Field.add(yz, yz, y);             // y2·Z1 + Y1
            P256Field.mul(xz, ax, z);
            P256Field.add(xz, xz, x);             // x2·Z1 + X1
            P256Field.mul(a, B_FE, z);
            P256Field.sub(a, xz, a);
            P256Field.add(b, a, a);
            P256Field.add(a, b, a);               // 3(xz - b·Z1)
            P256Field.sub(yyMinus, yy, a);
            P256Field.add(yyPlus, yy, a);
            P256Field.add(zz, z, z);
            P256Field.add(zz, zz, z);             // 3·Z1
            P256Field.mul(a, B_FE, xz);
            P256Field.add(b, zz, xx);
            P256Field.sub(a, a, b);
            P256Field.add(b, a, a);
            P256Field.add(bxz3, b, a);            // 3(b·xz - 3·Z1 - xx)
            P256Field.add(a, xx, xx);
            P256Field.add(a, a, xx);
            P256Field.sub(xx3MinusZz3, a, zz);    // 3·xx - 3·Z1
            finish();
        }

        /** this += o, projective: RCB algorithm 4, a = -3. */
        void add(Point o) {
            P256Field.mul(xx, x, o.x);
            P256Field.mul(yy, y, o.y);
            P256Field.mul(zz, z, o.z);
            P256Field.add(a, x, y);
            P256Field.add(b, o.x, o.y);
            P256Field.mul(xy, a, b);
            P256Field.add(a, xx, yy);
            P256Field.sub(xy, xy, a);
            P256Field.add(a, y, z);
            P256Field.add(b, o.y, o.z);
            P256Field.mul(yz, a, b);
            P256Field.add(a, yy, zz);
            P256Field.sub(yz, yz, a);
            P256Field.add(a, x, z);
            P256Field.add(b, o.x, o.z);
            P256Field.mul(xz, a, b);
            P256Field.add(a, xx, zz);
            P256Field.sub(xz, xz, a);
            P256Field.mul(a, B_FE, zz);
            P256Field.sub(a, xz, a);
            P256Field.add(b, a, a);
            P256Field.add(a, b, a);               // 3(xz - b·zz)
            P256Field.sub(yyMinus, yy, a);
            P256Field.add(yyPlus, yy, a);
            P256Field.add(b, zz, zz);
            P256Field.add(zz, b, zz);             // 3·zz
            P256Field.mul(a, B_FE, xz);
            P256Field.add(b, zz, xx);
            P256Field.sub(a, a, b);
            P256Field.add(b, a, a);
            P256Field.add(bxz3, b, a);            // 3(b·xz - 3·zz - xx)
            P256Field.add(a, xx, xx);
            P256Field.add(a, a, xx);
            P256Field.sub(xx3MinusZz3, a, zz);    // 3·xx - 3·zz
            finish();
        }

        /** X3, Y3, Z3 from the shared tail of algorithms 4 and 5. */
        private void finish() {
            P256Field.mul(a, yyPlus, xy);
            P256Field.mul(b, yz, bxz3);
            P256Field.sub(x, a, b);
            P256Field.mul(a, yyPlus, yyMinus);
            P256Field.mul(b, xx3MinusZz3, bxz3);
            P256Field.add(y, a, b);
            P256Field.mul(a, yyMinus, yz);
            P256Field.mul(b, xy, xx3MinusZz3);
            P256Field.add(z, a, b);
        }

        /** this = 2·this: RCB algorithm 6, a = -3. */
        void dbl() {
            P256Field.mul(xx, x, x);
            P256Field.mul(yy, y, y);
            P256Field.mul(zz, z, z);
            P256Field.mul(xy, x, y);
            P256Field.add(xy, xy, xy);            // 2XY
            P256Field.mul(xz, x, z);
            P256Field.add(xz, xz, xz);            // 2XZ
            P256Field.mul(a, B_FE, zz);
            P256Field.sub(a, a, xz);
            P256Field.add(b, a, a);
            P256Field.add(a, b, a);               // 3(b·zz - 2XZ)
            P256Field.sub(yyMinus, yy, a);
            P256Field.add(yyPlus, yy, a);
            P256Field.add(b, zz, zz);
            P256Field.add(zz, b, zz);             // 3·zz
            P256Field.mul(a, B_FE, xz);
            P256Field.add(b, zz, xx);
            P256Field.sub(a, a, b);
            P256Field.add(b, a, a);
            P256Field.add(bxz3, b, a);            // 3(b·2XZ - 3·zz - xx)
            P256Field.add(a, xx, xx);
            P256Field.add(a, a, xx);
            P256Field.sub(xx3MinusZz3, a, zz);    // 3·xx - 3·zz
            P256Field.mul(yz, y, z);
            P256Field.add(yz, yz, yz);            // 2YZ
            // Y3 = yy+·yy- + (3xx - 3zz)·bxz6; X3 = yy-·2XY - bxz6·2YZ; Z3 = 4·2YZ·yy
            P256Field.mul(a, yyPlus, yyMinus);
            P256Field.mul(b, xx3MinusZz3, bxz3);
            P256Field.add(y, a, b);
            P256Field.mul(a, yyMinus, xy);
            P256Field.mul(b, bxz3, yz);
            P256Field.sub(x, a, b);
            P256Field.mul(a, yz, yy);
            P256Field.add(a, a, a);
            P256Field.add(z, a, a);
        }

        /** Whether X = c·Z, i.e. x = c, for 0 <= c < p (callers ensure Z != 0). */
        boolean xIs(BigInteger c) {
            P256Field.mul(a, P256Field.of(c), z);
            return P256Field.equal(a, x);
        }

        /** The affine (x, y), or empty for the point at infinity; for tests. */
        Optional<BigInteger[]> affine() {
            if (P256Field.isZero(z)) {
                return Optional.empty();
            }
            BigInteger zi = P256Field.toBigInteger(z).modInverse(P);
            return Optional.of(new BigInteger[] {P256Field.toBigInteger(x).multiply(zi).mod(P),
                    P256Field.toBigInteger(y).multiply(zi).mod(P)});
        }
    }
}
