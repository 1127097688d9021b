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

    /** Whether the numbers of the product and all the spots are remembered (then the handles below may be null). */
    boolean known(String productId, java.util.List<String> spotIds) {
        return products.containsKey(productId) && spotIds.stream().allMatch(spots::containsKey);
    }

    /** The spot's number, read on {@code h} the first time; throws if there is no such party. */
    long spot(Handle h, String spotId) {
        return number(spots, h, "SELECT code_no FROM ticketing.parties WHERE party_id = :id", spotId);
    }

    /** The product's number, read on {@code h} the first time; throws if there is no such product. */
    long product(Handle h, String productId) {
        return number(products, h, "SELECT code_no FROM ticketing.products WHERE product_id = :id", productId);
    }

    private static long number(ConcurrentHashMap<String, Long> known, Handle h, String query, String id) {
        Long n = known.get(id);
        if (n == null) {
            n = h.createQuery(query).bind("id", id).mapTo(Long.class).one();
            known.put(id, n);
        }
        return n;
    }
}
