package org.ticketledger.ticketing.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.fee.FeeRefundPolicy;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.spi.Notifier;
import org.ticketledger.ticketing.spi.TicketCodeMinter;
import org.ticketledger.ticketing.ticket.BreakagePolicy;

/** What every service shares: the stores, the rails, the clock and settings. Thread-safe. */
final class Ctx {

    final Db db;
    final Journal journal;
    final RailRegistry rails;
    final Notifier notifier;
    final Clock clock;
    /** Set once by Engine before any use (the default minter needs this context). */
    TicketCodeMinter minter;
    final JobSettings jobs;
    final FeeRefundPolicy feeRefundPolicy;
    final String instanceId;
    /** What expiry does with unredeemed value. */
    final BreakagePolicy breakagePolicy;
    /** The rail whose wealth plans combos are invested in. */
    final RailId wealthRail;
    final Validation validation = new Validation();
    /** The numbers ticket codes carry for spots and products (assigned once, never changed). */
    final CodeNumbers codeNumbers = new CodeNumbers();
    private final AtomicReference<Platform> platform = new AtomicReference<>();
    private volatile boolean stopping;

    Ctx(Db db, Journal journal, RailRegistry rails, Notifier notifier, Clock clock, TicketCodeMinter minter,
        JobSettings jobs, FeeRefundPolicy feeRefundPolicy, String instanceId, BreakagePolicy breakagePolicy,
        RailId wealthRail) {
        this.db = db;
        this.journal = journal;
        this.rails = rails;
        this.notifier = notifier;
        this.clock = clock;
        this.minter = minter;
        this.jobs = jobs;
        this.feeRefundPolicy = feeRefundPolicy;
        this.instanceId = instanceId;
        this.breakagePolicy = breakagePolicy;
        this.wealthRail = wealthRail;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Stops the sweeps at their next row or batch (the rest waits for a later run, here or on
     * another instance), so that closing the jobs does not wait for, or cut short, a drain that may
     * run for up to a lease.
     */
    void stop() {
        stopping = true;
    }

    /** Whether {@link #stop} was called. */
    boolean stopping() {
        return stopping;
    }

    /** A lease owner token for one drive of one row. */
    String leaseToken() {
        return instanceId + "/" + Long.toHexString(Thread.currentThread().getId()) + "/" + System.nanoTime();
    }

    /** The platform, read once onboarded (its settings do not change afterwards). */
    Optional<Platform> platform() {
        Platform p = platform.get();
        if (p != null) {
            return Optional.of(p);
        }
        Optional<Platform> loaded = db.read(h -> h.createQuery(
                        "SELECT name, ledger_id, currency, admin_phone, time_zone, created_at FROM ticketing.platform WHERE id = 1")
                .map((rs, c) -> new Platform(rs.getString("name"), LedgerId.of(rs.getString("ledger_id")),
                        Currency.getInstance(rs.getString("currency")), rs.getString("admin_phone"),
                        ZoneId.of(rs.getString("time_zone")), settlementAccounts(h),
                        Db.instant(rs, "created_at")))
                .findOne());
        loaded.ifPresent(platform::set);
        return loaded;
    }

    private static Map<RailId, PartyAccount> settlementAccounts(org.jdbi.v3.core.Handle h) {
        Map<RailId, PartyAccount> out = new HashMap<>();
        h.createQuery("SELECT DISTINCT ON (rail) rail, identity, identity_type, holder_name FROM ticketing.platform_accounts"
                        + " ORDER BY rail, version DESC")
                .map((rs, c) -> new PartyAccount(RailId.of(rs.getString("rail")), rs.getString("identity"),
                        IdentityType.valueOf(rs.getString("identity_type")),
                        Optional.ofNullable(rs.getString("holder_name")), Optional.empty()))
                .forEach(a -> out.put(a.rail(), a));
        return out;
    }

    void forgetPlatform() {
        platform.set(null);
    }
}
