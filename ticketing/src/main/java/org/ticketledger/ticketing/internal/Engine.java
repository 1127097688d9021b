package org.ticketledger.ticketing.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.ticketledger.ledger.Journal;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.codes.Codes;
import org.ticketledger.ticketing.codes.KeyPolicy;
import org.ticketledger.ticketing.combo.Combos;
import org.ticketledger.ticketing.device.DevicePolicy;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.fee.FeeRefundPolicy;
import org.ticketledger.ticketing.fee.Fees;
import org.ticketledger.ticketing.inventory.Inventory;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.jobs.WorkReport;
import org.ticketledger.ticketing.notify.Notifications;
import org.ticketledger.ticketing.order.Orders;
import org.ticketledger.ticketing.party.Parties;
import org.ticketledger.ticketing.payout.Payouts;
import org.ticketledger.ticketing.pool.TicketPool;
import org.ticketledger.ticketing.profit.ProfitDistribution;
import org.ticketledger.ticketing.reconcile.Reconciliation;
import org.ticketledger.ticketing.reconcile.ReferenceCheck;
import org.ticketledger.ticketing.report.Reports;
import org.ticketledger.ticketing.spi.KeyProtector;
import org.ticketledger.ticketing.spi.Notifier;
import org.ticketledger.ticketing.spi.TicketCodeMinter;
import org.ticketledger.ticketing.ticket.BreakagePolicy;
import org.ticketledger.ticketing.ticket.Tickets;
import org.ticketledger.ticketing.wealth.Wealth;

/** Wires the services; the public facade {@code Ticketing} delegates here. */
public final class Engine implements AutoCloseable {

    private final Ctx ctx;
    private final PartiesImpl parties;
    private final FeesImpl fees;
    private final PoolImpl pool;
    private final InventoryImpl inventory;
    private final OrdersImpl orders;
    private final TicketsImpl tickets;
    private final PayoutsImpl payouts;
    private final Outbox outbox;
    private final Reconciler reconciler;
    private final ReferenceChecker references;
    private final CombosImpl combos;
    private final WealthImpl wealth;
    private final ExpiryImpl expiry;
    private final ReportsImpl reports;
    private final ProfitImpl profits;
    private final CodesImpl codes;
    private final DevicesImpl devices;
    private final DataSource dataSource;
    private Jobs jobs;

    public Engine(DataSource dataSource, Journal journal, RailRegistry rails, Notifier notifier, Clock clock,
                  Optional<TicketCodeMinter> minter, JobSettings settings, FeeRefundPolicy feeRefundPolicy, String instanceId,
                  boolean migrate, BreakagePolicy breakagePolicy, RailId wealthRail, KeyProtector keyProtector, KeyPolicy keyPolicy,
                  DevicePolicy devicePolicy) {
        if (migrate) {
            Db.migrate(dataSource);
        }
        this.dataSource = dataSource;
        this.ctx = new Ctx(new Db(dataSource), journal, rails, notifier, clock, null, settings, feeRefundPolicy, instanceId,
                breakagePolicy, wealthRail);
        SigningKeys signingKeys = new SigningKeys(ctx, keyProtector, keyPolicy);
        signingKeys.ensureKey();
        ctx.minter = minter.orElseGet(() -> new SignedTicketCodeMinter(ctx, signingKeys));
        Book book = new Book(journal);
        RailGateway gateway = new RailGateway(rails);
        this.outbox = new Outbox(ctx);
        this.parties = new PartiesImpl(ctx, book);
        this.fees = new FeesImpl(ctx);
        this.pool = new PoolImpl(ctx);
        this.inventory = new InventoryImpl(ctx);
        this.tickets = new TicketsImpl(ctx, fees);
        this.payouts = new PayoutsImpl(ctx, book, gateway, outbox);
        this.tickets.payouts(payouts);
        this.orders = new OrdersImpl(ctx, book, gateway, outbox, parties, fees, tickets);
        this.reconciler = new Reconciler(ctx, gateway);
        this.references = new ReferenceChecker(ctx);
        this.combos = new CombosImpl(ctx, book, gateway);
        this.expiry = new ExpiryImpl(ctx, book);
        this.wealth = new WealthImpl(ctx, book, gateway, outbox, expiry);
        this.orders.wealth(wealth);
        this.reports = new ReportsImpl(ctx);
        this.profits = new ProfitImpl(ctx, book, reports);
        this.payouts.profits(profits);
        this.codes = new CodesImpl(ctx, signingKeys);
        this.devices = new DevicesImpl(ctx, devicePolicy, signingKeys, codes, tickets);
        // Platforms onboarded before expiry and profit distribution existed get those accounts now.
        ctx.platform().ifPresent(p -> book.openExpiryAndProfit(p.ledger()));
    }

    public Combos combos() {
        return combos;
    }

    public Wealth wealth() {
        return wealth;
    }

    public Reports reports() {
        return reports;
    }

    public ProfitDistribution profits() {
        return profits;
    }

    public Codes codes() {
        return codes;
    }

    public Devices devices() {
        return devices;
    }

    public Parties parties() {
        return parties;
    }

    public Fees fees() {
        return fees;
    }

    public TicketPool pool() {
        return pool;
    }

    public Inventory inventory() {
        return inventory;
    }

    public Orders orders() {
        return orders;
    }

    public Tickets tickets() {
        return tickets;
    }

    public Payouts payouts() {
        return payouts;
    }

    public Notifications notifications() {
        return outbox;
    }

    public Reconciliation reconciliation() {
        return reconciler;
    }

    public ReferenceCheck references() {
        return references;
    }

    public synchronized void startJobs() {
        if (jobs == null) {
            jobs = new Jobs(dataSource, ctx.jobs, ctx.instanceId, List.of(
                    new Jobs.Sweep("ticketing-orders", orders::sweep),
                    new Jobs.Sweep("ticketing-payouts", payouts::sweep),
                    new Jobs.Sweep("ticketing-notifications", outbox::sweep),
                    new Jobs.Sweep("ticketing-wealth", this::wealthWork),
                    new Jobs.Sweep("ticketing-expiry", expiry::sweep)));
            jobs.start();
        }
    }

    public synchronized boolean jobsRunning() {
        return jobs != null;
    }

    public WorkReport runDueWork() {
        int o = orders.sweep();
        int p = payouts.sweep();
        int n = outbox.sweep();
        int w = wealthWork();
        int e = expiry.sweep();
        return new WorkReport(o, p, n, w, e);
    }

    /** Instructions first, so a plan due to close finds them settled; then plan closes and profit runs. */
    private int wealthWork() {
        return wealth.sweepInstructions() + wealth.sweepPlans() + profits.sweep();
    }

    @Override
    public synchronized void close() {
        // Sweeps end at their next row or batch instead of draining on for up to a lease.
        ctx.stop();
        if (jobs != null) {
            jobs.close();
            jobs = null;
        }
        ctx.validation.close();
    }
}
