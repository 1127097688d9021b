package org.ticketledger.ticketing.report;

import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * A scenic spot's figures over a report's period, from {@code scenic:<id>:payable}.
 *
 * @param spotId      the spot
 * @param redeemed    scenic value redeemed there in the period (credits: what it earned)
 * @param settled     what was settled in the period (debits: the payouts, payout fee included)
 * @param outstanding what the platform owes it at the end
 */
public record SpotFigures(String spotId, Money redeemed, Money settled, Money outstanding) {

    public SpotFigures {
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(redeemed, "redeemed");
        Objects.requireNonNull(settled, "settled");
        Objects.requireNonNull(outstanding, "outstanding");
    }
}
