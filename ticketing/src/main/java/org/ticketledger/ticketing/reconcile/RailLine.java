package org.ticketledger.ticketing.reconcile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.RailId;

/**
 * One settlement account compared with its rail.
 *
 * @param rail          the rail
 * @param account       the ledger account, {@code platform:<rail>:settlement}
 * @param ledgerBalance the account's posted balance
 * @param ledgerHeld    credits held by open holds (payouts and invests in flight)
 * @param railBalance   what the rail reports available, if it answered
 * @param difference    rail − ledger, if the rail answered
 * @param note          what to make of it (e.g. why the rail did not answer)
 * @param explanations  the instructions in flight on this account, which explain a difference
 *                      when their effects add up to it
 */
public record RailLine(RailId rail, AccountCode account, Money ledgerBalance, Money ledgerHeld,
                       Optional<Money> railBalance, Optional<Money> difference, String note,
                       List<Explanation> explanations) {

    public RailLine {
        Objects.requireNonNull(rail, "rail");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(ledgerBalance, "ledgerBalance");
        Objects.requireNonNull(ledgerHeld, "ledgerHeld");
        Objects.requireNonNull(railBalance, "railBalance");
        Objects.requireNonNull(difference, "difference");
        Objects.requireNonNull(note, "note");
        explanations = List.copyOf(explanations);
    }

    /** Whether the rail answered and agrees with the ledger to the fen. */
    public boolean agrees() {
        return difference.map(Money::isZero).orElse(false);
    }
}
