package org.ticketledger.ticketing.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.TicketingException;

/**
 * The sweep every background job of a work table shares (orders, payouts, wealth instructions,
 * plan closes): read the due rows, claim each with a lease token in its own transaction, drive it,
 * and put it back with a backoff when driving fails.
 *
 * <p>The claim repeats the due condition, so of several app instances sweeping the same table only
 * one drives a row; a lease that runs out (its instance crashed mid-drive) makes the row due again
 * without anyone having to notice the crash.
 */
final class LeasedSweep {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedSweep.class);

    /** Drives one claimed row; throws {@link TicketingException} to have it postponed. */
    interface Driver {
        void drive(String id, String token);
    }

    private final Ctx ctx;
    private final String table;
    private final String key;
    private final String due;
    private final String order;
    private final String what;

    /**
     * @param table a table of schema {@code ticketing} with {@code lease_owner}, {@code lease_until}
     *              and {@code next_attempt_at}
     * @param key   its id column
     * @param due   SQL condition of a due row, may use {@code :now}; the lease condition is added
     * @param order SQL ordering of the due rows (oldest work first)
     * @param what  how log lines name a row ("payout")
     */
    LeasedSweep(Ctx ctx, String table, String key, String due, String order, String what) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.table = "ticketing." + table;
        this.key = key;
        this.due = "(" + due + ") AND (lease_until IS NULL OR lease_until < :now)";
        this.order = order;
        this.what = what;
    }

    /** Drives the due rows (at most the configured batch) and returns how many it claimed. */
    int run(Driver driver, Duration backoff) {
        Instant now = ctx.now();
        List<String> ids = ctx.db.read(h -> h.createQuery("SELECT " + key + " FROM " + table + " WHERE " + due
                        + " ORDER BY " + order + " LIMIT :n")
                .bind("now", Db.ts(now)).bind("n", ctx.jobs.batchSize()).mapTo(String.class).list());
        int driven = 0;
        for (String id : ids) {
            String token = ctx.leaseToken();
            Instant t = ctx.now();
            boolean claimed = ctx.db.tx(h -> h.createUpdate("UPDATE " + table + " SET lease_owner = :tok, lease_until = :until"
                            + " WHERE " + key + " = :id AND " + due)
                    .bind("tok", token).bind("until", Db.ts(t.plus(ctx.jobs.lease()))).bind("id", id).bind("now", Db.ts(t))
                    .execute() == 1);
            if (!claimed) {
                continue;
            }
            driven++;
            try {
                driver.drive(id, token);
            } catch (TicketingException e) {
                LOG.warn("{} {} could not be driven now, retrying later: {}", what, id, e.getMessage());
                postpone(id, token, backoff);
            }
        }
        return driven;
    }

    /** Gives the row back (if still ours) with its next attempt {@code wait} from now. */
    void postpone(String id, String token, Duration wait) {
        try {
            ctx.db.tx(h -> h.createUpdate("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL,"
                            + " next_attempt_at = :next WHERE " + key + " = :id AND lease_owner = :tok")
                    .bind("next", Db.ts(ctx.now().plus(wait))).bind("id", id).bind("tok", token).execute());
        } catch (TicketingException e) {
            LOG.warn("could not postpone {} {}: {}", what, id, e.getMessage());
        }
    }
}
