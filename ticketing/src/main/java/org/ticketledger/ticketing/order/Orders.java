package org.ticketledger.ticketing.order;

import java.util.List;
import java.util.Optional;
import org.ticketledger.ticketing.HistoryEvent;

/**
 * Issuance. {@link #issue} and {@link #reapply} make the first rail attempt on the caller's thread
 * and return its result; anything unfinished is completed by the background jobs. Thread-safe:
 * any number of concurrent, repeated or duplicate requests charge each order once.
 */
public interface Orders {

    /** Places an order and collects for it (see {@link IssueResult}). */
    IssueResult issue(IssueRequest request);

    /**
     * As {@link #issue(IssueRequest)}; if this call issues the order, {@code whenIssued} runs inside
     * the transaction that issues it, so that what it writes (a caller's own record of the answer)
     * commits with the tickets, or not at all. Not run when the call answers for an order placed
     * before, or when the order is finished later by the background jobs.
     */
    IssueResult issue(IssueRequest request, WhenIssued whenIssued);

    /** Work that commits with an order's issuing (see {@link #issue(IssueRequest, WhenIssued)}). */
    @FunctionalInterface
    interface WhenIssued {
        /**
         * Runs on the issuing transaction's connection (do not commit, roll back or close it); an
         * exception rolls the issuing back, and the order is issued later by the background jobs.
         */
        void run(java.sql.Connection connection, IssueResult.Issued issued) throws java.sql.SQLException;
    }

    /**
     * Collects again for an order waiting for a top-up, under a new request id (the previous one
     * was finally declined). Repeating it while the order is charging or issued answers with the
     * order's state.
     */
    IssueResult reapply(String distributorId, String orderId);

    /** The order by our id. */
    Optional<Order> order(String orderId);

    /** The order by the distributor's id. */
    Optional<Order> order(String distributorId, String distributorOrderId);

    /** Orders in {@code state}, oldest first, at most {@code limit}. */
    List<Order> byState(OrderState state, int limit);

    /** Everything that happened to the order, its tickets and payouts, in order. */
    List<HistoryEvent> history(String orderId);
}
