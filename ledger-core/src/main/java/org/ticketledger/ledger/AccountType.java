package org.ticketledger.ledger;

/** The accounting class of an account, which decides its normal balance side. */
public enum AccountType {
    ASSET(Side.DEBIT),
    LIABILITY(Side.CREDIT),
    EQUITY(Side.CREDIT),
    REVENUE(Side.CREDIT),
    EXPENSE(Side.DEBIT);

    private final Side normalSide;

    AccountType(Side normalSide) {
        this.normalSide = normalSide;
    }

    /** The side on which the balance of such an account normally stands. */
    public Side normalSide() {
        return normalSide;
    }
}
