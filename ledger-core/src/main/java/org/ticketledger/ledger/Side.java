package org.ticketledger.ledger;

/** The side of a posting. */
public enum Side {
    DEBIT('D'),
    CREDIT('C');

    private final char code;

    Side(char code) {
        this.code = code;
    }

    /** The one-letter code used in the canonical form and in storage: 'D' or 'C'. */
    public char code() {
        return code;
    }

    public Side opposite() {
        return this == DEBIT ? CREDIT : DEBIT;
    }

    /** The side for a one-letter code; {@link IllegalArgumentException} for anything else. */
    public static Side ofCode(char code) {
        switch (code) {
            case 'D':
                return DEBIT;
            case 'C':
                return CREDIT;
            default:
                throw new IllegalArgumentException("unknown side code '" + code + "'");
        }
    }
}
