package org.ticketledger.ticketing.device;

/**
 * Why a device request was refused, with the problem {@link #code()} and HTTP status of
 * DEVICE-API.md §3. Codes are stable: apps and the SDK rely on them.
 */
public enum DeviceError {
    /** Unknown, used or expired provisioning token. */
    PROVISIONING_TOKEN_INVALID("provisioning-token-invalid", 401),
    /** Unknown device or credential, or wrong username, password or PIN. */
    INVALID_CREDENTIALS("invalid-credentials", 401),
    /** Unknown, used or expired refresh token. */
    INVALID_REFRESH_TOKEN("invalid-refresh-token", 401),
    /** The access token expired. */
    TOKEN_EXPIRED("token-expired", 401),
    /** No access token, or an unknown one. */
    UNAUTHENTICATED("unauthenticated", 401),
    /** The device was revoked. */
    DEVICE_REVOKED("device-revoked", 403),
    /** The operator was revoked. */
    OPERATOR_REVOKED("operator-revoked", 403),
    /** The operator may not work at the device's spot. */
    OPERATOR_NOT_ALLOWED("operator-not-allowed", 403),
    /** The session was revoked (e.g. a refresh token was used twice). */
    SESSION_REVOKED("session-revoked", 403),
    /** Login with another device key than the registered one. */
    DEVICE_KEY_MISMATCH("device-key-mismatch", 409),
    /** Too many failed logins for this operator or device; retry later. */
    TOO_MANY_ATTEMPTS("too-many-attempts", 429),
    /** A scan record that is not the session's device's or spot's, or badly signed, or replays a nonce. */
    BAD_RECORD("bad-record", 400),
    /** A request that does not follow DEVICE-API.md. */
    MALFORMED_REQUEST("malformed-request", 400),
    /** An Idempotency-Key reused with another body. */
    IDEMPOTENCY_CONFLICT("idempotency-conflict", 422);

    private final String code;
    private final int httpStatus;

    DeviceError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The problem code of DEVICE-API.md (e.g. {@code device-revoked}). */
    public String code() {
        return code;
    }

    /** The HTTP status DEVICE-API.md gives it. */
    public int httpStatus() {
        return httpStatus;
    }
}
