package org.ticketledger.payment;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Our identifier of one instruction, sent to the rail as its idempotency key (Alipay's
 * {@code out_trade_no} / {@code out_biz_no}). Derive it from the business object (order, payout)
 * so that it is stable across retries and restarts: the same id is what makes a retry safe.
 *
 * @param value letters, digits, '_' and '-', 1-64 characters (what Alipay accepts)
 */
public record RequestId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public RequestId {
        Objects.requireNonNull(value, "request id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid request id \"" + value + "\": use 1-64 of [A-Za-z0-9_-]");
        }
    }

    public static RequestId of(String value) {
        return new RequestId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
