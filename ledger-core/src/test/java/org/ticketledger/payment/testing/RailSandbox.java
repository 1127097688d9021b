package org.ticketledger.payment.testing;

import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;

/**
 * What {@link RailContract} needs from a rail's sandbox: create parties, read and set balances
 * <em>as the sandbox keeps them</em> (the truth the rail's answers are checked against), and make
 * the next calls fail in the ways real rails fail.
 *
 * <p>Each rail module implements this over its own sandbox in its test sources. Implementations
 * must be thread-safe; faults are consumed in order, one per matching call that reaches the
 * sandbox.
 */
public interface RailSandbox extends AutoCloseable {

    /** The calls a fault can be injected into. */
    enum Call {
        /** The call that carries {@link InstructionType#COLLECT} instructions. */
        COLLECT,
        /** The call that carries {@link InstructionType#PAYOUT} instructions. */
        PAYOUT,
        /** The status query for collections. */
        QUERY_COLLECT,
        /** The status query for payouts. */
        QUERY_PAYOUT,
        /** The balance query of the platform's account. */
        BALANCE
    }

    /**
     * How a call fails. {@link #applies()} says whether the sandbox carries out the instruction
     * before the fault strikes (the money moves although the caller cannot tell); for queries it
     * does not matter.
     */
    enum Fault {
        /** Refused as if the payer (party, or the platform for payouts) lacked the balance. */
        INSUFFICIENT_BALANCE(false),
        /** Carried out, but the reply is held back until after the client's timeout. */
        DELAY_PAST_TIMEOUT(true),
        /** Not carried out; the gateway answers with a 5xx. */
        SERVER_ERROR(false),
        /** Carried out, then the gateway answers with a 5xx (an upstream timeout). */
        SERVER_ERROR_AFTER_APPLY(true),
        /** Not carried out; the rail answers its "outcome unknown" code (Alipay 20000). */
        UNKNOWN_OUTCOME(false),
        /** Carried out, yet the rail answers its "outcome unknown" code (Alipay SYSTEM_ERROR). */
        UNKNOWN_OUTCOME_AFTER_APPLY(true),
        /** Carried out, then the connection drops before any reply. */
        REPLY_LOST(true);

        private final boolean applies;

        Fault(boolean applies) {
            this.applies = applies;
        }

        /** Whether the instruction is carried out although the call fails. */
        public boolean applies() {
            return applies;
        }
    }

    /** The rail this sandbox stands in for. */
    RailId rail();

    /**
     * A new party with a fresh identity and the given balance, set up so that the rail can both
     * collect from it (e.g. with a signed debit agreement) and pay out to it.
     */
    PartyAccount openParty(Money balance);

    /** A well-formed account that the sandbox does not know (a collect or payout must be declined). */
    PartyAccount unknownParty();

    /** The party's balance as the sandbox keeps it. */
    Money balanceOf(PartyAccount party);

    /** Sets the party's balance at the sandbox. */
    void setBalance(PartyAccount party, Money balance);

    /** The balance of the platform's settlement account as the sandbox keeps it. */
    Money platformBalance();

    /** Sets the balance of the platform's settlement account at the sandbox. */
    void setPlatformBalance(Money balance);

    /** The smallest amount the rail accepts for one instruction of {@code type}. */
    Money minimumAmount(InstructionType type);

    /** The largest amount the rail accepts for one instruction of {@code type}. */
    Money maximumAmount(InstructionType type);

    /** Makes the next {@code times} calls of {@code call} fail with {@code fault}. */
    void injectFault(Call call, Fault fault, int times);

    /** Removes every fault not yet consumed. */
    void clearFaults();

    /** Adds {@code amount} to the party's balance. */
    default void fund(PartyAccount party, Money amount) {
        setBalance(party, balanceOf(party).plus(amount));
    }

    /** Stops the sandbox. */
    @Override
    void close();
}
