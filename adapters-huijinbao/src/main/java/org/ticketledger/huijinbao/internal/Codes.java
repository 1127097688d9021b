package org.ticketledger.huijinbao.internal;

import org.ticketledger.payment.DeclineReason;

/** HJB-API v1 error codes (PROTOCOL.md, "Errors") and how they classify as SPI decline reasons. */
public final class Codes {

    // Business refusals: 422, recorded as a FAILED order under the request id.
    public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
    public static final String ACCOUNT_UNKNOWN = "ACCOUNT_UNKNOWN";
    public static final String ACCOUNT_FROZEN = "ACCOUNT_FROZEN";
    public static final String PLAN_UNKNOWN = "PLAN_UNKNOWN";
    public static final String PLAN_CLOSED = "PLAN_CLOSED";
    public static final String AMOUNT_EXCEEDS_POSITION = "AMOUNT_EXCEEDS_POSITION";
    public static final String AMOUNT_LIMIT_EXCEEDED = "AMOUNT_LIMIT_EXCEEDED";

    // Protocol errors: nothing recorded, nothing moved (except INTERNAL_ERROR: outcome unknown).
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String KEY_UNKNOWN = "KEY_UNKNOWN";
    public static final String SIGNATURE_INVALID = "SIGNATURE_INVALID";
    public static final String TIMESTAMP_OUT_OF_WINDOW = "TIMESTAMP_OUT_OF_WINDOW";
    public static final String NONCE_REPLAYED = "NONCE_REPLAYED";
    public static final String ACCOUNT_NOT_AUTHORIZED = "ACCOUNT_NOT_AUTHORIZED";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String ORDER_NOT_FOUND = "ORDER_NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String TRY_AGAIN = "TRY_AGAIN";

    private Codes() {
    }

    /** The SPI reason for a business refusal code; unknown codes are {@link DeclineReason#REJECTED_OTHER}. */
    public static DeclineReason declineReason(String code) {
        return switch (code) {
            case INSUFFICIENT_FUNDS -> DeclineReason.INSUFFICIENT_FUNDS;
            case ACCOUNT_UNKNOWN, ACCOUNT_FROZEN -> DeclineReason.ACCOUNT_INVALID;
            case PLAN_CLOSED -> DeclineReason.PLAN_CLOSED;
            case AMOUNT_EXCEEDS_POSITION -> DeclineReason.AMOUNT_EXCEEDS_POSITION;
            case AMOUNT_LIMIT_EXCEEDED -> DeclineReason.LIMIT_EXCEEDED;
            default -> DeclineReason.REJECTED_OTHER;
        };
    }
}
