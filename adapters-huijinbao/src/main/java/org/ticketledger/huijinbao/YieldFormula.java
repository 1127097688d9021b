package org.ticketledger.huijinbao;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.ticketledger.huijinbao.internal.Wire;

/**
 * The HJB-API v1 yield rule (PROTOCOL.md, "Yield"), in exact integer arithmetic so that anyone
 * can recompute, to the fen, what the rail pays:
 *
 * <pre>
 *   basis  = Σ over every daily close while the position is open: principal_fen × annual_rate_bp
 *   yield  = floor(basis / 3,650,000)          (3,650,000 = 10,000 bp × 365 days)
 * </pre>
 *
 * A daily close is 00:00 Beijing time (UTC+8); the principal counted is the one held at that
 * instant, the rate the one in force then. Simple interest (yield never earns yield), ACT/365
 * fixed, one rounding (down) when yield is read or paid. The basis is additive: split the
 * principal into lots, compute each lot's basis, and the lots' bases sum to the position's basis
 * exactly, which is what makes per-ticket attribution reconcile to the fen.
 *
 * <p>Stateless and thread-safe; never returns null.
 */
public final class YieldFormula {

    /** 10,000 basis points × 365 days. */
    public static final long DIVISOR = 3_650_000L;

    private static final BigInteger BIG_DIVISOR = BigInteger.valueOf(DIVISOR);

    private YieldFormula() {
    }

    /**
     * The basis contributed by {@code principalFen} held over {@code closes} daily closes at
     * {@code annualRateBp}.
     *
     * @throws IllegalArgumentException for negative arguments
     */
    public static BigInteger basis(long principalFen, int annualRateBp, long closes) {
        if (principalFen < 0 || annualRateBp < 0 || closes < 0) {
            throw new IllegalArgumentException("principal, rate and closes must not be negative");
        }
        return BigInteger.valueOf(principalFen).multiply(BigInteger.valueOf(annualRateBp))
                .multiply(BigInteger.valueOf(closes));
    }

    /**
     * The yield in fen for a basis: {@code floor(basis / 3,650,000)}.
     *
     * @throws IllegalArgumentException for a negative basis
     * @throws ArithmeticException      if the yield does not fit a long
     */
    public static long yieldFen(BigInteger basis) {
        Objects.requireNonNull(basis, "basis");
        if (basis.signum() < 0) {
            throw new IllegalArgumentException("basis must not be negative");
        }
        return basis.divide(BIG_DIVISOR).longValueExact();
    }

    /**
     * How many daily closes (00:00 Beijing time) lie in {@code (from, to]}; zero when {@code to}
     * is not after {@code from}. An instant exactly at midnight is after that day's close.
     */
    public static long closesBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        long days = ChronoUnit.DAYS.between(Wire.businessDay(from), Wire.businessDay(to));
        return Math.max(0, days);
    }
}
