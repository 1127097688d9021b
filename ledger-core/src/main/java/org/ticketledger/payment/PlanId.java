package org.ticketledger.payment;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies a wealth plan (理财计划) at a wealth-capable rail.
 *
 * @param value letters, digits, '_' and '-', 1-64 characters
 */
public record PlanId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public PlanId {
        Objects.requireNonNull(value, "plan id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid plan id \"" + value + "\": use 1-64 of [A-Za-z0-9_-]");
        }
    }

    public static PlanId of(String value) {
        return new PlanId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
