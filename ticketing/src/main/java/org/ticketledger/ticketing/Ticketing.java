package org.ticketledger.ticketing;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
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
import org.ticketledger.ticketing.internal.Engine;
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

/**
 * The ticketing platform: one object per process, on a Postgres database (schema
 * {@code ticketing}, migrated on build) next to the journal, moving money through the rails of a
 * {@link RailRegistry}.
 *
 * <pre>{@code
 * Ticketing t = Ticketing.builder().dataSource(ds).journal(journal).rails(rails).build();
 * t.start();                                   // background jobs (retries, payouts, wealth, expiry, SMS)
 * t.parties().onboardPlatform(...);
 * IssueResult r = t.orders().issue(IssueRequest.of(...));
 * }</pre>
 *
 * <p>Several instances may run against one database (several processes, or a restart): the
 * background jobs coordinate through db-scheduler and row leases, and every money-moving step is
 * idempotent, so nothing is charged, paid or booked twice. Thread-safe. Closing stops the jobs and
 * ends this instance (build a new one to go on); the data source, journal and rails belong to the
 * caller and stay open.
 */
public final class Ticketing implements AutoCloseable {

    private final Engine engine;

    private Ticketing(Engine engine) {
        this.engine = engine;
    }

    /** A builder; data source, journal and rails are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Onboarding, account settings, platform funding. */
    public Parties parties() {
        return engine.parties();
    }

    /** The fee schedule. */
    public Fees fees() {
        return engine.fees();
    }

    /** The ticket pool: publish, sync, overlays. */
    public TicketPool pool() {
        return engine.pool();
    }

    /** Capacity per product and date. */
    public Inventory inventory() {
        return engine.inventory();
    }

    /** Issuance and orders. */
    public Orders orders() {
        return engine.orders();
    }

    /** Tickets, redemption, refunds. */
    public Tickets tickets() {
        return engine.tickets();
    }

    /** Issuer keys (the key set devices verify codes with, rotation) and the revocation list. */
    public Codes codes() {
        return engine.codes();
    }

    /** Gate devices: provisioning, operators, sessions, online redeem, offline sync, conflicts. */
    public Devices devices() {
        return engine.devices();
    }

    /** Payouts and the admin's retry. */
    public Payouts payouts() {
        return engine.payouts();
    }

    /** The message outbox. */
    public Notifications notifications() {
        return engine.notifications();
    }

    /** Ledger against rails: settlement accounts and the wealth position. */
    public Reconciliation reconciliation() {
        return engine.reconciliation();
    }

    /** Integrity of the references the database does not enforce: rows that point at nothing. */
    public ReferenceCheck references() {
        return engine.references();
    }

    /** Combo-ticket products (issued and redeemed through {@link #orders()} and {@link #tickets()}). */
    public Combos combos() {
        return engine.combos();
    }

    /** Wealth plans, invest and withdraw instructions, plan closes at expiry, yield per ticket. */
    public Wealth wealth() {
        return engine.wealth();
    }

    /** Financial reports from the ledger. */
    public Reports reports() {
        return engine.reports();
    }

    /** Profit distribution: rules, runs, maker-checker approval, offline or online settlement. */
    public ProfitDistribution profits() {
        return engine.profits();
    }

    /**
     * Starts the background jobs (db-scheduler on the same database). Idempotent.
     *
     * @throws UnableToStartException if the scheduler cannot start
     */
    public Ticketing start() {
        engine.startJobs();
        return this;
    }

    /** Whether the background jobs run in this instance. */
    public boolean running() {
        return engine.jobsRunning();
    }

    /**
     * Drives everything due right now on the calling thread (one round of each sweep), for tools,
     * demos and tests that do not start the jobs.
     */
    public WorkReport runDueWork() {
        return engine.runDueWork();
    }

