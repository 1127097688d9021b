package org.ticketledger.ledger;

import java.util.Currency;
import java.util.Objects;

/**
 * The totals of one account: posted debits and credits, and the pending amounts of open holds.
 *
 * @param account        the account
 * @param type           its type, which gives the normal side
 * @param currency       the ledger's currency
 * @param debitsPosted   sum of posted debits, in minor units
 * @param creditsPosted  sum of posted credits
 * @param debitsPending  sum of debits reserved by open holds
 * @param creditsPending sum of credits reserved by open holds
 */
public record Balance(AccountCode account, AccountType type, Currency currency, long debitsPosted,
                      long creditsPosted, long debitsPending, long creditsPending) {

    public Balance {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(currency, "currency");
    }

    /** The posted balance on the account's normal side (an asset's debits minus credits, and so on). */
    public Money posted() {
        long net = type.normalSide() == Side.DEBIT
                ? Math.subtractExact(debitsPosted, creditsPosted)
                : Math.subtractExact(creditsPosted, debitsPosted);
        return Money.of(net, currency);
    }

    /**
     * The posted balance less what open holds reserve against it: what can still be spent from
     * the account.
     */
    public Money available() {
        long reserved = type.normalSide() == Side.DEBIT ? creditsPending : debitsPending;
        return Money.of(Math.subtractExact(posted().minor(), reserved), currency);
    }
}
