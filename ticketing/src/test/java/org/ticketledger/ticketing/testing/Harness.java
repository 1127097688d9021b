package org.ticketledger.ticketing.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.alipay.sandbox.SandboxAccount;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.ledger.testing.PostgresFixture;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.DistributorRegistration;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.party.PlatformRegistration;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.party.ScenicSpotRegistration;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * One test world: a fresh database on the shared embedded Postgres, a Postgres journal, an Alipay
 * sandbox spoken to over loopback HTTP by the real {@link AlipayRail}, a recording SMS provider and
 * a clock tests can move. Helpers onboard parties and publish products.
 */
public final class Harness implements AutoCloseable {

    public static final String ADMIN_PHONE = "13800000000";
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** What the platform's Alipay account holds at the start, booked as opening funding. */
    public static final Money OPENING = Money.parseCny("1000.00");

    private static final AtomicInteger PHONES = new AtomicInteger(1000);

    public final HikariDataSource dataSource;
    public final String jdbcUrl;
    public final PostgresJournal journal;
    public final AlipaySandbox sandbox;
    public final AlipayRail rail;
    public final RailRegistry rails;
    public final RecordingNotifier sms = new RecordingNotifier();
    public final ShiftableClock clock = new ShiftableClock();
    public final JobSettings settings;
    public final Ticketing ticketing;

    private final UnaryOperator<Ticketing.Builder> customize;

    private Harness(JobSettings settings, Duration railTimeout, Duration faultDelay, UnaryOperator<Ticketing.Builder> customize) {
        this.settings = settings;
        this.customize = customize;
        this.jdbcUrl = PostgresFixture.newDatabaseUrl();
        this.dataSource = PostgresFixture.pool(jdbcUrl, 24);
        this.journal = PostgresJournal.builder().dataSource(dataSource).build();
        this.sandbox = AlipaySandbox.builder().faultDelay(faultDelay).start();
        this.rail = sandbox.railBuilder().requestTimeout(railTimeout).connectTimeout(Duration.ofSeconds(2)).build();
        this.rails = RailRegistry.empty().register(rail);
        this.ticketing = newTicketing("main");
    }

    /** A world with fast job timings and a 700 ms rail timeout. */
    public static Harness start() {
        return start(JobSettings.fast());
    }

    public static Harness start(JobSettings settings) {
        return new Harness(settings, Duration.ofMillis(700), Duration.ofMillis(2100), UnaryOperator.identity());
    }

    /** A world whose ticketing instances are built with {@code customize} applied (key protection, device policy). */
    public static Harness start(UnaryOperator<Ticketing.Builder> customize) {
        return new Harness(JobSettings.fast(), Duration.ofMillis(700), Duration.ofMillis(2100), customize);
    }

    /** A world whose sandbox holds delayed replies for {@code faultDelay} (for crashes mid-call). */
    public static Harness start(JobSettings settings, Duration faultDelay) {
        return new Harness(settings, Duration.ofMillis(700), faultDelay, UnaryOperator.identity());
    }

    /** Another ticketing instance on the same database, journal and rails (a second process, a restart). */
    public Ticketing newTicketing(String instanceId) {
        return customize.apply(Ticketing.builder())
                .dataSource(dataSource)
                .journal(journal)
                .rails(rails)
                .notifier(sms)
                .clock(clock)
                .jobSettings(settings)
                .instanceId(instanceId)
                .build();
    }

    /**
     * Another ticketing instance like {@link #newTicketing(String)}, paying through {@code rail} alone
     * (a wrapper that counts, blocks or dies around this world's rail).
     */
    public Ticketing newTicketing(String instanceId, PaymentRail rail) {
        return customize.apply(Ticketing.builder())
                .dataSource(dataSource)
                .journal(journal)
                .rails(RailRegistry.empty().register(rail))
                .notifier(sms)
                .clock(clock)
                .jobSettings(settings)
                .instanceId(instanceId)
                .build();
    }

    // ---------------------------------------------------------------- world building