    /**
     * Stops the background jobs: sweeps finish the rows they are driving and give back the rows they
     * claimed but have not started; waits for those drives (at most a lease).
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Builds a {@link Ticketing}; not thread-safe. Arguments are checked when set. */
    public static final class Builder {
        private DataSource dataSource;
        private Journal journal;
        private RailRegistry rails;
        private Notifier notifier = Notifier.logging();
        private Clock clock = Clock.systemUTC();
        private TicketCodeMinter minter;
        private KeyProtector keyProtector = KeyProtector.none();
        private KeyPolicy keyPolicy = KeyPolicy.defaults();
        private DevicePolicy devicePolicy = DevicePolicy.defaults();
        private JobSettings jobs = JobSettings.defaults();
        private FeeRefundPolicy feeRefundPolicy = FeeRefundPolicy.REFUND_FEE;
        private BreakagePolicy breakagePolicy = BreakagePolicy.REVENUE;
        private RailId wealthRail = RailId.HUIJINBAO;
        private String instanceId;
        private boolean migrate = true;

        private Builder() {
        }

        /** The database (the journal's, usually); ticketing uses schema {@code ticketing}. Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The journal money is booked in. Required. */
        public Builder journal(Journal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The payment rails. Required. */
        public Builder rails(RailRegistry rails) {
            this.rails = Objects.requireNonNull(rails, "rails");
            return this;
        }

        /** Where SMS go; default {@link Notifier#logging()}. */
        public Builder notifier(Notifier notifier) {
            this.notifier = Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        /** The clock for every business time (validity, retries, leases); default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How ticket codes are minted; default: signed TICKET-CODE.md codes with ticketing's own
         * issuer keys (see {@link #keyProtector}), which is what devices verify.
         */
        public Builder ticketCodeMinter(TicketCodeMinter minter) {
            this.minter = Objects.requireNonNull(minter, "minter");
            return this;
        }

        /**
         * How issuer private keys are protected at rest; default {@link KeyProtector#none()} (plain,
         * logged as a warning). Production: {@link KeyProtector#aesGcm} with a master key kept
         * outside the database, or a KMS. Keys stored under one protector do not open under another.
         */
        public Builder keyProtector(KeyProtector protector) {
            this.keyProtector = Objects.requireNonNull(protector, "protector");
            return this;
        }

        /** Issuer key rotation; default {@link KeyPolicy#defaults()}. */
        public Builder keyPolicy(KeyPolicy policy) {
            this.keyPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Device lifetimes and limits (tokens, offline time, login lockout); default {@link DevicePolicy#defaults()}. */
        public Builder devicePolicy(DevicePolicy policy) {
            this.devicePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Timing of the durable work; default {@link JobSettings#defaults()}. */
        public Builder jobSettings(JobSettings settings) {
            this.jobs = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** What refunds do with the issuance fee; default {@link FeeRefundPolicy#REFUND_FEE}. */
        public Builder feeRefundPolicy(FeeRefundPolicy policy) {
            this.feeRefundPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** What expiry does with unredeemed value; default {@link BreakagePolicy#REVENUE}. */
        public Builder breakagePolicy(BreakagePolicy policy) {
            this.breakagePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The rail whose wealth plans combos are invested in; default {@link RailId#HUIJINBAO}. */
        public Builder wealthRail(RailId rail) {
            this.wealthRail = Objects.requireNonNull(rail, "rail");
            return this;
        }

        /** This instance's name in leases and the scheduler; default host, pid and a random suffix. */
        public Builder instanceId(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isBlank() || id.length() > 100) {
                throw new IllegalArgumentException("instance id must have 1-100 characters");
            }
            this.instanceId = id;
            return this;
        }

        /** Whether to apply ticketing's migrations on build; default true. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Builds it (migrating the schema unless told not to); the jobs start with {@link #start()}.
         *
         * @throws IllegalStateException if a required part is missing
         * @throws UnableToStartException if the migrations fail or stored issuer keys do not open
         */
        public Ticketing build() {
            if (dataSource == null || journal == null || rails == null) {
                throw new IllegalStateException("dataSource, journal and rails are required");
            }
            String id = instanceId != null ? instanceId
                    : ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                return new Ticketing(new Engine(dataSource, journal, rails, notifier, clock, Optional.ofNullable(minter), jobs,
                        feeRefundPolicy, id, migrate, breakagePolicy, wealthRail, keyProtector, keyPolicy, devicePolicy));
            } catch (org.flywaydb.core.api.FlywayException e) {
                throw new UnableToStartException("ticketing migrations failed: " + e.getMessage(), e);
            }
        }
    }
}
