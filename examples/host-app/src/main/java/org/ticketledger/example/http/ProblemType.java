package org.ticketledger.example.http;

import java.net.URI;
import java.util.Locale;

/**
 * The stable catalogue of problem types the platform answers with (RFC 9457). Clients switch on
 * {@link #uri()}, never on the human-readable title or detail. New kinds of failure get a new
 * constant; an existing constant's slug and status never change once published.
 */
public enum ProblemType {
    /** The request body is not well-formed JSON (or duplicates a key). */
    MALFORMED_JSON(400, "Malformed JSON"),
    /** A query parameter, path parameter or header has the wrong form. */
    BAD_REQUEST(400, "Bad request"),
    /** A money-moving POST came without an {@code Idempotency-Key} header. */
    IDEMPOTENCY_KEY_REQUIRED(400, "Idempotency-Key required"),
    /** No credentials, or credentials in the wrong scheme, for a protected route. */
    AUTHENTICATION_REQUIRED(401, "Authentication required"),
    /** An unknown or revoked API key or bearer token. */
    INVALID_CREDENTIALS(401, "Invalid credentials"),
    /** The HMAC signature does not match the request. */
    INVALID_SIGNATURE(401, "Invalid signature"),
    /** The signed timestamp is outside the accepted window. */
    STALE_TIMESTAMP(401, "Timestamp outside the accepted window"),
    /** The nonce was already used with this key inside the window. */
    REPLAYED_NONCE(401, "Nonce already used"),
    /** Authenticated, but this principal may not do this. */
    FORBIDDEN(403, "Forbidden"),
    /** No such route or resource. */
    NOT_FOUND(404, "Not found"),
    /** The route exists, but not for this HTTP method. */
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    /** A request with the same Idempotency-Key is still being processed. */
    IDEMPOTENCY_IN_PROGRESS(409, "Request with this Idempotency-Key is in progress"),
    /** The request conflicts with the current state of the resource. */
    CONFLICT(409, "Conflict"),
    /** The body is larger than the platform accepts. */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    /** The body is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    /** The request's headers are larger than the server accepts. */
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    /** Well-formed JSON whose fields are missing, of the wrong type or out of range. */
    VALIDATION_FAILED(422, "Validation failed"),
    /** The Idempotency-Key was used before with a different request. */
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency-Key reused with a different request"),
    /** The caller's rate limit is exhausted; see {@code Retry-After}. */
    RATE_LIMITED(429, "Too many requests"),
    // Business refusals from the ticketing module, one type per ticketing ErrorCode of the same name.

