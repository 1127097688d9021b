package org.ticketledger.ticketing.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.inventory.Capacity;
import org.ticketledger.ticketing.inventory.Inventory;

/** {@link Inventory} on Postgres; reservations are conditional updates inside the order's transaction. */
final class InventoryImpl implements Inventory {

    private final Ctx ctx;

    InventoryImpl(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public Outcome<Capacity> setCapacity(String productId, LocalDate visitDate, String slot, int capacity, String actor) {
        if (visitDate == null || slot == null || slot.length() > 32 || capacity < 0) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED,
                    "invalid request: visitDate is required, slot has at most 32 characters, capacity must be >= 0",
                    List.of(new Problem.FieldError(capacity < 0 ? "capacity" : visitDate == null ? "visitDate" : "slot", "invalid"))));
        }
        boolean exists = ctx.db.read(h -> h.createQuery("SELECT 1 FROM ticketing.products WHERE product_id = :p")
                .bind("p", productId).mapTo(Integer.class).findOne()).isPresent();
        if (!exists) {
            return Outcome.refused(ErrorCode.UNKNOWN_PRODUCT, "no product " + productId);
        }
        ctx.db.tx(h -> {
            h.createUpdate("INSERT INTO ticketing.inventory (product_id, visit_date, slot, capacity) VALUES (:p, :d, :s, :c)"
                            + " ON CONFLICT (product_id, visit_date, slot) DO UPDATE SET capacity = :c")
                    .bind("p", productId).bind("d", visitDate).bind("s", slot).bind("c", capacity).execute();
            Audit.record(h, ctx, actor, "inventory.capacity-set", productId, visitDate + " '" + slot + "' = " + capacity);
            return null;
        });
        return Outcome.ok(capacity(productId, visitDate, slot).orElseThrow());
    }

    @Override
    public Optional<Capacity> capacity(String productId, LocalDate visitDate, String slot) {
        return ctx.db.read(h -> h.createQuery("SELECT capacity, sold FROM ticketing.inventory WHERE product_id = :p"
                        + " AND visit_date = :d AND slot = :s")
                .bind("p", productId).bind("d", visitDate).bind("s", slot)
                .map((rs, c) -> new Capacity(productId, visitDate, slot, rs.getInt(1), rs.getInt(2)))
                .findOne());
    }

    /**
     * Reserves {@code quantity} inside the caller's transaction: true if there is no capacity
     * record (unlimited) or enough is left.
     */
    static boolean reserve(Handle h, String productId, LocalDate date, String slot, int quantity) {
        int n = h.createUpdate("UPDATE ticketing.inventory SET sold = sold + :q WHERE product_id = :p AND visit_date = :d"
                        + " AND slot = :s AND sold + :q <= capacity")
                .bind("q", quantity).bind("p", productId).bind("d", date).bind("s", slot).execute();
        if (n > 0) {
            return true;
        }
        return h.createQuery("SELECT 1 FROM ticketing.inventory WHERE product_id = :p AND visit_date = :d AND slot = :s")
                .bind("p", productId).bind("d", date).bind("s", slot).mapTo(Integer.class).findOne().isEmpty();
    }

    /**
     * The slots with a capacity on {@code date} ({@code ""} is the whole day); empty when the date is
     * unlimited. An order for a slot not among them, when there are any, would escape their limits.
     */
    static java.util.List<String> slots(Handle h, String productId, LocalDate date) {
        return h.createQuery("SELECT slot FROM ticketing.inventory WHERE product_id = :p AND visit_date = :d ORDER BY slot")
                .bind("p", productId).bind("d", date).mapTo(String.class).list();
    }

    /** Gives back {@code quantity} inside the caller's transaction. */
    static void release(Handle h, String productId, LocalDate date, String slot, int quantity) {
        h.createUpdate("UPDATE ticketing.inventory SET sold = GREATEST(sold - :q, 0) WHERE product_id = :p"
                        + " AND visit_date = :d AND slot = :s")
                .bind("q", quantity).bind("p", productId).bind("d", date).bind("s", slot).execute();
    }
}
