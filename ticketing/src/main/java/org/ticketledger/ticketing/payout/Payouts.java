package org.ticketledger.ticketing.payout;

import java.util.List;
import java.util.Optional;
import org.ticketledger.ticketing.Outcome;

/** Payout queries and the admin's manual retry. Thread-safe. */
public interface Payouts {

    Optional<Payout> payout(String payoutId);

    /** Payouts in {@code state}, oldest first, at most {@code limit}. */
    List<Payout> byState(PayoutState state, int limit);

    /** The payouts of a ticket. */
    List<Payout> byTicket(String ticketId);

    /**
     * The admin's retry of a payout that waits for funds or for manual review: after a final
     * decline a new round (new request id) starts; after an unknown outcome the same request id is
     * queried first. Runs the first attempt on the caller's thread.
     */
    Outcome<Payout> retryPayout(String payoutId, String actor);
}
