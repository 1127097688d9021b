package org.ticketledger.ticketing.order;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * What became of an issuance request (or a re-application, or a repeat of either). A repeat of
 * an earlier request answers with the order's state now.
 */
public sealed interface IssueResult {

    /** The order, unless the request was refused. */
    default Optional<Order> orderIfAny() {
        if (this instanceof Issued i) {
            return Optional.of(i.order());
        }
        if (this instanceof AwaitingTopUp a) {
            return Optional.of(a.order());
        }
        if (this instanceof InProgress p) {
            return Optional.of(p.order());
        }
        if (this instanceof Failed f) {
            return Optional.of(f.order());
        }
        return Optional.empty();
    }

    /** Collected and issued; one ticket per unit. */
    record Issued(Order order, List<Ticket> tickets) implements IssueResult {
        public Issued {
            Objects.requireNonNull(order, "order");
            tickets = List.copyOf(tickets);
        }
    }

    /** The distributor's balance was short; an SMS asks it to top up and re-apply. */
    record AwaitingTopUp(Order order) implements IssueResult {
        public AwaitingTopUp {
            Objects.requireNonNull(order, "order");
        }
    }

    /**
     * Not final yet (the rail's answer is unknown, or another request is charging it); the
     * background job finishes it. Poll the order.
     */
    record InProgress(Order order) implements IssueResult {
        public InProgress {
            Objects.requireNonNull(order, "order");
        }
    }

    /** The rail refused the collection for a reason other than balance; see the order's reason. */
    record Failed(Order order) implements IssueResult {
        public Failed {
            Objects.requireNonNull(order, "order");
        }
    }

    /** The request was refused before anything was written. */
    record Refused(Problem problem) implements IssueResult {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
