package org.ticketledger.payment;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names a payment rail, e.g. {@link #ALIPAY} or {@link #HUIJINBAO}.
 *
 * @param value upper-case letters, digits and '_', 1-32 characters
 */
public record RailId(String value) {

    // Declared before the constants below: they are validated while the class initialises.
    private static final Pattern VALID = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    /** Alipay (支付宝). */
    public static final RailId ALIPAY = new RailId("ALIPAY");
    /** Huijinbao (汇金宝). */
    public static final RailId HUIJINBAO = new RailId("HUIJINBAO");

    public RailId {
        Objects.requireNonNull(value, "rail id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid rail id \"" + value + "\": use 1-32 of [A-Z0-9_]");
        }
    }

    public static RailId of(String value) {
        return new RailId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
