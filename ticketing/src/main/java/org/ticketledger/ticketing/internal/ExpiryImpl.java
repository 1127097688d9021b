package org.ticketledger.ticketing.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.ticket.BreakagePolicy;
import org.ticketledger.ticketing.ticket.TicketState;

/**
 * Ticket expiry. A single ticket expires when its validity ends; a combo ticket when its combo's
 * wealth plan starts closing (its validity ends no later, and its money comes back with the
 * plan's redeem-all). Expiry turns the ticket EXPIRED under its row lock, which redemption and
 * refund take too, then books the value still standing for it in {@code tickets:unredeemed} as
 * breakage (by the {@link BreakagePolicy}); a crash in between leaves an EXPIRED ticket with
 * {@code expiry_booked = false}, which the sweep books. Amounts come from the ticket's rows, so a
 * re-run books the same entry (a ledger Duplicate).
 */
final class ExpiryImpl {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryImpl.class);

    /**
     * Up to {@code :n} combo tickets whose plan is no longer OPEN ({@code plans} narrows the plans
     * further) and that expiry has not finished with, locked: the products of those plans first, as
     * an array, then their open tickets through {@code tickets_open_by_product} (V29). Written as a
     * join, PostgreSQL read every open ticket (a sequential scan, ~70-110 ms at 88k open tickets)
     * once any plan with combos was not OPEN: before V29 for want of an index, and with it still
     * whenever wealth_plans and combo_products had no statistics, which tables of a few dozen rows
     * may never get from autovacuum. No order: the tickets of a closing plan are all due at once,
     * and ordering them would sort every one of them for each batch.
     */
    private static String comboDue(String plans) {
        return "SELECT t.ticket_id FROM ticketing.tickets t"
                + " WHERE t.product_id = ANY (ARRAY(SELECT c.product_id FROM ticketing.wealth_plans w"
                + " JOIN ticketing.combo_products c ON c.plan_id = w.plan_id WHERE w.state <> 'OPEN'" + plans + "))"
                + " AND NOT t.expiry_booked AND t.state IN ('ISSUED', 'EXPIRED') ORDER BY t.product_id LIMIT :n FOR UPDATE OF t SKIP LOCKED";
    }

    /** A batch of the combo tickets due (see {@link #comboDue}). */
    static final String COMBO_DUE = comboDue("");

    private static final String PLAN_DUE = comboDue(" AND w.plan_id = :p");

    /**
     * Up to {@code :n} single tickets whose validity has ended and that expiry has not finished with
     * (ISSUED, or EXPIRED with the breakage not booked after a crash), oldest validity first, locked:
     * an ordered range scan of {@code tickets_expiry_single} (V31) that stops after the batch. The
     * sweep's query was one UNION of this and the combo branch, ordered as a whole, so PostgreSQL
     * collected and sorted every due ticket for a batch of 100 (319 ms at 100k due); and its range of
     * {@code tickets_expiry_open} held the ISSUED combo tickets past validity under an OPEN plan,
     * read and filtered on every sweep. A combo ticket stored without its flag (see V31) is flagged
     * by {@link #expireBatch} instead of expired. No condition on combo_products here: PostgreSQL
     * cannot estimate one (NOT EXISTS against a table without statistics, or {@code <> ALL} of a
     * sub-select's array, both came out at 1 row of 1,000), and then sorted every due ticket again.
     * SKIP LOCKED passes over a ticket a redemption, a refund or the plan close's expiry holds; it is
     * due again once that is done.
     */
    static final String SINGLE_DUE = "SELECT t.ticket_id FROM ticketing.tickets t"
            + " WHERE NOT t.expiry_booked AND NOT t.combo AND t.valid_until <= :now AND t.state IN ('ISSUED', 'EXPIRED')"
            + " ORDER BY t.valid_until LIMIT :n FOR UPDATE OF t SKIP LOCKED";

    /**
     * The tickets of a batch as expiry needs them, and what still stands for each in
     * {@code tickets:unredeemed}: D less what its redemptions took out (each redeemed spot's price,
     * plus the margin on the one that completed a combo), never below zero.
     */
    private static final String BATCH = "SELECT t.ticket_id, t.order_id, t.product_id, t.state, t.valid_until, t.currency,"
            + " greatest(0, t.face_minor - coalesce((SELECT sum(s.scenic_price_minor + coalesce(s.margin_minor, 0))"
            + " FROM ticketing.ticket_spots s WHERE s.ticket_id = t.ticket_id AND s.redeemed_at IS NOT NULL), 0)) AS unredeemed"
            + " FROM ticketing.tickets t WHERE t.ticket_id = ANY (:ids)";

    /**
     * Marks up to {@code :n} tickets that were redeemed or refunded, and whose validity has ended, as
     * having nothing left for expiry ({@code expiry_booked}), so that they leave
     * {@code tickets_expiry_open} and {@code tickets_open_by_product}: one statement per batch in the
     * sweep, instead of index work in every redemption's UPDATE (V28). Both states are final, and
     * FOR UPDATE checks them again on the row's latest version. SKIP LOCKED passes over a ticket
     * whose row a redemption or refund holds (a late scan of a used ticket) instead of waiting for
     * it; a later statement retires it. The ids reach the primary key as an array: written as
     * {@code IN (subquery)}, PostgreSQL hashed every open ticket to find the batch (EXPLAIN at 100k
     * tickets: ~60 of 130 ms for 1,000 rows).
     */
    private static final String RETIRE = "UPDATE ticketing.tickets SET expiry_booked = true"
            + " WHERE ticket_id = ANY (ARRAY(SELECT r.ticket_id FROM ticketing.tickets r WHERE NOT r.expiry_booked"
            + " AND r.valid_until <= :now AND r.state IN ('REDEEMED', 'REFUNDED') ORDER BY r.valid_until LIMIT :n"
            + " FOR UPDATE SKIP LOCKED))";

    /** The longest a sweep goes on retiring (see {@link #retire}); never more than its interval. */
    private static final Duration RETIRE_BUDGET = Duration.ofSeconds(1);

    private final Ctx ctx;
    private final Book book;

    ExpiryImpl(Ctx ctx, Book book) {
        this.ctx = ctx;
        this.book = book;
    }

    /**
     * Retires what it can (see {@link #retire}), then expires what is due, batch after batch, single
     * and combo tickets in turn, until both come back short, the run has lasted its budget (the sweep
     * interval: with db-scheduler's fixed delay the sweep is busy at most half the time) or the
     * jobs are stopping; returns how many tickets were expired. One batch per run expired 100 every
     * 5 s (20/s): a day's 100k tickets ending together took 1.4 h.
     */
    int sweep() {
        if (ctx.platform().isEmpty()) {
            return 0;
        }
        OffsetDateTime now = Db.ts(ctx.now());
        int batch = ctx.jobs.batchSize();
        retire(now, batch);
        int[] expired = new int[1];
        whileFull(ctx.jobs.sweepInterval(), () -> {
            int single = expireBatch(h -> h.createQuery(SINGLE_DUE).bind("now", now), true, batch, expired);
            int combo = expireBatch(h -> h.createQuery(COMBO_DUE), false, batch, expired);
            return single == batch || combo == batch;
        });
        return expired[0];
    }

    /**
     * Retires batches, each its own statement and transaction (its row locks last one statement),
     * until one comes back short or {@link #RETIRE_BUDGET} (at most the sweep interval) has passed;
     * the rest waits for the next run. One batch per run was 100 every 5 s with the default job
     * settings: 20 tickets/s, 1.7 million a day, so a platform redeeming more than 20/s on average
     * (redeem-http's target is 3,000/s) fell behind for good, and the tickets waiting to be retired
     * stay in the range of {@code tickets_expiry_open} that the due query reads and filters. Under
     * the budget a run retires ~10,000 (batches of 100 took 4-14 ms each at 100k tickets on the
     * shared machine: 6,000 in 0.44 s).
     */
    private void retire(OffsetDateTime now, int batch) {
        Duration interval = ctx.jobs.sweepInterval();
        whileFull(RETIRE_BUDGET.compareTo(interval) < 0 ? RETIRE_BUDGET : interval,
                () -> ctx.db.tx(h -> h.createUpdate(RETIRE).bind("now", now).bind("n", batch).execute()) == batch);
    }

    /**
     * Expires the due tickets of a plan's combos (the plan is closing), batch after batch within the
     * sweep's budget; the sweep's combo branch expires whatever is left.
     */
    int expirePlanTickets(String planId) {
        int batch = ctx.jobs.batchSize();
        int[] expired = new int[1];
        whileFull(ctx.jobs.sweepInterval(),
                () -> expireBatch(h -> h.createQuery(PLAN_DUE).bind("p", planId), false, batch, expired) == batch);
        return expired[0];
    }

    /**
     * Runs {@code batch} (which says whether its batch came back full) again and again while it
     * does, until {@code budget} has passed or the jobs are stopping: what is left waits for the
     * next run.
     */
    private void whileFull(Duration budget, BooleanSupplier batch) {
        long start = System.nanoTime();
        long limit = budget.toNanos();
        boolean full;
        do {
            full = batch.getAsBoolean();
        } while (full && System.nanoTime() - start < limit && !ctx.stopping());
    }

    /** A due query of this class, bound but for {@code :n}. */
    private interface DueQuery {
        org.jdbi.v3.core.statement.Query on(org.jdbi.v3.core.Handle h);
    }

    /** A ticket of a batch as {@link #BATCH} reads it. */
    private record Due(String id, String orderId, String productId, TicketState state, Instant validUntil, Money unredeemed) {
    }

    /**
     * Expires one batch: in one transaction, it locks the batch (SKIP LOCKED), turns its ISSUED
     * tickets EXPIRED and records each; then books each one's breakage in the ledger (all queued at
     * once, so the journal's group commit takes them together), and once those are durable marks
     * the batch {@code expiry_booked} in one statement. A crash after the first transaction leaves
     * EXPIRED tickets not booked, which both due queries select again; their entries are built from
     * the ticket's rows (an EXPIRED ticket's are final) under the same idempotency keys, so a repeat
     * meets a ledger Duplicate instead of booking twice, and only the statement that flips
     * {@code expiry_booked} records the breakage event. Expiry books nothing else (a combo's money
     * comes back with its plan's redeem-all, which the plan close sends). Returns how many tickets
     * the batch locked; adds those it expired to {@code expired[0]}.
     *
     * @param single whether {@code query} is {@link #SINGLE_DUE}: a combo ticket among its rows is
     *               one stored without its flag, which is set instead (it leaves that branch's index
     *               for good); the combo branch expires it when its plan closes
     */
    private int expireBatch(DueQuery query, boolean single, int batch, int[] expired) {
        Platform platform = ctx.platform().orElseThrow();
        Instant now = ctx.now();
        int[] claimed = new int[1];
        List<Due> locked = ctx.db.tx(h -> {
            List<String> ids = query.on(h).bind("n", batch).mapTo(String.class).list();
            claimed[0] = ids.size();
            if (ids.isEmpty()) {
                return List.<Due>of();
            }
            List<Due> rows = h.createQuery(BATCH).bind("ids", ids.toArray(String[]::new))
                    .map((rs, c) -> new Due(rs.getString("ticket_id"), rs.getString("order_id"), rs.getString("product_id"),
                            TicketState.valueOf(rs.getString("state")), Db.instant(rs, "valid_until"),
                            Money.of(rs.getLong("unredeemed"), java.util.Currency.getInstance(rs.getString("currency")))))
                    .list();
            Map<String, String> combo = comboPlans(h, rows);
            if (single && !combo.isEmpty()) {
                String[] unflagged = rows.stream().filter(d -> combo.containsKey(d.productId())).map(Due::id).toArray(String[]::new);
                h.createUpdate("UPDATE ticketing.tickets SET combo = true WHERE ticket_id = ANY (:ids)").bind("ids", unflagged).execute();
                rows = rows.stream().filter(d -> !combo.containsKey(d.productId())).toList();
            }
            List<String> issued = rows.stream().filter(d -> d.state() == TicketState.ISSUED).map(Due::id).toList();
            if (!issued.isEmpty()) {
                h.createUpdate("UPDATE ticketing.tickets SET state = 'EXPIRED', updated_at = :now"
                                + " WHERE ticket_id = ANY (:ids) AND state = 'ISSUED'")
                        .bind("now", Db.ts(now)).bind("ids", issued.toArray(String[]::new)).execute();
                History.Batch events = new History.Batch();
                for (Due d : rows) {
                    if (d.state() == TicketState.ISSUED) {
                        events.add(d.orderId(), "TICKET", d.id(), "ISSUED", "EXPIRED", "ticket.expired",
                                (combo.containsKey(d.productId()) ? "its combo's plan " + combo.get(d.productId()) + " closed"
                                        : "validity ended at " + d.validUntil())
                                        + "; unredeemed " + d.unredeemed().toDecimalString());
                    }
                }
                events.insert(h, ctx);
            }
            return rows;
        });
        expired[0] += (int) locked.stream().filter(d -> d.state() == TicketState.ISSUED).count();
        if (locked.isEmpty()) {
            return claimed[0];
        }
        AccountCode to = ctx.breakagePolicy == BreakagePolicy.REVENUE ? Book.BREAKAGE : Book.EXPIRED;
        Map<String, EntryRequest> requests = new LinkedHashMap<>();
        Map<String, CompletableFuture<PostResult>> pending = new LinkedHashMap<>();
        for (Due d : locked) {
            if (d.unredeemed().isPositive()) {
                EntryRequest r = Book.standard(platform.ledger(), "ticket:" + d.id() + ":expired", "breakage")
                        .debit(Book.UNREDEEMED, d.unredeemed())
                        .credit(to, d.unredeemed())
                        .meta("ticket", d.id()).meta("order", d.orderId()).meta("product", d.productId())
                        .build();
                requests.put(d.id(), r);
                pending.put(d.id(), book.postAsync(r));
            }
        }
        Map<String, String> details = new HashMap<>();
        for (Due d : locked) {
            EntryRequest r = requests.get(d.id());
            if (r == null) {
                details.put(d.id(), "nothing unredeemed");
                continue;
            }
            try {
                Entry e = book.await(r, pending.get(d.id()));
                details.put(d.id(), d.unredeemed().toDecimalString() + " to " + to + ", ledger entry " + e.sequence());
            } catch (TicketingException e) {
                // Stays EXPIRED and not booked: the next batch or sweep posts it again.
                LOG.warn("breakage of ticket {} could not be booked now, retrying later: {}", d.id(), e.getMessage());
            }
        }
        if (!details.isEmpty()) {
            Map<String, Due> byId = new HashMap<>();
            locked.forEach(d -> byId.put(d.id(), d));
            ctx.db.tx(h -> {
                List<String> booked = h.createQuery("UPDATE ticketing.tickets SET expiry_booked = true"
                                + " WHERE ticket_id = ANY (:ids) AND NOT expiry_booked RETURNING ticket_id")
                        .bind("ids", details.keySet().toArray(String[]::new)).mapTo(String.class).list();
                History.Batch events = new History.Batch();
                for (String id : booked) {
                    events.add(byId.get(id).orderId(), "TICKET", id, null, "EXPIRED", "ticket.breakage", details.get(id));
                }
                events.insert(h, ctx);
                return null;
            });
        }
        // Nothing could be booked (the ledger refuses or fails): the same rows would come back at once.
        return details.isEmpty() ? 0 : claimed[0];
    }

    /** The plan of each of the batch's products that is a combo. */
    private static Map<String, String> comboPlans(org.jdbi.v3.core.Handle h, List<Due> rows) {
        Map<String, String> plans = new HashMap<>();
        h.createQuery("SELECT product_id, plan_id FROM ticketing.combo_products WHERE product_id = ANY (:p)")
                .bind("p", rows.stream().map(Due::productId).distinct().toArray(String[]::new))
                .map((rs, c) -> plans.put(rs.getString("product_id"), rs.getString("plan_id"))).list();
        return plans;
    }
}
