package org.ticketledger.verify;

/**
 * Stable codes of verification and redemption outcomes. Apps switch on these and translate them;
 * the names are part of the device protocol (DEVICE-API.md uses the same words) and never change
 * meaning. New codes may be added; treat an unknown one as a refusal.
 */
public enum ResultCode {
    /** The code is genuine and admits the visitor here and now (verify only; nothing recorded). */
    VALID(true),
    /** The visitor was admitted and the redemption recorded (online) or queued (offline). */
    REDEEMED(true),
    /** Not a ticket code of this platform, or damaged: bad prefix, bad Base45, wrong length. */
    INVALID(false),
    /** A ticket-code format version this SDK does not know; the app needs an update. */
    UNSUPPORTED_VERSION(false),
    /** The signature does not match the content: forged or altered. */
    FORGED(false),
    /** Signed with a key id the device does not know: sync, and if it persists, treat as forged. */
    UNKNOWN_KEY(false),
    /** Signed with an issuer key outside its validity period (retired, or not yet active). */
    KEY_EXPIRED(false),
    /** Refunded or cancelled. */
    REVOKED(false),
    /** All uses at this spot are already spent (the result says when, where and by which device). */
    ALREADY_REDEEMED(false),
    /** Before the ticket's valid-from. */
    NOT_YET_VALID(false),
    /** At or after the ticket's valid-until. */
    EXPIRED(false),
    /** The ticket is not valid at this device's scenic spot. */
    WRONG_SPOT(false),
    /** The device has not synchronised within the maximum offline time (or never). */
    OFFLINE_TOO_LONG(false),
    /** The device clock went backwards; time-based checks cannot be trusted until a resync. */
    CLOCK_UNTRUSTED(false),
    /** The server refused for a reason this SDK version has no code for; see the reason text. */
    REFUSED(false);

    private final boolean admits;

    ResultCode(boolean admits) {
        this.admits = admits;
    }

    /** Whether the visitor may pass. */
    public boolean admits() {
        return admits;
    }
}
