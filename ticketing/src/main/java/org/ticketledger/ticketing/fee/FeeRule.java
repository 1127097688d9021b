package org.ticketledger.ticketing.fee;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Currency;
import java.util.Objects;
import java.util.OptionalLong;
import org.ticketledger.ledger.Money;

/**
 * A fee: {@code fixed + amount × basisPoints / 10 000}, then raised to {@code min} and capped at
 * {@code max}, all in minor units (fen) of the platform currency.
 *
 * <p>Rounding rule: the proportional part is rounded half-up to the fen (amounts are positive, so
 * half-up is half-away-from-zero); fixed, min and max are exact. The computation is exact in
 * {@code long} and throws {@link ArithmeticException} only if the fee itself overflows.
 *
 * <p>Validated with Bean Validation when set through {@link Fees}; a rule read back is valid.
 *
 * @param fixedMinor   the fixed part, >= 0
 * @param basisPoints  the proportional part in 1/10 000, 0-10 000
 * @param minMinor     the least fee, >= 0
 * @param maxMinor     the greatest fee, >= min, if capped
 */
public record FeeRule(@PositiveOrZero long fixedMinor, @Min(0) @Max(10_000) int basisPoints,
                      @PositiveOrZero long minMinor, OptionalLong maxMinor) {

    public FeeRule {
        Objects.requireNonNull(maxMinor, "maxMinor");
    }

    /** No fee. */
    public static final FeeRule NONE = new FeeRule(0, 0, 0, OptionalLong.empty());

    /** A fixed fee. */
    public static FeeRule fixed(long minor) {
        return new FeeRule(minor, 0, 0, OptionalLong.empty());
    }

    /** A proportional fee with bounds. */
    public static FeeRule proportional(int basisPoints, long minMinor, long maxMinor) {
        return new FeeRule(0, basisPoints, minMinor, OptionalLong.of(maxMinor));
    }

    /** Whether max (if any) is at least min. */
    @AssertTrue(message = "max must be at least min")
    public boolean isMaxAtLeastMin() {
        return maxMinor.isEmpty() || maxMinor.getAsLong() >= minMinor;
    }

    /** The fee on {@code amount} (which must be >= 0), in the amount's currency. */
    public Money feeOn(Money amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("fee base must not be negative: " + amount);
        }
        long a = amount.minor();
        // a × bp / 10 000 without an intermediate overflow: split a into q × 10 000 + r.
        long q = a / 10_000;
        long r = a % 10_000;
        long proportional = Math.addExact(Math.multiplyExact(q, basisPoints), (r * basisPoints + 5_000) / 10_000);
        long fee = Math.addExact(fixedMinor, proportional);
        fee = Math.max(fee, minMinor);
        if (maxMinor.isPresent()) {
            fee = Math.min(fee, maxMinor.getAsLong());
        }
        return Money.of(fee, amount.currency());
    }

    /** The fee in {@code currency} for a zero amount (fixed and min only). */
    public Money floor(Currency currency) {
        return feeOn(Money.zero(currency));
    }
}
