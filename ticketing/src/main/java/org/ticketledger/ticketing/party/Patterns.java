package org.ticketledger.ticketing.party;

/** Regular expressions shared by the request records' constraints. */
public final class Patterns {

    /** Our ids and the ids parties pass us: lower-case letters, digits and '-', 1-64. */
    public static final String ID = "[a-z0-9][a-z0-9-]{0,63}";
    /** A rail id, as {@link org.ticketledger.payment.RailId} accepts it. */
    public static final String RAIL = "[A-Z][A-Z0-9_]{0,31}";
    /** A phone number for SMS: optional '+', 6-20 digits. */
    public static final String PHONE = "\\+?[0-9]{6,20}";
    /**
     * Text with a non-blank character, for optional values: {@code @NotBlank} would refuse the
     * empty {@code Optional} itself (its value reads as null).
     */
    public static final String NOT_BLANK = "(?s).*\\S.*";
    /** An ISO 4217 currency code. */
    public static final String CURRENCY = "[A-Z]{3}";

    private Patterns() {
    }

    /** The phone with all but the last four digits masked, for logs. */
    public static String maskPhone(String phone) {
        if (phone.length() <= 4) {
            return "****";
        }
        return "*".repeat(phone.length() - 4) + phone.substring(phone.length() - 4);
    }
}
