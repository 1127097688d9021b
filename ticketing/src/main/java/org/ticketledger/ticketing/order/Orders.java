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