    /** Onboards the platform on Alipay and books the sandbox's opening platform balance. */
    public Platform onboardPlatform() {
        sandbox.setPlatformBalance(OPENING);
        Platform p = ticketing.parties().onboardPlatform(new PlatformRegistration("TicketLedger Test", "CNY", ADMIN_PHONE,
                ZONE.getId(), List.of(AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, sandbox.platformUserId()))),
                "admin").orElseThrow();
        ticketing.parties().recordFunding(RailId.ALIPAY, OPENING, "opening-balance", "admin").orElseThrow();
        return p;
    }

    public ScenicSpot spot(String name) {
        SandboxAccount account = sandbox.openAccount(name.toLowerCase().replace(' ', '.') + "@spot.example", name,
                Money.cny(0));
        return ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration(name, phone(),
                AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, account.userId()).withHolderName(name)), "admin")
                .orElseThrow();
    }

    public Distributor distributor(String name, Money balance) {
        PartyAccount party = sandbox.openParty(name.toLowerCase().replace(' ', '.') + "@dist.example", name, balance);
        return ticketing.parties().onboardDistributor(new DistributorRegistration(name, phone(), setting(party),
                Optional.empty()), "admin").orElseThrow();
    }

    public static AccountSetting setting(PartyAccount party) {
        return new AccountSetting(party.rail().value(), party.identity(), party.identityType(), party.holderName(),
                party.agreementNo());
    }

    public Product publish(ScenicSpot spot, String d, String s) {
        return ticketing.pool().publish(draft(spot, d, s), spot.id()).orElseThrow();
    }

    public SingleTicketDraft draft(ScenicSpot spot, String d, String s) {
        return new SingleTicketDraft(spot.id(), "Entry " + spot.name(), "Day ticket", Money.parseCny(d), Money.parseCny(s),
                today(), today().plusDays(60), 1, "One entry per ticket");
    }

    public IssueRequest order(Distributor d, Product p, String ref, int quantity) {
        return IssueRequest.of(d.id(), ref, p.id(), today(), quantity, p.distributorPrice());
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZONE);
    }

    public String userId(PartyAccount account) {
        return account.identity();
    }

    public static String phone() {
        return "139" + String.format("%08d", PHONES.incrementAndGet());
    }

    // ---------------------------------------------------------------- checks

    public LedgerId ledger() {
        return LedgerId.of("platform-cny");
    }

    /** The posted balance of a ledger account on its normal side. */
    public Money ledgerBalance(String account) {
        return journal.balance(ledger(), AccountCode.of(account)).orElseThrow().posted();
    }

    /** Polls until the condition holds (background jobs) or fails after {@code timeout}. */
    public static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Runs due work until a round finds nothing due, at most {@code rounds} times. */
    public void drain(int rounds) {
        for (int i = 0; i < rounds; i++) {
            if (ticketing.runDueWork().idle()) {
                return;
            }
        }
    }

    /**
     * {@code n} tickets of a new spot's product, issued to a new distributor and redeemed at the
     * spot: their payouts, PENDING (no job has driven them). Call after {@link #onboardPlatform}.
     */
    public List<Payout> redeemedPayouts(String spotName, int n) {
        ScenicSpot spot = spot(spotName);
        Product product = publish(spot, "100.00", "90.00");
        Distributor d = distributor(spotName + " Travel", Money.parseCny("10000.00"));
        IssueResult r = ticketing.orders().issue(order(d, product, spotName.replace(' ', '-') + "-1", n));
        List<Ticket> tickets;
        if (r instanceof IssueResult.Issued issued) {
            tickets = issued.tickets();
        } else {
            // The sandbox's answer came late on a loaded machine: the order sweep finishes the charge.
            String orderId = ((IssueResult.InProgress) r).order().id();
            await(Duration.ofSeconds(60), () -> {
                drain(1);
                return ticketing.tickets().byOrder(orderId).size() == n;
            }, "the order issued");
            tickets = ticketing.tickets().byOrder(orderId);
        }
        List<Payout> out = new ArrayList<>();
        for (Ticket t : tickets) {
            RedeemResult redeemed = ticketing.tickets().redeem(new RedeemRequest(t.id(), spot.id(), "gate"));
            out.add(((RedeemResult.Redeemed) redeemed).payout());
        }
        if (!out.stream().allMatch(p -> payoutState(p) == PayoutState.PENDING)) {
            throw new AssertionError("a payout was driven before the test drove it: " + out);
        }
        return out;
    }

    /** The payout's state as stored now. */
    public PayoutState payoutState(Payout p) {
        return ticketing.payouts().payout(p.id()).orElseThrow().state();
    }

    /** Whether every one of {@code payouts} is DONE. */
    public boolean allPaid(List<Payout> payouts) {
        return payouts.stream().allMatch(p -> payoutState(p) == PayoutState.DONE);
    }


    /** Asserts the reconciliation check: every rail agrees with the ledger to the fen. */
    public void assertReconciled() {
        var report = ticketing.reconciliation().check();
        assertThat(report.lines()).isNotEmpty();
        assertThat(report.balanced()).as("reconciliation %s", report).isTrue();
    }

    @Override
    public void close() {
        ticketing.close();
        rail.close();
        sandbox.close();
        journal.close();
        dataSource.close();
    }
}
