package org.ticketledger.ticketing.profit;

import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * One computed share of a profit run.
 *
 * @param beneficiaryId the party
 * @param stream        the stream shared
 * @param base          the stream's net income in the period (zero if it made a loss)
 * @param basisPoints   the rule's share
 * @param amount        floor(base × basisPoints / 10 000)
 */
public record ProfitShare(String beneficiaryId, RevenueStream stream, Money base, int basisPoints, Money amount) {

    public ProfitShare {
        Objects.requireNonNull(beneficiaryId, "beneficiaryId");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(amount, "amount");
    }
}
