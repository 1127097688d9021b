package org.ticketledger.ticketing.pool;

import java.util.Objects;
import java.util.Optional;

/**
 * A product as one distributor sees it in a sync: the current version and its own overlay.
 *
 * @param product the current version (check {@link Product#status()}: unpublished ones come as tombstones)
 * @param overlay the distributor's overlay, if it set one
 */
public record PoolItem(Product product, Optional<Overlay> overlay) {

    public PoolItem {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(overlay, "overlay");
    }
}
