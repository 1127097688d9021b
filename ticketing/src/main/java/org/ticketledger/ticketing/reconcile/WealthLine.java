package org.ticketledger.ticketing.reconcile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * The wealth position by the books against the rail's. One line per plan (the books: invests done
 * − withdraws done, zero once closed) and one total line for the ledger account against the sum of
 * the rail's positions.
 *
 * @param account       {@code platform:<rail>:wealth}
 * @param plan          the plan; empty for the total line
 * @param ledger        principal by the books (the account's posted balance on the total line)
 * @param rail          the rail's principal, if it answered
 * @param accruedYield  yield the rail has accrued and not paid yet (not booked until the plan
 *                      closes, so no difference), if it answered
 * @param difference    rail − ledger, if the rail answered
 * @param note          what to make of it
 * @param explanations  instructions in flight on the plan
 */
public record WealthLine(AccountCode account, Optional<PlanId> plan, Money ledger, Optional<Money> rail,
                         Optional<Money> accruedYield, Optional<Money> difference, String note,
                         List<Explanation> explanations) {

    public WealthLine {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(rail, "rail");
        Objects.requireNonNull(accruedYield, "accruedYield");
        Objects.requireNonNull(difference, "difference");
        Objects.requireNonNull(note, "note");
        explanations = List.copyOf(explanations);
    }

    /** Whether the rail answered and agrees to the fen. */
    public boolean agrees() {
        return difference.map(Money::isZero).orElse(false);
    }
}
