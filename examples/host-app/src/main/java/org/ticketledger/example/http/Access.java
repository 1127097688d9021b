package org.ticketledger.example.http;

/**
 * Who may call a route. Each API family has its own credentials so that a leaked key of one kind
 * opens nothing of another: distributors sign requests with an API key, admins and auditors send
 * bearer tokens, devices send the access token from their login.
 */
public enum Access {
    /** No credentials: health, metrics, the OpenAPI document, rail callbacks (which verify the rail's own signature). */
    PUBLIC,
    /** A distributor's HMAC-signed request; subject to the distributor's rate limit. */
    DISTRIBUTOR,
    /** An admin bearer token with the operator role (may change things). */
    ADMIN,
    /** An admin bearer token with the operator or the read-only auditor role. */
    ADMIN_READ,
    /**
     * A device access token from the device login, checked by the route itself (the device API
     * answers DEVICE-API.md's own problems); only for {@code selfAuthenticating} routes.
     */
    DEVICE
}
