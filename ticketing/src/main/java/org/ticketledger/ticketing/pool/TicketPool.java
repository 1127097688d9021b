package org.ticketledger.ticketing.pool;

import java.util.Optional;
import org.ticketledger.ticketing.Outcome;

/**
 * The ticket pool. Each publish, update and unpublish advances the pool's change sequence, which
 * is the cursor of {@link #sync}. Refusals write nothing. Thread-safe.
 */
public interface TicketPool {

    /** Publishes a new single-ticket product at {@code draft.spotId()}. */
    Outcome<Product> publish(SingleTicketDraft draft, String actor);

    /**
     * Publishes a new version of a single-ticket product (same spot) and puts it on sale. Orders
     * already placed keep the version they were placed on.
     */
    Outcome<Product> update(String productId, SingleTicketDraft draft, String actor);

    /** Takes a product off sale; issued tickets stay valid. */
    Outcome<Product> unpublish(String productId, String actor);

    /** The current version of a product. */
    Optional<Product> product(String productId);

    /** A given version of a product. */
    Optional<Product> product(String productId, int version);

    /**
     * The products changed after {@code cursor} (0 for everything), at most {@code limit} (1-500),
     * with the distributor's overlays.
     */
    Outcome<SyncPage> sync(String distributorId, long cursor, int limit);

    /** Sets the distributor's overlay of a product. */
    Outcome<Overlay> setOverlay(String distributorId, String productId, OverlayDraft draft);

    /** The distributor's overlay of a product, if set. */
    Optional<Overlay> overlay(String distributorId, String productId);
}
