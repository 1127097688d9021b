package org.ticketledger.ticketing.internal;

import java.time.Clock;
import javax.sql.DataSource;
import org.ticketledger.ledger.Journal;
import org.ticketledger.payment.RailRegistry;
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
import org.ticketledger.ticketing.reconcile.Reconciliation;
import org.ticketledger.ticketing.spi.Notifier;
import org.ticketledger.ticketing.spi.TicketCodeMinter;
import org.ticketledger.ticketing.ticket.Tickets;

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
    private final DataSource dataSource;
    private Jobs jobs;

    public Engine(DataSource dataSource, Journal journal, RailRegistry rails, Notifier notifier, Clock clock,
                  TicketCodeMinter minter, JobSettings settings, FeeRefundPolicy feeRefundPolicy, String instanceId,
                  boolean migrate) {
        if (migrate) {
            Db.migrate(dataSource);
        }
        this.dataSource = dataSource;
        this.ctx = new Ctx(new Db(dataSource), journal, rails, notifier, clock, minter, settings, feeRefundPolicy, instanceId);
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

    public synchronized void startJobs() {
        if (jobs == null) {
            jobs = new Jobs(dataSource, ctx.jobs, ctx.instanceId, orders::sweep, payouts::sweep, outbox::sweep);
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
        return new WorkReport(o, p, n);
    }

    @Override
    public synchronized void close() {
        if (jobs != null) {
            jobs.close();
            jobs = null;
        }
        ctx.validation.close();
    }
}
