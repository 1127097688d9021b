package org.ticketledger.ticketing.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.combo.ComboDraft;
import org.ticketledger.ticketing.combo.ComboProduct;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.device.LoginResult;
import org.ticketledger.ticketing.device.OnlineRedeemResult;
import org.ticketledger.ticketing.device.OperatorRegistration;
import org.ticketledger.ticketing.device.RedeemOutcome;
import org.ticketledger.ticketing.device.SyncItem;
import org.ticketledger.ticketing.device.SyncRecordResult;
import org.ticketledger.ticketing.device.SyncStatus;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.testing.ComboWorld;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.BreakagePolicy;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.wealth.InstructionKind;
import org.ticketledger.ticketing.wealth.InstructionPurpose;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.verify.ScanRecord;

/**
 * Publishing combos (every refusal with its own code, nothing written), redeeming once per spot in
 * any order, refunding a combo (its price comes back out of the plan), and the expiry of single
 * tickets (EXPIRED, breakage by policy, late redemption and refund refused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CombosAndExpiryIT {

    private ComboWorld w;
    private ScenicSpot lake;
    private ScenicSpot temple;
    private Distributor distributor;
    private int refs;

    @BeforeAll
    void world() {
        w = ComboWorld.start();
        w.onboardPlatform(Money.parseCny("500.00"), Money.parseCny("2000.00"));
        lake = w.alipaySpot("Combo Lake");
        temple = w.hjbSpot("Combo Temple");
        distributor = w.hjbDistributor("Combo Travel", Money.parseCny("5000.00"));
    }

    @AfterAll
    void close() {
        w.close();
    }

    @Test
    void refusesBadCombosWithSpecificCodesAndWritesNothing() {
        PlanId plan = w.newPlan();
        SpotPrice l = ComboWorld.price(lake, "60.00");
        SpotPrice t = ComboWorld.price(temple, "40.01");
        int products = products();
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 20, l, t), "admin"), ErrorCode.INVALID_AMOUNT);
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 20, l,
                new SpotPrice("sp-nowhere", Money.parseCny("1.00"))), "admin"), ErrorCode.UNKNOWN_SCENIC_SPOT);
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 20, l, l), "admin"),
                ErrorCode.VALIDATION_FAILED);
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 20, l), "admin"), ErrorCode.VALIDATION_FAILED);
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 9, l, ComboWorld.price(temple, "1.00")),
                "admin"), ErrorCode.VALIDATION_FAILED);
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 20, l,
                new SpotPrice(temple.id(), Money.of(100, java.util.Currency.getInstance("USD")))), "admin"),
                ErrorCode.CURRENCY_MISMATCH);
        ComboDraft good = w.draft(plan, "100.00", 10, 20, l, ComboWorld.price(temple, "1.00"));
        assertRefused(() -> w.ticketing.combos().publish(new ComboDraft(good.name(), good.description(), good.distributorPrice(),
                good.spots(), good.validFrom(), good.validUntil(), good.validDays(), good.expiresOn(), "bad plan id",
                good.usageRules()), "admin"), ErrorCode.VALIDATION_FAILED);
        assertThat(products()).isEqualTo(products);
        assertThat(w.ticketing.wealth().plan(plan.value())).isEmpty();

        // Two combos with the same expiry may share a plan; another expiry may not.
        ComboProduct first = w.publish(w.draft(plan, "100.00", 10, 20, l, ComboWorld.price(temple, "40.00")));
        ComboProduct second = w.publish(w.draft(plan, "80.00", 10, 20, ComboWorld.price(lake, "50.00"),
                ComboWorld.price(temple, "30.00")));
        assertThat(w.ticketing.combos().byPlan(plan.value())).extracting(c -> c.product().id())
                .containsExactlyInAnyOrder(first.product().id(), second.product().id());
        assertRefused(() -> w.ticketing.combos().publish(w.draft(plan, "100.00", 10, 21, l, ComboWorld.price(temple, "1.00")),
                "admin"), ErrorCode.PLAN_NOT_OPEN);
        assertThat(first.product().spots()).hasSize(2);
        assertThat(first.product().publisherId()).isEqualTo("platform");
        assertThat(w.ticketing.pool().product(first.product().id()).orElseThrow().kind().name()).isEqualTo("COMBO");
    }

    @Test
    void refusesCombosWhereThePlatformHasNoWealthRail() {
        try (Harness alipayOnly = Harness.start()) {
            alipayOnly.onboardPlatform();
            ScenicSpot a = alipayOnly.spot("Only Lake");
            ScenicSpot b = alipayOnly.spot("Only Hill");
            Outcome<ComboProduct> r = alipayOnly.ticketing.combos().publish(new ComboDraft("Alipay only", "", Money.parseCny("10.00"),
                    List.of(new SpotPrice(a.id(), Money.parseCny("4.00")), new SpotPrice(b.id(), Money.parseCny("4.00"))),
                    alipayOnly.today(), alipayOnly.today().plusDays(5), 1, alipayOnly.today().plusDays(6), "P1", ""), "admin");
            assertThat(r).isInstanceOfSatisfying(Outcome.Refused.class,
                    x -> assertThat(x.problem().code()).isEqualTo(ErrorCode.UNSUPPORTED_RAIL));
        }
    }

    @Test
    void redeemsOncePerSpotInAnyOrderAndRefundsAnUnusedComboOutOfThePlan() {
        ComboProduct combo = w.publish(w.draft(w.newPlan(), "100.00", 30, 60, ComboWorld.price(lake, "30.00"),
                ComboWorld.price(temple, "40.00")));
        List<Ticket> tickets = w.issue(distributor, combo, ref(), 2);
        w.drain(10);
        Ticket used = tickets.get(0);
        Ticket refunded = tickets.get(1);

        // Temple first, then the lake: once each; other spots are refused.
        assertThat(redeem(used, temple)).isInstanceOf(RedeemResult.Redeemed.class);
        assertThat(redeem(used, temple)).isInstanceOfSatisfying(RedeemResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.ALREADY_REDEEMED));
        ScenicSpot elsewhere = w.alipaySpot("Not In Combo");
        assertThat(redeem(used, elsewhere)).isInstanceOfSatisfying(RedeemResult.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.WRONG_SCENIC_SPOT));
        assertThat(w.ticketing.tickets().ticket(used.id()).orElseThrow().state()).isEqualTo(TicketState.ISSUED);
        assertThat(redeem(used, lake)).isInstanceOf(RedeemResult.Redeemed.class);
        assertThat(w.ticketing.tickets().ticket(used.id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);
        // The completing redemption books the margin D − ΣS; each spot's its own price.
        assertThat(w.journal.entryByKey(w.ledger(), "ticket:" + used.id() + ":redeemed:" + lake.id()).orElseThrow().total())
                .isEqualTo(Money.parseCny("60.00"));
        assertThat(w.journal.entryByKey(w.ledger(), "ticket:" + used.id() + ":redeemed:" + temple.id()).orElseThrow().total())
                .isEqualTo(Money.parseCny("40.00"));
        assertThat(w.ticketing.tickets().refund(new RefundRequest(distributor.id(), used.number(), "too late")))
                .isInstanceOfSatisfying(RefundResult.Refused.class,
                        r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.NOT_REFUNDABLE));

        // A refund of the unused ticket pays the distributor back and withdraws its D from the plan.
        assertThat(w.ticketing.tickets().refund(new RefundRequest(distributor.id(), refunded.number(), "changed plans")))
                .isInstanceOf(RefundResult.Refunded.class);
        w.settle(Duration.ofSeconds(15), () -> w.ticketing.wealth().byOrder(used.orderId()).stream()
                .allMatch(i -> i.state() == InstructionState.DONE)
                && w.ticketing.payouts().byTicket(refunded.id()).stream().allMatch(p -> p.state() == PayoutState.DONE)
                && w.ticketing.payouts().byTicket(used.id()).stream().allMatch(p -> p.state() == PayoutState.DONE), "settled");
        List<PlanInstruction> moves = w.ticketing.wealth().byOrder(used.orderId());
        assertThat(moves).filteredOn(i -> i.kind() == InstructionKind.WITHDRAW).extracting(PlanInstruction::purpose)
                .containsExactlyInAnyOrder(InstructionPurpose.REDEMPTION, InstructionPurpose.REDEMPTION, InstructionPurpose.REFUND);
        // What stays invested is the used ticket's margin (100 − 30 − 40) until the combo expires.
        assertThat(w.hjb.position(w.ticketing.combos().combo(combo.product().id()).orElseThrow().plan()).principal())
                .isEqualTo(Money.parseCny("30.00"));
        assertThat(w.ticketing.wealth().plan(combo.plan().value()).orElseThrow().invested()).isEqualTo(Money.parseCny("30.00"));
        assertThat(w.ticketing.payouts().byTicket(refunded.id())).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(PayoutKind.REFUND));
        assertThat(w.trialBalanced()).isTrue();
        w.assertReconciled();
    }

    @Test
    void expiresSingleTicketsAtTheEndOfTheirValidityAsBreakageAndRefusesLateUse() {
        Product single = w.ticketing.pool().publish(new SingleTicketDraft(lake.id(), "Lake day", "", Money.parseCny("50.00"),
                Money.parseCny("45.00"), w.today(), w.today().plusDays(10), 1, "one entry"), lake.id()).orElseThrow();
        Distributor d = w.alipayDistributor("Single Travel", Money.parseCny("1000.00"));
        IssueResult r = w.ticketing.orders().issue(IssueRequest.of(d.id(), ref(), single.id(), w.today(), 3,
                single.distributorPrice()));
        List<Ticket> tickets = ((IssueResult.Issued) r).tickets();
        assertThat(redeem(tickets.get(0), lake)).isInstanceOf(RedeemResult.Redeemed.class);
        Money breakage = w.balance("revenue:breakage");

        w.advance(Duration.ofDays(2));
        w.drain(10);
        assertThat(w.ticketing.tickets().ticket(tickets.get(1).id()).orElseThrow().state()).isEqualTo(TicketState.EXPIRED);
        assertThat(w.ticketing.tickets().ticket(tickets.get(2).id()).orElseThrow().state()).isEqualTo(TicketState.EXPIRED);
        assertThat(w.ticketing.tickets().ticket(tickets.get(0).id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);
        assertThat(w.balance("revenue:breakage").minus(breakage)).isEqualTo(Money.parseCny("100.00"));
        assertThat(w.ticketing.orders().history(tickets.get(1).orderId())).anyMatch(e -> e.event().equals("ticket.expired"))
                .anyMatch(e -> e.event().equals("ticket.breakage"));
        assertThat(redeem(tickets.get(1), lake)).isInstanceOfSatisfying(RedeemResult.Refused.class,
                x -> assertThat(x.problem().code()).isEqualTo(ErrorCode.TICKET_EXPIRED));
        assertThat(w.ticketing.tickets().refund(new RefundRequest(d.id(), tickets.get(2).number(), "late")))
                .isInstanceOfSatisfying(RefundResult.Refused.class,
                        x -> assertThat(x.problem().code()).isEqualTo(ErrorCode.TICKET_EXPIRED));
        // Running the expiry again books nothing more.
        w.drain(5);
        assertThat(w.balance("revenue:breakage").minus(breakage)).isEqualTo(Money.parseCny("100.00"));
        assertThat(w.trialBalanced()).isTrue();
    }

    /**
     * V28: the sweep finds what is due through {@code tickets_expiry_open}, which a redemption does
     * not leave; the sweep itself retires redeemed tickets once their validity has ended, and still
     * books an expiry that a crash left unbooked (state EXPIRED, no breakage yet).
     */
    @Test
    void booksAnExpiryACrashLeftUnbookedAndRetiresRedeemedTicketsWithoutBookingThem() throws java.sql.SQLException {
        Product single = w.ticketing.pool().publish(new SingleTicketDraft(lake.id(), "Lake night", "", Money.parseCny("30.00"),
                Money.parseCny("25.00"), w.today(), w.today().plusDays(10), 1, "one entry"), lake.id()).orElseThrow();
        Distributor d = w.alipayDistributor("Night Travel", Money.parseCny("1000.00"));
        List<Ticket> tickets = ((IssueResult.Issued) w.ticketing.orders().issue(IssueRequest.of(d.id(), ref(), single.id(),
                w.today(), 3, single.distributorPrice()))).tickets();
        assertThat(redeem(tickets.get(0), lake)).isInstanceOf(RedeemResult.Redeemed.class);
        assertThat(expiryBooked(tickets.get(0))).isFalse();
        Money breakage = w.balance("revenue:breakage");

        w.advance(Duration.ofDays(2));
        // What ExpiryImpl's first transaction leaves if the process dies before the breakage entry.
        try (java.sql.Connection c = w.dataSource.getConnection();
             java.sql.PreparedStatement st = c.prepareStatement("UPDATE ticketing.tickets SET state = 'EXPIRED' WHERE ticket_id = ?")) {
            st.setString(1, tickets.get(1).id());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        w.drain(10);

        assertThat(w.ticketing.tickets().ticket(tickets.get(0).id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);
        assertThat(expiryBooked(tickets.get(0))).isTrue();
        for (Ticket t : tickets.subList(1, 3)) {
            assertThat(w.ticketing.tickets().ticket(t.id()).orElseThrow().state()).isEqualTo(TicketState.EXPIRED);
            assertThat(expiryBooked(t)).isTrue();
        }
        assertThat(w.balance("revenue:breakage").minus(breakage)).isEqualTo(Money.parseCny("60.00"));
        assertThat(w.trialBalanced()).isTrue();
    }

    /**
     * One run of the sweep retires more than one batch (each its own statement), and expires what is
     * due once: a batch of 2 here, 4 redeemed and 1 refunded ticket past their validity, 2 unused.
     * One RETIRE per run left 3 of the 5 for later runs.
     */
    @Test
    void retiresSeveralBatchesInOneRunAndBooksEachExpiryOnce() throws java.sql.SQLException {
        JobSettings f = JobSettings.fast();
        // A long interval only so that the run's retire budget (at most the interval) is the full second.
        JobSettings batchOfTwo = new JobSettings(f.lease(), Duration.ofMinutes(1), f.pollingInterval(), f.heartbeatInterval(),
                f.missedHeartbeats(), 2, f.chargeBackoffInitial(), f.chargeBackoffMax(), f.payoutBackoffInitial(),
                f.payoutRetryWindow(), f.notifyBackoff(), f.notifyMaxAttempts());
        try (ComboWorld small = ComboWorld.start(batchOfTwo, b -> b)) {
            small.onboardPlatform(Money.parseCny("100.00"), Money.parseCny("0.00"));
            ScenicSpot spot = small.alipaySpot("Batch Lake");
            Product single = small.ticketing.pool().publish(new SingleTicketDraft(spot.id(), "Batch day", "",
                    Money.parseCny("20.00"), Money.parseCny("15.00"), small.today(), small.today().plusDays(3), 1, ""), spot.id())
                    .orElseThrow();
            Distributor d = small.alipayDistributor("Batch Travel", Money.parseCny("500.00"));
            List<Ticket> tickets = ((IssueResult.Issued) small.ticketing.orders().issue(IssueRequest.of(d.id(), "B-1",
                    single.id(), small.today(), 7, single.distributorPrice()))).tickets();
            for (Ticket t : tickets.subList(0, 4)) {
                assertThat(small.ticketing.tickets().redeem(new RedeemRequest(t.number(), spot.id(), "gate")))
                        .isInstanceOf(RedeemResult.Redeemed.class);
            }
            assertThat(small.ticketing.tickets().refund(new RefundRequest(d.id(), tickets.get(4).number(), "rain")))
                    .isInstanceOf(RefundResult.Refunded.class);
            small.drain(10);
            Money breakage = small.balance("revenue:breakage");

            small.advance(Duration.ofDays(2));
            assertThat(small.ticketing.runDueWork().expiries()).isEqualTo(2);

            for (Ticket t : tickets) {
                assertThat(expiryBooked(small, t)).as("ticket %s", t.unitIndex()).isTrue();
            }
            for (Ticket t : tickets.subList(5, 7)) {
                assertThat(small.ticketing.tickets().ticket(t.id()).orElseThrow().state()).isEqualTo(TicketState.EXPIRED);
            }
            assertThat(small.ticketing.tickets().ticket(tickets.get(4).id()).orElseThrow().state()).isEqualTo(TicketState.REFUNDED);
            assertThat(small.balance("revenue:breakage").minus(breakage)).isEqualTo(Money.parseCny("40.00"));
            small.drain(5);
            assertThat(small.balance("revenue:breakage").minus(breakage)).isEqualTo(Money.parseCny("40.00"));
            assertThat(small.trialBalanced()).isTrue();
        }
    }

    private boolean expiryBooked(Ticket t) throws java.sql.SQLException {
        return expiryBooked(w, t);
    }

    private static boolean expiryBooked(ComboWorld w, Ticket t) throws java.sql.SQLException {
        try (java.sql.Connection c = w.dataSource.getConnection();
             java.sql.PreparedStatement st = c.prepareStatement("SELECT expiry_booked FROM ticketing.tickets WHERE ticket_id = ?")) {
            st.setString(1, t.id());
            try (java.sql.ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBoolean(1);
            }
        }
    }

    @Test
    void keepsExpiredValueAsALiabilityUnderThatPolicy() {
        try (ComboWorld held = ComboWorld.start(JobSettings.fast(), b -> b.breakagePolicy(BreakagePolicy.LIABILITY))) {
            held.onboardPlatform(Money.parseCny("100.00"), Money.parseCny("0.00"));
            ScenicSpot spot = held.alipaySpot("Held Lake");
            Product single = held.ticketing.pool().publish(new SingleTicketDraft(spot.id(), "Held day", "",
                    Money.parseCny("20.00"), Money.parseCny("15.00"), held.today(), held.today().plusDays(3), 1, ""), spot.id())
                    .orElseThrow();
            Distributor d = held.alipayDistributor("Held Travel", Money.parseCny("100.00"));
            assertThat(held.ticketing.orders().issue(IssueRequest.of(d.id(), "H-1", single.id(), held.today(), 2,
                    single.distributorPrice()))).isInstanceOf(IssueResult.Issued.class);
            held.advance(Duration.ofDays(2));
            held.drain(10);
            assertThat(held.balance("tickets:expired")).isEqualTo(Money.parseCny("40.00"));
            assertThat(held.balance("revenue:breakage")).isEqualTo(Money.cny(0));
            assertThat(held.balance("tickets:unredeemed")).isEqualTo(Money.cny(0));
            assertThat(held.ticketing.reports().financial(held.today().minusDays(5), held.today()).orElseThrow().expiredHeld())
                    .isEqualTo(Money.parseCny("40.00"));
        }
    }

    @Test
    void gateDevicesRedeemAComboOncePerSpotOnlineAndBySyncEachWithItsWithdraw() {
        ComboProduct combo = w.publish(w.draft(w.newPlan(), "100.00", 30, 60, ComboWorld.price(lake, "30.00"),
                ComboWorld.price(temple, "40.00")));
        Ticket ticket = w.issue(distributor, combo, ref(), 1).get(0);
        w.drain(10);
        Devices devices = w.ticketing.devices();
        devices.createOperator(new OperatorRegistration("combo.gate", "Combo Gate", Optional.of("combo gate pw"), Optional.empty(),
                List.of(lake.id(), temple.id())), "admin").orElseThrow();
        GateDevice atLake = gate(devices, lake);
        GateDevice atTemple = gate(devices, temple);

        ScanRecord online = atLake.scan(ticket.code(), w.clock.instant());
        OnlineRedeemResult r = devices.redeem(atLake.session(devices), online.recordId(), online);
        assertThat(r).isInstanceOfSatisfying(OnlineRedeemResult.Answered.class,
                a -> assertThat(a.answer().outcome()).isEqualTo(RedeemOutcome.REDEEMED));
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.ISSUED);

        ScanRecord offline = atTemple.scan(ticket.code(), w.clock.instant());
        List<SyncRecordResult> synced = devices.sync(atTemple.session(devices), List.of(new SyncItem.Record(offline)));
        assertThat(synced).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(SyncStatus.RECORDED));
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);
        // Each spot's redemption withdraws its price from the plan, and the completing one books the margin.
        assertThat(w.ticketing.wealth().byOrder(ticket.orderId())).filteredOn(i -> i.kind() == InstructionKind.WITHDRAW)
                .extracting(PlanInstruction::purpose).containsExactly(InstructionPurpose.REDEMPTION, InstructionPurpose.REDEMPTION);
        assertThat(w.ticketing.payouts().byTicket(ticket.id())).filteredOn(p -> p.kind() == PayoutKind.SCENIC_SETTLEMENT)
                .hasSize(2);
        // A device's answer does not wait for the ledger; the entry is there at the latest once the
        // payout job has run (it books the redemption before paying).
        w.drain(10);
        assertThat(w.journal.entryByKey(w.ledger(), "ticket:" + ticket.id() + ":redeemed:" + temple.id()).orElseThrow().total())
                .isEqualTo(Money.parseCny("70.00"));
        assertThat(w.journal.entryByKey(w.ledger(), "ticket:" + ticket.id() + ":redeemed:" + lake.id()).orElseThrow().total())
                .isEqualTo(Money.parseCny("30.00"));
    }

    private static GateDevice gate(Devices devices, ScenicSpot spot) {
        String token = devices.createProvisioningToken(spot.id(), Optional.of("Gate"), "admin").orElseThrow().qrText();
        GateDevice d = new GateDevice().provision(devices, token);
        assertThat(d.login(devices, "combo.gate", "combo gate pw")).isInstanceOf(LoginResult.LoggedIn.class);
        return d;
    }

    private RedeemResult redeem(Ticket t, ScenicSpot at) {
        return w.ticketing.tickets().redeem(new RedeemRequest(t.number(), at.id(), "gate"));
    }

    private int products() {
        return w.ticketing.pool().sync(distributor.id(), 0, 500).orElseThrow().items().size();
    }

    private static void assertRefused(Supplier<Outcome<?>> call, ErrorCode code) {
        assertThat(call.get()).isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(r.problem().code())
                .as("%s", r.problem()).isEqualTo(code));
    }

    private String ref() {
        return "CE-" + (++refs);
    }
}
