package org.ticketledger.ticketing.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.alipay.sandbox.SandboxAccount;
import org.ticketledger.huijinbao.HuijinbaoRail;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.postgres.PostgresJournal;
import org.ticketledger.ledger.testing.PostgresFixture;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
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
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * A test world with both rails: a fresh database, a Postgres journal, the Alipay sandbox and the
 * Huijinbao sandbox (with wealth plans) over loopback HTTP through the real rail clients. One
 * {@link ShiftableClock} drives ticketing, the journal's recorded times and Huijinbao's business
 * clock (daily closes, so yield), so advancing it moves all three together; request signatures
 * keep using the wall clock.
 */
public final class ComboWorld implements AutoCloseable {

    public static final int RATE_BP = 300;
    private static final AtomicInteger SEQ = new AtomicInteger();

    public final ShiftableClock clock = new ShiftableClock();
    public final RecordingNotifier sms = new RecordingNotifier();
    public final String jdbcUrl;
    public final HikariDataSource dataSource;
    public final PostgresJournal journal;
    public final AlipaySandbox alipay;
    public final AlipayRail alipayRail;
    public final HuijinbaoSandbox hjb;
    public final HuijinbaoRail hjbRail;
    public final RailRegistry rails;
    public final JobSettings settings;
    private final UnaryOperator<Ticketing.Builder> options;
    public Ticketing ticketing;

