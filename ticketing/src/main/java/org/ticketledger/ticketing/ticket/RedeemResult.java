package org.ticketledger.ticketing.ticket;

import java.util.Objects;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.payout.Payout;

/** What became of a redemption. */
public sealed interface RedeemResult {

    /** Redeemed; the spot's payout was created and is processed in the background. */
    record Redeemed(Ticket ticket, Payout payout) implements RedeemResult {
        public Redeemed {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(payout, "payout");
        }
    }

    /** Refused (wrong spot, redeemed before, refunded, expired, ...); nothing written. */
    record Refused(Problem problem) implements RedeemResult {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
