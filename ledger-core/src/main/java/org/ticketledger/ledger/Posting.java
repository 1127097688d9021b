package org.ticketledger.ledger;

import java.util.Objects;

/**
 * One line of an entry: an amount debited or credited to an account.
 *
 * @param account the account; never null
 * @param side    debit or credit; never null
 * @param amount  a strictly positive amount; never null
 */
public record Posting(AccountCode account, Side side, Money amount) {

    public Posting {
        Objects.requireNonNull(account, "posting account");
        Objects.requireNonNull(side, "posting side");
        Objects.requireNonNull(amount, "posting amount");
        if (amount.minor() <= 0) {
            throw new IllegalArgumentException("posting amount must be positive, was " + amount + " on " + account);
        }
    }

    public static Posting debit(AccountCode account, Money amount) {
        return new Posting(account, Side.DEBIT, amount);
    }

    public static Posting credit(AccountCode account, Money amount) {
        return new Posting(account, Side.CREDIT, amount);
    }

    /** The same amount on the opposite side, as a reversal needs. */
    public Posting reversed() {
        return new Posting(account, side.opposite(), amount);
    }
}
