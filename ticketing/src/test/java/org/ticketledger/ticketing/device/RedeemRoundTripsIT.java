package org.ticketledger.ticketing.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.util.OptionalLong;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.CountingDataSource;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.ScanRecord;

/**
 * How many statements and commits ticketing sends to the database for one online redemption (the
 * device's authentication and the redeem itself), counted on the JDBC calls: the redeem path is
 * bound by its round trips, so a change that adds one should be a decision, not an accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedeemRoundTripsIT {

    private static final String PASSWORD = "correct horse";
    /** At most this many statements and transactions (the session's read included) per admitted redemption. */
    private static final int MAX_STATEMENTS = 2;
    private static final int MAX_TRANSACTIONS = 2;

    private Harness w;
    private Ticketing t;
    private CountingDataSource counted;

    @BeforeAll
    void world() {
        w = Harness.start();
        t = Ticketing.builder().dataSource(counted = new CountingDataSource(w.dataSource)).journal(w.journal).rails(w.rails).notifier(w.sms)
                .clock(w.clock).jobSettings(w.settings).instanceId("round-trips")
                .devicePolicy(DevicePolicy.defaults().withPasswordIterations(1_000)).build();
        w.onboardPlatform();
    }

    @AfterAll
    void close() {
        t.close();
        w.close();
    }

    @Test
    void anOnlineRedemptionTakesTwoRoundTrips() {
        ScenicSpot spot = w.spot("West Lake");
        Distributor distributor = w.distributor("Gate Travel", Money.parseCny("5000.00"));
        Product product = w.publish(spot, "100.00", "90.00");
        Devices devices = t.devices();
        devices.createOperator(new OperatorRegistration("li.wei", "Li Wei", Optional.of(PASSWORD), Optional.empty(),
                List.of(spot.id())), "admin").orElseThrow();
        GateDevice gate = new GateDevice().provision(devices,
                devices.createProvisioningToken(spot.id(), Optional.of("North"), "admin").orElseThrow().qrText());
        gate.login(devices, "li.wei", PASSWORD);
        // A payout fee with every part of the rule at work, so the one-trip path's fee is checked against FeeRule's.
        FeeRule fee = new FeeRule(123, 275, 200, OptionalLong.of(5_000));
        w.ticketing.fees().setOverride(spot.id(), FeeKind.PAYOUT, fee, "admin").orElseThrow();
        IssueResult issued = w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "RT-1", product.id(), w.today(), 12,
                product.distributorPrice()));
        List<Ticket> tickets = issued(issued);
        // The first redemptions fill what the process keeps (keys, the spot's payout basis).
        for (Ticket ticket : tickets.subList(0, 2)) {
            redeem(devices, gate, ticket, RedeemOutcome.REDEEMED);
        }
        int n = tickets.size() - 2;
        counted.reset();
        for (Ticket ticket : tickets.subList(2, tickets.size())) {
            redeem(devices, gate, ticket, RedeemOutcome.REDEEMED);
        }
        double perRedeem = counted.statements() / (double) n;
        double commitsPerRedeem = counted.transactions() / (double) n;
        System.out.printf("online redemption: %.1f statements in %.1f transactions each (authentication included)%n", perRedeem,
                commitsPerRedeem);
        assertThat(perRedeem).isLessThanOrEqualTo(MAX_STATEMENTS);
        assertThat(commitsPerRedeem).isLessThanOrEqualTo(MAX_TRANSACTIONS);

        // With the bearer token instead of a session read first, the session is checked inside the call.
        List<Ticket> more = issued(w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "RT-2", product.id(), w.today(), 12,
                product.distributorPrice())));
        counted.reset();
        for (Ticket ticket : more) {
            redeemWithToken(devices, gate, ticket, RedeemOutcome.REDEEMED);
        }
        double withToken = counted.statements() / (double) more.size();
        System.out.printf("online redemption with the token: %.1f statements in %.1f transactions each%n", withToken,
                counted.transactions() / (double) more.size());
        assertThat(withToken).isLessThanOrEqualTo(1.0);
        assertThat(counted.transactions() / (double) more.size()).isLessThanOrEqualTo(1.0);
        assertSameWrites(spot, gate, fee, more.get(4));
        // What the call leaves to the Java judgement still runs on the checked session.
        redeemWithToken(devices, gate, more.get(0), RedeemOutcome.ALREADY_REDEEMED);

        counted.reset();
        redeem(devices, gate, tickets.get(5), RedeemOutcome.ALREADY_REDEEMED);
        System.out.printf("already redeemed: %d statements%n", counted.statements());

        assertSameWrites(spot, gate, fee, tickets.get(3));
    }

    /** What the redemption wrote is what the Java path writes: the payout and its fee, the ticket, the history. */
    private void assertSameWrites(ScenicSpot spot, GateDevice gate, FeeRule fee, Ticket ticket) {
        Payout payout = w.ticketing.payouts().byTicket(ticket.id()).stream()
                .filter(x -> x.kind() == PayoutKind.SCENIC_SETTLEMENT).findFirst().orElseThrow();
        Money gross = Money.parseCny("90.00");
        assertThat(payout.gross()).isEqualTo(gross);
        assertThat(payout.fee()).isEqualTo(fee.feeOn(gross));
        assertThat(payout.net()).isEqualTo(gross.minus(fee.feeOn(gross)));
        assertThat(payout.state()).isEqualTo(PayoutState.PENDING);
        assertThat(payout.partyId()).isEqualTo(spot.id());
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);
        List<HistoryEvent> history = w.ticketing.orders().history(ticket.orderId()).stream()
                .filter(e -> e.subjectId().equals(ticket.id()) || e.subjectId().equals(payout.id())).toList();
        assertThat(history).extracting(HistoryEvent::event).containsExactly("ticket.issued", "ticket.redeemed", "payout.created");
        assertThat(history.get(1).detail()).startsWith("at " + spot.id() + " by " + gate.deviceId + " (scan record ");
        assertThat(history.get(1).fromState()).contains("ISSUED");
        assertThat(history.get(1).toState()).isEqualTo("REDEEMED");
        assertThat(history.get(2).detail()).isEqualTo("SCENIC_SETTLEMENT to " + spot.id() + " on " + payout.rail() + ": "
                + gross.toDecimalString() + " − fee " + fee.feeOn(gross).toDecimalString());
        assertThat(history.get(2).toState()).isEqualTo("PENDING");
    }

    /**
     * A session remembered from an earlier request is checked again by the redemption: revoked,
     * logged out or expired since, the token gets the refusal {@code authenticate} gives, and
     * nothing is written; a bad record on such a session still gets the session's refusal first.
     */
    @Test
    void aRememberedSessionIsCheckedAgainByTheRedemption() {
        ScenicSpot spot = w.spot("Lingyin");
        Distributor distributor = w.distributor("Hill Travel", Money.parseCny("5000.00"));
        Product product = w.publish(spot, "100.00", "90.00");
        Devices devices = t.devices();
        devices.createOperator(new OperatorRegistration("zhao.min", "Zhao Min", Optional.of(PASSWORD), Optional.empty(),
                List.of(spot.id())), "admin").orElseThrow();
        List<Ticket> tickets = issued(w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "RT-3", product.id(), w.today(), 12,
                product.distributorPrice())));
        GateDevice[] gates = new GateDevice[3];
        for (int i = 0; i < gates.length; i++) {
            gates[i] = new GateDevice().provision(devices,
                    devices.createProvisioningToken(spot.id(), Optional.of("East " + i), "admin").orElseThrow().qrText());
            gates[i].login(devices, "zhao.min", PASSWORD);
            redeemWithToken(devices, gates[i], tickets.get(i), RedeemOutcome.REDEEMED);
        }

        devices.revokeDevice(gates[0].deviceId, "stolen", "admin").orElseThrow();
        assertRefusedLikeAuthenticate(devices, gates[0], tickets.get(3), DeviceError.DEVICE_REVOKED);
        // A record of another device: the session's refusal still comes first.
        ScanRecord forged = gates[1].scan(tickets.get(3).code(), w.clock.instant());
        assertThat(devices.redeem(gates[0].grant.accessToken(), forged.recordId(), forged))
                .isEqualTo(new OnlineRedeemResult.Rejected(DeviceError.DEVICE_REVOKED,
                        ((AuthResult.Refused) devices.authenticate(gates[0].grant.accessToken())).detail()));

        // A code the call does not cover (the Java judgement's) is not judged on a session refused since.
        ScanRecord garbage = gates[0].scan("not a ticket code", w.clock.instant());
        assertThat(devices.redeem(gates[0].grant.accessToken(), garbage.recordId(), garbage))
                .isInstanceOfSatisfying(OnlineRedeemResult.Rejected.class, no -> assertThat(no.error()).isEqualTo(DeviceError.DEVICE_REVOKED));

        assertThat(devices.logout(gates[1].grant.accessToken(), Optional.empty())).isTrue();
        assertRefusedLikeAuthenticate(devices, gates[1], tickets.get(4), DeviceError.UNAUTHENTICATED);

        w.clock.advance(DevicePolicy.defaults().accessTokenTtl().plusMinutes(1));
        assertRefusedLikeAuthenticate(devices, gates[2], tickets.get(5), DeviceError.TOKEN_EXPIRED);
    }

    private void assertRefusedLikeAuthenticate(Devices devices, GateDevice gate, Ticket ticket, DeviceError expected) {
        AuthResult auth = devices.authenticate(gate.grant.accessToken());
        assertThat(auth).isInstanceOfSatisfying(AuthResult.Refused.class, no -> assertThat(no.error()).isEqualTo(expected));
        ScanRecord r = gate.scan(ticket.code(), w.clock.instant());
        assertThat(devices.redeem(gate.grant.accessToken(), r.recordId(), r))
                .isEqualTo(new OnlineRedeemResult.Rejected(expected, ((AuthResult.Refused) auth).detail()));
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.ISSUED);
        assertThat(w.ticketing.payouts().byTicket(ticket.id())).isEmpty();
    }

    private void redeemWithToken(Devices devices, GateDevice gate, Ticket ticket, RedeemOutcome expected) {
        ScanRecord r = gate.scan(ticket.code(), w.clock.instant());
        OnlineRedeemResult result = devices.redeem(gate.grant.accessToken(), r.recordId(), r);
        assertThat(result).isInstanceOfSatisfying(OnlineRedeemResult.Answered.class,
                a -> assertThat(a.answer().outcome()).isEqualTo(expected));
    }

    /** The order's tickets; on a loaded machine the charge may outlast the call, and the order job finishes it. */
    private List<Ticket> issued(IssueResult r) {
        if (r instanceof IssueResult.Issued done) {
            return done.tickets();
        }
        String orderId = ((IssueResult.InProgress) r).order().id();
        Harness.await(java.time.Duration.ofSeconds(60), () -> {
            w.drain(3);
            return w.ticketing.tickets().byOrder(orderId).size() == 12;
        }, "order " + orderId + " issued");
        return w.ticketing.tickets().byOrder(orderId);
    }

    private void redeem(Devices devices, GateDevice gate, Ticket ticket, RedeemOutcome expected) {
        ScanRecord r = gate.scan(ticket.code(), w.clock.instant());
        OnlineRedeemResult result = devices.redeem(gate.session(devices), r.recordId(), r);
        assertThat(result).isInstanceOfSatisfying(OnlineRedeemResult.Answered.class,
                a -> assertThat(a.answer().outcome()).isEqualTo(expected));
    }
}
