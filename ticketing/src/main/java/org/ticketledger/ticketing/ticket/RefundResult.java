package org.ticketledger.ticketing.ticket;

import java.util.Objects;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.payout.Payout;

/** What became of a refund. */
public sealed interface RefundResult {

    /** Refunded in the ledger; the payment back to the distributor is processed in the background. */
    record Refunded(Ticket ticket, Payout payout) implements RefundResult {
        public Refunded {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(payout, "payout");
        }
    }

    /** Refused (redeemed, refunded, expired, another distributor's, ...); nothing written. */
    record Refused(Problem problem) implements RefundResult {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
