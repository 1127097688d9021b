package org.ticketledger.ticketing.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.ticket.BreakagePolicy;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketSpot;
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
     * Combo tickets whose plan is no longer OPEN ({@code plans} narrows the plans further) and that
     * expiry has not finished with: {@link #DUE_BRANCHES}' second branch, and a closing plan's
     * tickets. The products of those plans come first, as an array, and their open tickets through
     * {@code tickets_open_by_product} (V29). Written as a join, PostgreSQL read every open ticket (a
     * sequential scan, ~70-110 ms at 88k open tickets) once any plan with combos was not OPEN: before
     * V29 for want of an index, and with it still whenever wealth_plans and combo_products had no
     * statistics, which tables of a few dozen rows may never get from autovacuum.
     */
    private static String comboDue(String plans) {
        return "SELECT t.ticket_id, t.valid_until FROM ticketing.tickets t"
                + " WHERE t.product_id = ANY (ARRAY(SELECT c.product_id FROM ticketing.wealth_plans w"
                + " JOIN ticketing.combo_products c ON c.plan_id = w.plan_id WHERE w.state <> 'OPEN'" + plans + "))"
                + " AND NOT t.expiry_booked AND t.state IN ('ISSUED', 'EXPIRED')";
    }

    private static final String COMBO_DUE = comboDue("");

    private static final String PLAN_DUE = comboDue(" AND w.plan_id = :p");

    /**
     * Tickets that should be EXPIRED but are not, or are but their breakage is not booked, as two
     * branches each an index can answer (V28): a single ticket by the range {@code valid_until <= :now}
     * of {@code tickets_expiry_open}, a combo ticket through its plan. Written as one OR across the
     * ticket and its plan, the condition was a sequential scan of every ticket. A single ticket
     * expires only once its validity has ended, so an EXPIRED one not booked is in the first branch;
     * a combo one, in the second.
     */
    private static final String DUE_BRANCHES = "SELECT t.ticket_id, t.valid_until FROM ticketing.tickets t"
            + " WHERE NOT t.expiry_booked AND t.valid_until <= :now"
            + " AND (t.state = 'EXPIRED' OR (t.state = 'ISSUED'"
            + " AND NOT EXISTS (SELECT 1 FROM ticketing.combo_products c WHERE c.product_id = t.product_id)))"
            + " UNION " + COMBO_DUE;

    /** The sweep's batch of {@link #DUE_BRANCHES}, the oldest validity first. */
    static final String DUE = "SELECT ticket_id FROM (" + DUE_BRANCHES + ") d ORDER BY valid_until LIMIT :n";

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

    /** Retires what it can (see {@link #retire}), then expires what is due; returns how many tickets were expired. */
    int sweep() {
        if (ctx.platform().isEmpty()) {
            return 0;
        }
        OffsetDateTime now = Db.ts(ctx.now());
        int batch = ctx.jobs.batchSize();
        retire(now, batch);
        List<String> due = ctx.db.read(h -> h.createQuery(DUE).bind("now", now).bind("n", batch).mapTo(String.class).list());
        return expireAll(due);
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
    private int retire(OffsetDateTime now, int batch) {
        long budget = Math.min(RETIRE_BUDGET.toNanos(), ctx.jobs.sweepInterval().toNanos());
        long start = System.nanoTime();
        int total = 0;
        int n;
        do {
            n = ctx.db.tx(h -> h.createUpdate(RETIRE).bind("now", now).bind("n", batch).execute());
            total += n;
        } while (n == batch && System.nanoTime() - start < budget);
        return total;
    }

    /** Expires the due tickets of a plan's combos (the plan is closing). */
    int expirePlanTickets(String planId) {
        List<String> due = ctx.db.read(h -> h.createQuery("SELECT ticket_id FROM (" + PLAN_DUE + ") d")
                .bind("p", planId).mapTo(String.class).list());
        return expireAll(due);
    }

    private int expireAll(List<String> ids) {
        int n = 0;
        for (String id : ids) {
            try {
                expire(id);
                n++;
            } catch (TicketingException e) {
                LOG.warn("ticket {} could not be expired now, retrying later: {}", id, e.getMessage());
            }
        }
        return n;
    }

    private void expire(String ticketId) {
        Platform platform = ctx.platform().orElseThrow();
        Instant now = ctx.now();
        ctx.db.tx(h -> {
            Ticket t = TicketsImpl.load(h, ticketId, true).orElseThrow();
            if (t.state() != TicketState.ISSUED) {
                return null;
            }
            Optional<String> plan = WealthImpl.planOf(h, t.productId());
            boolean due = plan.isEmpty() ? !now.isBefore(t.validUntil())
                    : !h.createQuery("SELECT state FROM ticketing.wealth_plans WHERE plan_id = :p").bind("p", plan.get())
                    .mapTo(String.class).one().equals("OPEN");
            if (!due) {
                return null;
            }
            h.createUpdate("UPDATE ticketing.tickets SET state = 'EXPIRED', updated_at = :now WHERE ticket_id = :t")
                    .bind("now", Db.ts(now)).bind("t", t.id()).execute();
            History.record(h, ctx, t.orderId(), "TICKET", t.id(), "ISSUED", "EXPIRED", "ticket.expired",
                    plan.map(p -> "its combo's plan " + p + " closed").orElse("validity ended at " + t.validUntil())
                            + "; unredeemed " + unredeemed(h, t).toDecimalString());
            return null;
        });
        Ticket t = ctx.db.read(h -> TicketsImpl.load(h, ticketId, false)).orElseThrow();
        boolean booked = ctx.db.read(h -> h.createQuery("SELECT expiry_booked FROM ticketing.tickets WHERE ticket_id = :t")
                .bind("t", ticketId).mapTo(Boolean.class).one());
        if (t.state() != TicketState.EXPIRED || booked) {
            return;
        }
        Money amount = ctx.db.read(h -> unredeemed(h, t));
        String detail = "nothing unredeemed";
        if (amount.isPositive()) {
            AccountCode to = ctx.breakagePolicy == BreakagePolicy.REVENUE ? Book.BREAKAGE : Book.EXPIRED;
            Entry e = book.post(Book.standard(platform.ledger(), "ticket:" + t.id() + ":expired", "breakage")
                    .debit(Book.UNREDEEMED, amount)
                    .credit(to, amount)
                    .meta("ticket", t.id()).meta("order", t.orderId()).meta("product", t.productId())
                    .build());
            detail = amount.toDecimalString() + " to " + to + ", ledger entry " + e.sequence();
        }
        String d = detail;
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.tickets SET expiry_booked = true WHERE ticket_id = :t AND NOT expiry_booked")
                    .bind("t", ticketId).execute();
            if (n == 1) {
                History.record(h, ctx, t.orderId(), "TICKET", t.id(), null, "EXPIRED", "ticket.breakage", d);
            }
            return null;
        });
    }

    /**
     * What still stands for the ticket in {@code tickets:unredeemed}: D less what its redemptions
     * took out (each spot's price, plus the margin on the one that completed a combo).
     */
    private static Money unredeemed(org.jdbi.v3.core.Handle h, Ticket t) {
        long out = 0;
        for (TicketSpot s : t.spots()) {
            if (s.redeemed()) {
                Long margin = h.createQuery("SELECT margin_minor FROM ticketing.ticket_spots WHERE ticket_id = :t AND spot_id = :s")
                        .bind("t", t.id()).bind("s", s.spotId()).mapTo(Long.class).findOne().orElse(null);
                out += s.scenicPrice().minor() + (margin == null ? 0 : margin);
            }
        }
        return Money.of(Math.max(0, t.faceValue().minor() - out), t.faceValue().currency());
    }
}
