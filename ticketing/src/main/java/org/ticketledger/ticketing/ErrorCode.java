package org.ticketledger.ticketing;

/**
 * Why a request was refused. The {@link #name()} is the stable code that callers (and the HTTP
 * host app's problem types) rely on; it never changes meaning.
 */
public enum ErrorCode {
    /** Fields failed validation; see {@link Problem#fields()}. */
    VALIDATION_FAILED,
    /** The platform has not been onboarded yet. */
    PLATFORM_NOT_ONBOARDED,
    /** The platform was onboarded already. */
    PLATFORM_ALREADY_ONBOARDED,
    /** The rail is not one the platform holds a settlement account on, or is not registered. */
    UNSUPPORTED_RAIL,
    UNKNOWN_SCENIC_SPOT,
    UNKNOWN_DISTRIBUTOR,
    UNKNOWN_PARTY,
    UNKNOWN_PRODUCT,
    UNKNOWN_ORDER,
    UNKNOWN_TICKET,
    UNKNOWN_PAYOUT,
    /** The product exists but is not on sale (unpublished). */
    PRODUCT_UNPUBLISHED,
    /** The price the distributor sends differs from the product's current distributor price. */
    PRICE_CHANGED,
    /** The order or ticket belongs to another distributor. */
    WRONG_DISTRIBUTOR,
    /** An amount is zero or negative where it must be positive. */
    INVALID_AMOUNT,
    /** An amount or a total leaves the representable range. */
    AMOUNT_OUT_OF_RANGE,
    /** An amount is in another currency than the platform's. */
    CURRENCY_MISMATCH,
    /** The visit date is outside the product's validity window or in the past. */
    VISIT_DATE_OUT_OF_RANGE,
    /** No capacity left for the product, date and slot. */
    SOLD_OUT,
    /** The platform cannot mint codes valid that long now (its issuer key ends first); nothing was charged. */
    TICKET_CODES_UNAVAILABLE,
    /** The same distributor order id was used before with different content. */
    IDEMPOTENCY_CONFLICT,
    /** The operation does not apply in the object's current state. */
    INVALID_STATE,
    /** The ticket is not valid at the spot that tries to redeem it. */
    WRONG_SCENIC_SPOT,
    /** The ticket (at this spot) was redeemed before. */
    ALREADY_REDEEMED,
    /** The ticket was refunded. */
    TICKET_REFUNDED,
    /** The ticket's validity has ended. */
    TICKET_EXPIRED,
    /** The ticket's validity has not started. */
    TICKET_NOT_YET_VALID,
    /** A redeemed ticket cannot be refunded. */
    NOT_REFUNDABLE,

    // ---- combo tickets, wealth plans, profit distribution (issue 8); keep additions grouped here

    /** No wealth plan with this id is known. */
    UNKNOWN_PLAN,
    /** The wealth plan is closing or closed (its combos expired), or is bound to another expiry. */
    PLAN_NOT_OPEN,
    /** No invest or withdraw instruction with this id. */
    UNKNOWN_WEALTH_INSTRUCTION,
    /** No profit run with this id. */
    UNKNOWN_PROFIT_RUN,
    /** A profit run (not rejected) already covers part of the period. */
    PERIOD_OVERLAPS,
    /** Maker-checker: the admin who proposed a profit run cannot approve it. */
    APPROVER_IS_PROPOSER,

    // ---- signed ticket codes and gate devices (issue 9)

    /** No published issuer key has that id. */
    UNKNOWN_SIGNING_KEY,
    /** No gate device has that id. */
    UNKNOWN_DEVICE,
    /** No operator has that id or username. */
    UNKNOWN_OPERATOR,
    /** Another operator has that username. */
    USERNAME_TAKEN
}
