package org.ticketledger.ticketing.pool;

import java.util.List;

/**
 * Changes to the pool since a cursor.
 *
 * @param items      products changed after the cursor, in change order
 * @param nextCursor pass this next time (equal to the given cursor when nothing changed)
 * @param hasMore    whether more changes wait beyond this page
 */
public record SyncPage(List<PoolItem> items, long nextCursor, boolean hasMore) {

    public SyncPage {
        items = List.copyOf(items);
        if (nextCursor < 0) {
            throw new IllegalArgumentException("cursor must be >= 0");
        }
    }
}
