package org.ticketledger.alipay.sandbox;

/**
 * Faults the {@link AlipaySandbox} injects into the next calls of a method. {@link #applies()}
 * says whether the sandbox carries out the request (moves the money) before the fault strikes.
 * The first seven match the rail contract's neutral faults by name; the rest forge or damage
 * replies, to prove that the client trusts only verified, complete replies.
 */
public enum AlipayFault {
    /** Refused with {@code *_BALANCE_NOT_ENOUGH} whatever the balance; nothing moves. */
    INSUFFICIENT_BALANCE(false),
    /** Carried out; the reply is held back for the sandbox's fault delay (longer than the client's timeout). */
    DELAY_PAST_TIMEOUT(true),
    /** Not carried out; HTTP 502. */
    SERVER_ERROR(false),
    /** Carried out, then HTTP 504 (the gateway gave up waiting for the backend). */
    SERVER_ERROR_AFTER_APPLY(true),
    /** Not carried out; {@code 20000 isp.unknow-error}. */
    UNKNOWN_OUTCOME(false),
    /** Carried out, then {@code 40004 SYSTEM_ERROR} ({@code ACQ.SYSTEM_ERROR} for trades). */
    UNKNOWN_OUTCOME_AFTER_APPLY(true),
    /** Carried out, then the connection is closed without a reply. */
    REPLY_LOST(true),
    /** Not carried out; a success reply signed with a key that is not the sandbox's. */
    FORGED_SIGNATURE(false),
    /** Carried out; the signed reply's amount is altered after signing (a man in the middle). */
    TAMPERED_BODY(true),
    /** Not carried out; a signed error node followed by a second, unsigned success node of the same name. */
    REPEATED_NODE(false),
    /** Carried out; a correctly signed success reply without the transaction id and time. */
    MISSING_FIELDS(true),
    /** Not carried out; a success reply without {@code sign}. */
    UNSIGNED(false),
    /** Not carried out; HTTP 200 with an HTML page. */
    NOT_JSON(false),
    /** Not carried out; a correctly signed success reply for another request id (a replayed reply). */
    WRONG_ECHO(false);

    private final boolean applies;

    AlipayFault(boolean applies) {
        this.applies = applies;
    }

    /** Whether the request is carried out although the caller cannot tell from the reply. */
    public boolean applies() {
        return applies;
    }
}
