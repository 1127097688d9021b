package org.ticketledger.ticketing.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The compact numbers ({@code code_no}) that ticket codes carry for scenic spots and products,
 * remembered after the first read: a row gets its number when it is inserted and no statement ever
 * changes it, so issuing a ticket need not ask the database for it again. Thread-safe.
 */
final class CodeNumbers {

    private final ConcurrentHashMap<String, Long> spots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> products = new ConcurrentHashMap<>();

    /** The spot's number, read on {@code h} the first time; throws if there is no such party. */
    long spot(Handle h, String spotId) {
        Long n = spots.get(spotId);
        if (n == null) {
            n = h.createQuery("SELECT code_no FROM ticketing.parties WHERE party_id = :s").bind("s", spotId).mapTo(Long.class).one();
            spots.put(spotId, n);
        }
        return n;
    }

    /** The product's number, read on {@code h} the first time; throws if there is no such product. */
    long product(Handle h, String productId) {
        Long n = products.get(productId);
        if (n == null) {
            n = h.createQuery("SELECT code_no FROM ticketing.products WHERE product_id = :p").bind("p", productId)
                    .mapTo(Long.class).one();
            products.put(productId, n);
        }
        return n;
    }
}