    /** The platform has not been onboarded yet. */
    PLATFORM_NOT_ONBOARDED(409, "Platform not onboarded"),
    /** The platform was onboarded already. */
    PLATFORM_ALREADY_ONBOARDED(409, "Platform already onboarded"),
    /** The platform does not settle on that rail. */
    UNSUPPORTED_RAIL(422, "Unsupported rail"),
    /** No such scenic spot. */
    UNKNOWN_SCENIC_SPOT(404, "Unknown scenic spot"),
    /** No such distributor. */
    UNKNOWN_DISTRIBUTOR(404, "Unknown distributor"),
    /** No such party. */
    UNKNOWN_PARTY(404, "Unknown party"),
    /** No such product. */
    UNKNOWN_PRODUCT(404, "Unknown product"),
    /** No such order (for this caller). */
    UNKNOWN_ORDER(404, "Unknown order"),
    /** No such ticket (for this caller). */
    UNKNOWN_TICKET(404, "Unknown ticket"),
    /** No such payout. */
    UNKNOWN_PAYOUT(404, "Unknown payout"),
    /** The product is not on sale. */
    PRODUCT_UNPUBLISHED(409, "Product not published"),
    /** The unit price sent is not the product's current distributor price; sync and retry. */
    PRICE_CHANGED(409, "Price changed"),
    /** The resource belongs to another distributor. */
    WRONG_DISTRIBUTOR(403, "Belongs to another distributor"),
    /** An amount is not acceptable. */
    INVALID_AMOUNT(422, "Invalid amount"),
    /** An amount is outside the accepted range. */
    AMOUNT_OUT_OF_RANGE(422, "Amount out of range"),
    /** Amounts in different currencies. */
    CURRENCY_MISMATCH(422, "Currency mismatch"),
    /** The visit date is outside the product's validity. */
    VISIT_DATE_OUT_OF_RANGE(422, "Visit date out of range"),
    /** No capacity left for that date and slot. */
    SOLD_OUT(409, "Sold out"),
    /** The platform's issuer key ends before such a ticket would; an operator must rotate it. */
    TICKET_CODES_UNAVAILABLE(409, "Ticket codes unavailable"),
    /** The distributor order id was used before with different content. */
    IDEMPOTENCY_CONFLICT(409, "Distributor order id reused with different content"),
    /** The resource is not in a state that allows this. */
    INVALID_STATE(409, "Invalid state"),
    /** The ticket is not valid at this scenic spot. */
    WRONG_SCENIC_SPOT(409, "Not valid at this scenic spot"),
    /** The ticket was redeemed already. */
    ALREADY_REDEEMED(409, "Already redeemed"),
    /** The ticket was refunded. */
    TICKET_REFUNDED(409, "Ticket refunded"),
    /** The ticket has expired. */
    TICKET_EXPIRED(409, "Ticket expired"),
    /** The ticket is not valid yet. */
    TICKET_NOT_YET_VALID(409, "Ticket not yet valid"),
    /** The ticket cannot be refunded (e.g. partly or wholly redeemed). */
    NOT_REFUNDABLE(409, "Not refundable"),
    /** No wealth plan with this id. */
    UNKNOWN_PLAN(404, "Unknown wealth plan"),
    /** The wealth plan is closing or closed, or bound to another expiry. */
    PLAN_NOT_OPEN(409, "Wealth plan not open"),
    /** No invest or withdraw instruction with this id. */
    UNKNOWN_WEALTH_INSTRUCTION(404, "Unknown wealth instruction"),
    /** No profit run with this id. */
    UNKNOWN_PROFIT_RUN(404, "Unknown profit run"),
    /** A live profit run already covers part of the period. */
    PERIOD_OVERLAPS(409, "Period overlaps another run"),
    /** Maker-checker: the proposer of a profit run may not approve it. */
    APPROVER_IS_PROPOSER(403, "Approver is the proposer"),
    /** Maker-checker: a manual money movement above the approval threshold needs a second admin (the console's approvals). */
    APPROVAL_REQUIRED(403, "Second admin's approval required"),
    /** No issuer key has that id (or it was removed). */
    UNKNOWN_SIGNING_KEY(404, "Unknown signing key"),
    /** No such gate device. */
    UNKNOWN_DEVICE(404, "Unknown device"),
    /** No operator has that id or username. */
    UNKNOWN_OPERATOR(404, "Unknown operator"),
    /** Another operator has that username. */
    USERNAME_TAKEN(409, "Username taken"),

    /** A bug or an infrastructure failure on our side; the request id identifies it in the logs. */
    INTERNAL_ERROR(500, "Internal error"),
    /** A dependency (database, rail) is unavailable; retry later. */
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    /** Where the problem types live; each type is this base plus its slug. */
    public static final String BASE = "https://ticketledger.org/problems/";

    private final int status;
    private final String title;
    private final String slug;
    private final URI uri;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
        this.slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
        this.uri = URI.create(BASE + slug);
    }

    /** The HTTP status answered with this type. */
    public int status() {
        return status;
    }

    /** The short, stable, human-readable summary. */
    public String title() {
        return title;
    }

    /** The last path segment of the type URI, e.g. {@code malformed-json}. */
    public String slug() {
        return slug;
    }

    /** The type URI. */
    public URI uri() {
        return uri;
    }
}
