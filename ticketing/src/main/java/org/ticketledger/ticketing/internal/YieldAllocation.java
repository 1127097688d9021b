package org.ticketledger.ticketing.internal;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Splits a plan's yield over its tickets (README, "Yield attribution"): each ticket's weight is
 * the principal it had in the plan times the daily closes it was there (fen × days, summed over
 * the stretches between its invest, its withdraws and the close); ticket i gets
 * {@code floor(Y × wᵢ / W)} fen, and the fen left over (fewer than the number of tickets) go one
 * each to the largest remainders {@code Y × wᵢ mod W}, ties to the earlier ticket. The shares sum
 * to Y exactly. Exact integer arithmetic; stateless.
 */
final class YieldAllocation {

    private YieldAllocation() {
    }

    /**
     * The daily closes (midnights in {@code zone}) in {@code (from, to]}; zero when {@code to} is
     * not after {@code from}. The wealth rail accrues yield on the principal held at each close.
     */
    static long closes(Instant from, Instant to, ZoneId zone) {
        long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(from, zone), LocalDate.ofInstant(to, zone));
        return Math.max(0, days);
    }

    /**
     * Allocates {@code total} (≥ 0) in proportion to {@code weights} (each ≥ 0) by largest
     * remainder. When every weight is zero, nothing can be attributed: all shares are zero and
     * the caller decides (it falls back to amounts).
     */
    static List<Long> allocate(long total, List<BigInteger> weights) {
        Objects.requireNonNull(weights, "weights");
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative");
        }
        BigInteger sum = BigInteger.ZERO;
        for (BigInteger w : weights) {
            if (w.signum() < 0) {
                throw new IllegalArgumentException("weights must not be negative");
            }
            sum = sum.add(w);
        }
        List<Long> shares = new ArrayList<>(weights.size());
        if (sum.signum() == 0) {
            weights.forEach(w -> shares.add(0L));
            return shares;
        }
        BigInteger t = BigInteger.valueOf(total);
        List<BigInteger> remainders = new ArrayList<>(weights.size());
        long given = 0;
        for (BigInteger w : weights) {
            BigInteger[] qr = t.multiply(w).divideAndRemainder(sum);
            long share = qr[0].longValueExact();
            shares.add(share);
            remainders.add(qr[1]);
            given += share;
        }
        long left = total - given;
        List<Integer> order = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            order.add(i);
        }
        // Stable sort: equal remainders keep index order, so ties go to the earlier ticket.
        order.sort(Comparator.comparing((Integer i) -> remainders.get(i)).reversed());
        for (int k = 0; k < left; k++) {
            int i = order.get(k);
            shares.set(i, shares.get(i) + 1);
        }
        return shares;
    }
}
