package org.ticketledger.ticketing.profit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.ticketledger.ledger.Money;

/**
 * A profit distribution for a period.
 *
 * @param id               our id
 * @param from             period start (exclusive, journal time)
 * @param to               period end (inclusive)
 * @param mode             offline or online settlement
 * @param state            where it stands
 * @param total            Σ shares
 * @param shares           the computed shares
 * @param proposedBy       the maker
 * @param proposedAt       when proposed
 * @param decidedBy        the checker, once approved or rejected
 * @param decidedAt        when decided
 * @param decisionNote     the rejection reason, if rejected
 * @param payoutIds        online: the payouts made (one per beneficiary with a positive total)
 * @param settledReference offline: the admin's reference of the settlement, once confirmed
 * @param settledAt        when it was settled
 */
public record ProfitRun(String id, Instant from, Instant to, SettlementMode mode, ProfitRunState state, Money total,
                        List<ProfitShare> shares, String proposedBy, Instant proposedAt, Optional<String> decidedBy,
                        Optional<Instant> decidedAt, Optional<String> decisionNote, List<String> payoutIds,
                        Optional<String> settledReference, Optional<Instant> settledAt) {

    public ProfitRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(total, "total");
        shares = List.copyOf(shares);
        Objects.requireNonNull(proposedBy, "proposedBy");
        Objects.requireNonNull(proposedAt, "proposedAt");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(decisionNote, "decisionNote");
        payoutIds = List.copyOf(payoutIds);
        Objects.requireNonNull(settledReference, "settledReference");
        Objects.requireNonNull(settledAt, "settledAt");
    }

    /** Each beneficiary's total over all streams, by party id. */
    public Map<String, Money> byBeneficiary() {
        Map<String, Money> out = new TreeMap<>();
        for (ProfitShare s : shares) {
            out.merge(s.beneficiaryId(), s.amount(), Money::plus);
        }
        return out;
    }
}
