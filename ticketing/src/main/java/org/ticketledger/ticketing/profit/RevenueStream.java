package org.ticketledger.ticketing.profit;

import org.ticketledger.ledger.AccountCode;

/** A revenue account whose net income in a period can be shared with parties. */
public enum RevenueStream {
    ISSUANCE_FEE("revenue:issuance-fee"),
    PAYOUT_FEE("revenue:payout-fee"),
    MARGIN("revenue:margin"),
    INVESTMENT_YIELD("revenue:investment-yield"),
    BREAKAGE("revenue:breakage");

    private final String account;

    RevenueStream(String account) {
        this.account = account;
    }

    /** The ledger account the stream is read from. */
    public AccountCode account() {
        return AccountCode.of(account);
    }
}
