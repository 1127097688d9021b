package org.ticketledger.ticketing.report;

import java.util.Objects;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.Money;

/**
 * One ledger account over a report's period, straight from the journal's two trial balances.
 *
 * @param account the account
 * @param type    its type (gives the normal side of opening and closing)
 * @param opening posted balance at the start, on the normal side
 * @param debits  debits posted in the period
 * @param credits credits posted in the period
 * @param closing posted balance at the end, on the normal side
 */
public record AccountActivity(AccountCode account, AccountType type, Money opening, Money debits, Money credits,
                              Money closing) {

    public AccountActivity {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(opening, "opening");
        Objects.requireNonNull(debits, "debits");
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(closing, "closing");
    }

    /** The change over the period on the normal side (closing − opening). */
    public Money change() {
        return closing.minus(opening);
    }
}
