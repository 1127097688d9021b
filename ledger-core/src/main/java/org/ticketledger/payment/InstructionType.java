package org.ticketledger.payment;

/** The kinds of instruction a rail carries out; a query names the kind it asks about. */
public enum InstructionType {
    /** Debit a party's account into the platform's settlement account. */
    COLLECT,
    /** Pay from the platform's settlement account to a party. */
    PAYOUT,
    /** Move money from the platform's account into a wealth plan. */
    SUBSCRIBE,
    /** Move an amount from a wealth plan back to the platform's account. */
    REDEEM,
    /** Close the platform's position in a plan: principal plus yield back. */
    REDEEM_ALL
}
