package org.ticketledger.ticketing.fee;

import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Outcome;

/**
 * The fee schedule. Orders and payouts store the fee computed when they were created, so a change
 * applies to new ones only. Changes are audited. Thread-safe.
 */
public interface Fees {

    /** Sets the platform-wide rule for {@code kind}. */
    Outcome<FeeRule> setDefault(FeeKind kind, FeeRule rule, String actor);

    /** Sets a party's own rule for {@code kind} (issuance: a distributor; payout: a scenic spot). */
    Outcome<FeeRule> setOverride(String partyId, FeeKind kind, FeeRule rule, String actor);

    /** Removes a party's own rule; the default applies again. */
    Outcome<FeeRule> removeOverride(String partyId, FeeKind kind, String actor);

    /** The rule that applies to {@code partyId}: its override, else the default, else no fee. */
    FeeRule effective(FeeKind kind, String partyId);

    /**
     * The fee on {@code amount} for {@code partyId}.
     *
     * @throws ArithmeticException if the fee overflows
     */
    default Money quote(FeeKind kind, String partyId, Money amount) {
        return effective(kind, partyId).feeOn(amount);
    }
}