    private ComboWorld(JobSettings settings, UnaryOperator<Ticketing.Builder> options) {
        this.settings = settings;
        this.options = options;
        this.jdbcUrl = PostgresFixture.newDatabaseUrl();
        this.dataSource = PostgresFixture.pool(jdbcUrl, 16);
        this.journal = PostgresJournal.builder().dataSource(dataSource).clock(clock).build();
        this.alipay = AlipaySandbox.builder().faultDelay(Duration.ofMillis(1500)).start();
        this.alipayRail = alipay.railBuilder().requestTimeout(Duration.ofMillis(1000)).connectTimeout(Duration.ofSeconds(2)).build();
        this.hjb = HuijinbaoSandbox.builder().clock(clock).platformBalance(Money.cny(0)).start();
        this.hjbRail = hjb.railBuilder().connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofMillis(1000))
                .retryDelay(Duration.ofMillis(10)).callTimeout(Duration.ofSeconds(5)).build();
        this.rails = RailRegistry.empty().register(alipayRail).register(hjbRail);
        this.ticketing = newTicketing("main");
    }

    public static ComboWorld start() {
        return new ComboWorld(JobSettings.fast(), UnaryOperator.identity());
    }

    public static ComboWorld start(JobSettings settings, UnaryOperator<Ticketing.Builder> options) {
        return new ComboWorld(settings, options);
    }

    /** Another ticketing instance on the same database, journal and rails (a restart). */
    public Ticketing newTicketing(String instanceId) {
        return options.apply(Ticketing.builder()
                .dataSource(dataSource)
                .journal(journal)
                .rails(rails)
                .notifier(sms)
                .clock(clock)
                .jobSettings(settings)
                .instanceId(instanceId))
                .build();
    }

    /** Replaces the running instance with a fresh one (the old one is closed: a restart). */
    public void restart(String instanceId) {
        ticketing.close();
        ticketing = newTicketing(instanceId);
    }

    // ---------------------------------------------------------------- world building

    /** Onboards the platform on both rails and books both opening balances. */
    public Platform onboardPlatform(Money alipayOpening, Money hjbOpening) {
        Platform p = ticketing.parties().onboardPlatform(new PlatformRegistration("TicketLedger Combo", "CNY",
                Harness.ADMIN_PHONE, Harness.ZONE.getId(), List.of(
                        AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, alipay.platformUserId()),
                        AccountSetting.of(RailId.HUIJINBAO, IdentityType.ACCOUNT_NO, hjb.platformAccount()))), "admin")
                .orElseThrow();
        fundAlipay(alipayOpening, "opening-alipay");
        fundHuijinbao(hjbOpening, "opening-hjb");
        return p;
    }

    /** The operator adds money to the platform's Alipay account and books it. */
    public void fundAlipay(Money amount, String reference) {
        if (amount.isPositive()) {
            alipay.setPlatformBalance(alipay.platformBalance().plus(amount));
            ticketing.parties().recordFunding(RailId.ALIPAY, amount, reference, "admin").orElseThrow();
        }
    }

    /** The operator adds money to the platform's Huijinbao account and books it. */
    public void fundHuijinbao(Money amount, String reference) {
        if (amount.isPositive()) {
            hjb.fundPlatform(amount);
            ticketing.parties().recordFunding(RailId.HUIJINBAO, amount, reference, "admin").orElseThrow();
        }
    }

    public ScenicSpot alipaySpot(String name) {
        SandboxAccount account = alipay.openAccount(slug(name) + "@spot.example", name, Money.cny(0));
        return ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration(name, Harness.phone(),
                AccountSetting.of(RailId.ALIPAY, IdentityType.USER_ID, account.userId()).withHolderName(name)), "admin")
                .orElseThrow();
    }

    public ScenicSpot hjbSpot(String name) {
        PartyAccount account = hjb.openAccount("S" + SEQ.incrementAndGet(), Money.cny(0));
        return ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration(name, Harness.phone(),
                Harness.setting(account)), "admin").orElseThrow();
    }

    public Distributor alipayDistributor(String name, Money balance) {
        PartyAccount party = alipay.openParty(slug(name) + "@dist.example", name, balance);
        return ticketing.parties().onboardDistributor(new DistributorRegistration(name, Harness.phone(),
                Harness.setting(party), Optional.empty()), "admin").orElseThrow();
    }

    public Distributor hjbDistributor(String name, Money balance) {
        PartyAccount party = hjb.openAccount("D" + SEQ.incrementAndGet(), balance);
        return ticketing.parties().onboardDistributor(new DistributorRegistration(name, Harness.phone(),
                Harness.setting(party), Optional.empty()), "admin").orElseThrow();
    }

    /** A fresh plan at the sandbox, unique per call. */
    public PlanId newPlan() {
        PlanId plan = PlanId.of("COMBO-" + SEQ.incrementAndGet());
        hjb.openPlan(plan, RATE_BP);
        return plan;
    }

    /** A combo valid from today for {@code validDays} days of visits, expiring {@code expiresInDays} from today. */
    public ComboDraft draft(PlanId plan, String d, int validDays, int expiresInDays, SpotPrice... spots) {
        return new ComboDraft("Combo " + plan, "Three spots, one ticket", Money.parseCny(d), List.of(spots), today(),
                today().plusDays(validDays - 1L), validDays, today().plusDays(expiresInDays), plan.value(), "Once per spot");
    }

    public ComboProduct publish(ComboDraft draft) {
        return ticketing.combos().publish(draft, "admin").orElseThrow();
    }

    public static SpotPrice price(ScenicSpot spot, String s) {
        return new SpotPrice(spot.id(), Money.parseCny(s));
    }

    /** Issues {@code quantity} tickets for today; asserts they were issued. */
    public List<Ticket> issue(Distributor d, ComboProduct combo, String ref, int quantity) {
        IssueResult r = ticketing.orders().issue(IssueRequest.of(d.id(), ref, combo.product().id(), today(), quantity,
                combo.product().distributorPrice()));
        assertThat(r).as("issue %s", ref).isInstanceOf(IssueResult.Issued.class);
        return new ArrayList<>(((IssueResult.Issued) r).tickets());
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), Harness.ZONE);
    }

    /** Moves ticketing, the journal and Huijinbao's business clock forward together. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    /**
     * Moves the clocks a few minutes past the plan's expiry and returns the yield the rail has
     * accrued then (what its redeem-all pays, unless another midnight passes first).
     */
    public Money advancePastExpiry(PlanId plan) {
        java.time.Instant expiresAt = ticketing.wealth().plan(plan.value()).orElseThrow().expiresAt();
        Duration d = Duration.between(clock.instant(), expiresAt).plusMinutes(5);
        if (!d.isNegative()) {
            advance(d);
        }
        return hjb.position(plan).accruedYield();
    }

    /** Runs due work until a round finds nothing due (at most {@code rounds} rounds). */
    public void drain(int rounds) {
        for (int i = 0; i < rounds; i++) {
            if (ticketing.runDueWork().idle()) {
                return;
            }
        }
    }

    /** Drains, then waits for backoffs to pass and drains again, until {@code done} or the timeout. */
    public void settle(Duration timeout, java.util.function.BooleanSupplier done, String what) {
        Harness.await(timeout, () -> {
            drain(20);
            return done.getAsBoolean();
        }, what);
    }

    // ---------------------------------------------------------------- checks

    public LedgerId ledger() {
        return LedgerId.of("platform-cny");
    }

    public Money balance(String account) {
        return journal.balance(ledger(), AccountCode.of(account)).orElseThrow().posted();
    }

    public boolean trialBalanced() {
        return journal.trialBalance(ledger(), AsOf.latest()).balanced();
    }

    public void assertReconciled() {
        var report = ticketing.reconciliation().check();
        assertThat(report.balanced()).as("reconciliation %s", report).isTrue();
    }

    private static String slug(String name) {
        return name.toLowerCase().replace(' ', '.') + "." + SEQ.incrementAndGet();
    }

    @Override
    public void close() {
        ticketing.close();
        alipayRail.close();
        alipay.close();
        hjbRail.close();
        hjb.close();
        journal.close();
        dataSource.close();
    }
}
