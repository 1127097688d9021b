package org.ticketledger.ledger;

/**
 * A limit an account's balance must always respect, checked on every entry (as in TigerBeetle's
 * account flags). Pending amounts of open holds count against the limit, so a hold reserves room.
 */
public enum BalancePolicy {
    /** No limit. */
    NONE,
    /**
     * {@code debitsPosted + debitsPending <= creditsPosted}: a credit-normal account (a liability,
     * such as unredeemed tickets) can never go into debit.
     */
    DEBITS_MUST_NOT_EXCEED_CREDITS,
    /**
     * {@code creditsPosted + creditsPending <= debitsPosted}: a debit-normal account (an asset,
     * such as cash at a rail) can never be overdrawn.
     */
    CREDITS_MUST_NOT_EXCEED_DEBITS;

    /** Whether balances with these totals satisfy the policy. */
    public boolean allows(long debitsPosted, long creditsPosted, long debitsPending, long creditsPending) {
        switch (this) {
            case DEBITS_MUST_NOT_EXCEED_CREDITS:
                return sumFits(debitsPosted, debitsPending) && debitsPosted + debitsPending <= creditsPosted;
            case CREDITS_MUST_NOT_EXCEED_DEBITS:
                return sumFits(creditsPosted, creditsPending) && creditsPosted + creditsPending <= debitsPosted;
            default:
                return true;
        }
    }

    private static boolean sumFits(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) >= 0;
    }
}
