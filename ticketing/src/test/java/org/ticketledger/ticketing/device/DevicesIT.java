package org.ticketledger.ticketing.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.RevocationDelta;
import org.ticketledger.verify.ScanRecord;
import org.ticketledger.verify.TicketCode;
import org.ticketledger.verify.TicketCodec;
import org.ticketledger.verify.TicketPayload;
import org.ticketledger.verify.internal.Base45;

/**
 * The device side over Postgres and the Alipay sandbox, through the library API: codes, sessions,
 * online redeem with every outcome, offline sync with conflicts, and payouts once per spot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevicesIT {

    private static final String PASSWORD = "correct horse";

    private Harness w;
    private Ticketing t;
    private Devices devices;
    private ScenicSpot westLake;
    private ScenicSpot lingyin;
    private Distributor distributor;
    private Product product;
    private Product lingyinProduct;
    private int orders;

    @BeforeAll
    void world() {
        w = Harness.start();
        // The device side with test-speed password hashing, on the harness's database.
        t = Ticketing.builder().dataSource(w.dataSource).journal(w.journal).rails(w.rails).notifier(w.sms).clock(w.clock)
                .jobSettings(w.settings).instanceId("devices")
                .devicePolicy(DevicePolicy.defaults().withPasswordIterations(1_000)).build();
        devices = t.devices();
        w.onboardPlatform();
        westLake = w.spot("West Lake");
        lingyin = w.spot("Lingyin");
        distributor = w.distributor("Gate Travel", Money.parseCny("5000.00"));
        product = w.publish(westLake, "100.00", "90.00");
        lingyinProduct = w.publish(lingyin, "50.00", "45.00");
        devices.createOperator(new OperatorRegistration("li.wei", "Li Wei", Optional.of(PASSWORD), Optional.of("2468"),
                List.of(westLake.id())), "admin").orElseThrow();
        devices.createOperator(new OperatorRegistration("zhang.min", "Zhang Min", Optional.of(PASSWORD), Optional.empty(),
                List.of(lingyin.id())), "admin").orElseThrow();
    }

    @AfterAll
    void close() {
        t.close();
        w.close();
    }

    private Ticket ticket(Product p, int daysAhead) {
        IssueResult r = w.ticketing.orders().issue(IssueRequest.of(distributor.id(), "GT-" + (++orders), p.id(),
                w.today().plusDays(daysAhead), 1, p.distributorPrice()));
        return ((IssueResult.Issued) r).tickets().get(0);
    }

    private Ticket ticket() {
        return ticket(product, 0);
    }

    private GateDevice device(ScenicSpot spot, String gate, String username) {
        String token = devices.createProvisioningToken(spot.id(), Optional.of(gate), "admin").orElseThrow().qrText();
        GateDevice d = new GateDevice().provision(devices, token);
        assertThat(d.login(devices, username, PASSWORD)).isInstanceOf(LoginResult.LoggedIn.class);
        return d;
    }

    private RedeemAnswer online(GateDevice d, ScanRecord r) {
        OnlineRedeemResult result = devices.redeem(d.session(devices), r.recordId(), r);
        assertThat(result).isInstanceOf(OnlineRedeemResult.Answered.class);
        return ((OnlineRedeemResult.Answered) result).answer();
    }

    private RedeemAnswer online(GateDevice d, String code) {
        return online(d, d.scan(code, w.clock.instant()));
    }

    private List<Payout> spotPayouts(Ticket ticket) {
        return w.ticketing.payouts().byTicket(ticket.id()).stream().filter(p -> p.kind() == PayoutKind.SCENIC_SETTLEMENT).toList();
    }

    private static SyncRecordResult syncOne(Devices devices, GateDevice d, SyncItem item) {
        return devices.sync(d.session(devices), List.of(item)).get(0);
    }

    // ---------------------------------------------------------------- codes

    @Test
    void issuesSignedCodesThatVerifyWithThePublishedKeySetAndCarryTheTicketAndSpotNumbers() {
        Ticket ticket = ticket();
        KeySet keys = t.codes().keySet();
        TicketCode code = TicketCodec.decode(ticket.code()).ticketCode().orElseThrow();
        TicketPayload p = code.payload();
        assertThat(keys.version()).isPositive();
        assertThat(keys.key(p.keyId())).hasValueSatisfying(k -> assertThat(code.isSignedBy(k.publicKey())).isTrue());
        assertThat(p.ticketId()).isEqualTo(Long.parseLong(ticket.number()));
        GateDevice d = device(westLake, "North gate", "li.wei");
        assertThat(p.spotIds()).containsExactly(d.spotNumber);
        assertThat(p.validUntil()).isEqualTo(ticket.validUntil());
        assertThat(p.uses()).isEqualTo(1);
    }

    @Test
    void revocationsGrowByRefundAndAreFetchedAsDeltasOrInFull() {
        w.ticketing.tickets().refund(new RefundRequest(distributor.id(), ticket().id(), "cancelled"));
        long before = t.codes().revocationVersion();
        Ticket a = ticket();
        Ticket b = ticket();
        assertThat(w.ticketing.tickets().refund(new RefundRequest(distributor.id(), a.id(), "cancelled"))).isInstanceOf(RefundResult.Refunded.class);
        assertThat(w.ticketing.tickets().refund(new RefundRequest(distributor.id(), b.id(), "cancelled"))).isInstanceOf(RefundResult.Refunded.class);
        RevocationDelta delta = t.codes().revocations(before);
        assertThat(delta.full()).isFalse();
        assertThat(delta.since()).isEqualTo(before);
        assertThat(delta.version()).isEqualTo(before + 2);
        assertThat(delta.entries()).extracting(r -> r.ticketId())
                .containsExactly(Long.parseLong(a.number()), Long.parseLong(b.number()));
        assertThat(delta.entries().get(0).reason()).isEqualTo("REFUNDED");
        assertThat(delta.entries().get(0).expiresAt()).isEqualTo(a.validUntil());
        assertThat(t.codes().revocations(before + 1).entries()).hasSize(1);
        RevocationDelta full = t.codes().revocations(0);
        assertThat(full.full()).isTrue();
        assertThat(full.entries()).extracting(r -> r.ticketId()).contains(Long.parseLong(a.number()), Long.parseLong(b.number()));
        assertThat(t.codes().revocations(delta.version() + 50).full()).as("a version from the future").isTrue();

        GateDevice d = device(westLake, "North gate", "li.wei");
        RedeemAnswer revoked = online(d, a.code());
        assertThat(revoked.outcome()).isEqualTo(RedeemOutcome.REVOKED);
        assertThat(revoked.revocationReason()).contains("REFUNDED");
        assertThat(revoked.revokedAt()).isPresent();
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void provisioningTokensAreSingleUseAndBoundToTheirSpotAndGate() {
        ProvisioningToken token = devices.createProvisioningToken(westLake.id(), Optional.of("East gate"), "admin").orElseThrow();
        assertThat(token.qrText()).startsWith("pt-").hasSize(46);
        assertThat(token.toString()).doesNotContain(token.token());
        ProvisionResult first = devices.provision(new ProvisionRequest(token.token(), new GateDevice().publicKey(),
                Optional.empty(), Optional.empty()));
        assertThat(first).isInstanceOfSatisfying(ProvisionResult.Provisioned.class, p -> {
            assertThat(p.spot().spotId()).isEqualTo(westLake.id());
            assertThat(p.spot().name()).isEqualTo("West Lake");
            assertThat(p.gate()).contains("East gate");
            assertThat(p.deviceCredential()).startsWith("dc-");
            assertThat(devices.device(p.deviceId())).hasValueSatisfying(dev -> assertThat(dev.gate()).contains("East gate"));
        });
        ProvisionResult again = devices.provision(new ProvisionRequest(token.token(), new GateDevice().publicKey(),
                Optional.empty(), Optional.empty()));
        assertThat(again).isInstanceOfSatisfying(ProvisionResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.PROVISIONING_TOKEN_INVALID));
        assertThat(devices.createProvisioningToken("sp-nowhere", Optional.empty(), "admin").isOk()).isFalse();
    }

    @Test
    void refusesWrongCredentialsForeignKeysAndOperatorsOfOtherSpotsAndAcceptsAPin() {
        GateDevice d = device(westLake, "North gate", "li.wei");
        assertThat(d.login(devices, "li.wei", "wrong")).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.INVALID_CREDENTIALS));
        assertThat(d.login(devices, "nobody", PASSWORD)).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.INVALID_CREDENTIALS));
        assertThat(d.login(devices, "zhang.min", PASSWORD)).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.OPERATOR_NOT_ALLOWED));
        LoginResult badCredential = devices.login(new LoginRequest(d.deviceId, "dc-guess", "li.wei", Optional.of(PASSWORD),
                Optional.empty(), d.publicKey(), Optional.empty()));
        assertThat(badCredential).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.INVALID_CREDENTIALS));
        LoginResult otherKey = devices.login(new LoginRequest(d.deviceId, d.credential, "li.wei", Optional.of(PASSWORD),
                Optional.empty(), new GateDevice().publicKey(), Optional.empty()));
        assertThat(otherKey).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.DEVICE_KEY_MISMATCH));
        LoginResult pin = devices.login(new LoginRequest(d.deviceId, d.credential, "li.wei", Optional.empty(), Optional.of("2468"),
                d.publicKey(), Optional.empty()));
        assertThat(pin).isInstanceOfSatisfying(LoginResult.LoggedIn.class, in -> {
            assertThat(in.grant().operator().name()).isEqualTo("Li Wei");
            assertThat(in.grant().spot().spotId()).isEqualTo(westLake.id());
            assertThat(in.grant().gate()).contains("North gate");
            assertThat(in.grant().maxOffline()).isEqualTo(Duration.ofHours(24));
            assertThat(in.grant().toString()).doesNotContain(in.grant().accessToken()).doesNotContain(in.grant().refreshToken());
        });
    }

    @Test
    void locksAnOperatorAfterFiveFailedLoginsInARow() {
        devices.createOperator(new OperatorRegistration("wang.fang", "Wang Fang", Optional.of(PASSWORD), Optional.empty(),
                List.of(westLake.id())), "admin").orElseThrow();
        GateDevice d = device(westLake, "West gate", "li.wei");
        for (int i = 0; i < 5; i++) {
            assertThat(d.login(devices, "wang.fang", "guess " + i)).isInstanceOfSatisfying(LoginResult.Refused.class,
                    r -> assertThat(r.error()).isEqualTo(DeviceError.INVALID_CREDENTIALS));
        }
        assertThat(d.login(devices, "wang.fang", PASSWORD)).isInstanceOfSatisfying(LoginResult.Refused.class, r -> {
            assertThat(r.error()).isEqualTo(DeviceError.TOO_MANY_ATTEMPTS);
            assertThat(r.retryAfter()).hasValueSatisfying(a -> assertThat(a).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5)));
        });
    }

    @Test
    void refreshRotatesTokensAndAReusedRefreshTokenRevokesTheSession() {
        GateDevice d = device(westLake, "North gate", "li.wei");
        TokenGrant first = d.grant;
        LoginResult refreshed = devices.refresh(first.refreshToken());
        assertThat(refreshed).isInstanceOf(LoginResult.LoggedIn.class);
        TokenGrant second = ((LoginResult.LoggedIn) refreshed).grant();
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.refreshExpiresIn()).isLessThanOrEqualTo(Duration.ofHours(12));
        assertThat(devices.authenticate(first.accessToken())).isInstanceOfSatisfying(AuthResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.UNAUTHENTICATED));
        assertThat(devices.authenticate(second.accessToken())).isInstanceOf(AuthResult.Authenticated.class);

        assertThat(devices.refresh(first.refreshToken())).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.INVALID_REFRESH_TOKEN));
        assertThat(devices.authenticate(second.accessToken())).isInstanceOfSatisfying(AuthResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.SESSION_REVOKED));
        assertThat(devices.refresh(second.refreshToken())).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.SESSION_REVOKED));
    }

    @Test
    void logoutEndsTheSession() {
        GateDevice d = device(westLake, "North gate", "li.wei");
        assertThat(devices.logout(d.grant.accessToken(), Optional.of(d.grant.refreshToken()))).isTrue();
        assertThat(devices.authenticate(d.grant.accessToken())).isInstanceOf(AuthResult.Refused.class);
        assertThat(devices.refresh(d.grant.refreshToken())).isInstanceOf(LoginResult.Refused.class);
        assertThat(devices.logout("at-unknown", Optional.empty())).isFalse();
    }

    @Test
    void revokedDevicesAndOperatorsLoseTheirSessionsAndCannotLogIn() {
        GateDevice d = device(westLake, "North gate", "li.wei");
        assertThat(devices.revokeDevice(d.deviceId, "stolen", "admin").orElseThrow().revokedAt()).isPresent();
        assertThat(devices.authenticate(d.grant.accessToken())).isInstanceOfSatisfying(AuthResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.DEVICE_REVOKED));
        assertThat(d.login(devices, "li.wei", PASSWORD)).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.DEVICE_REVOKED));
        assertThat(devices.revokeDevice("dev-none", "x", "admin").isOk()).isFalse();

        devices.createOperator(new OperatorRegistration("chen.jie", "Chen Jie", Optional.of(PASSWORD), Optional.empty(),
                List.of(westLake.id())), "admin").orElseThrow();
        GateDevice e = device(westLake, "North gate", "chen.jie");
        assertThat(devices.revokeOperator("chen.jie", "left", "admin").orElseThrow().revokedAt()).isPresent();
        assertThat(devices.authenticate(e.grant.accessToken())).isInstanceOfSatisfying(AuthResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.OPERATOR_REVOKED));
        assertThat(e.login(devices, "chen.jie", PASSWORD)).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.OPERATOR_REVOKED));
        assertThat(devices.createOperator(new OperatorRegistration("chen.jie", "Again", Optional.of(PASSWORD), Optional.empty(),
                List.of(westLake.id())), "admin")).isInstanceOfSatisfying(org.ticketledger.ticketing.Outcome.Refused.class,
                r -> assertThat(r.problem().code()).isEqualTo(ErrorCode.USERNAME_TAKEN));
    }

    @Test
    void storesTheLatestHeartbeatForTheDeviceList() {
        GateDevice d = device(westLake, "South gate", "li.wei");
        Instant synced = w.clock.instant().minus(Duration.ofHours(30));
        HeartbeatAnswer a = devices.heartbeat(d.session(devices), new Heartbeat("0.1.0", 3, Optional.of(synced), 1, 2,
                Optional.of(w.clock.instant()), 1250, 0));
        assertThat(a.syncOverdue()).isTrue();
        assertThat(a.keySetVersion()).isEqualTo(t.codes().keySet().version());
        Device listed = devices.devices(Optional.of(westLake.id())).stream().filter(x -> x.id().equals(d.deviceId)).findFirst()
                .orElseThrow();
        assertThat(listed.heartbeat()).hasValueSatisfying(h -> {
            assertThat(h.queueDepth()).isEqualTo(3);
            assertThat(h.sdkVersion()).isEqualTo("0.1.0");
            assertThat(h.clockOffsetMillis()).isEqualTo(1250);
        });
        assertThat(listed.syncOverdue()).isTrue();
        assertThat(listed.lastSeenAt()).isPresent();
        assertThat(devices.devices(Optional.empty())).extracting(Device::id).contains(d.deviceId);
        assertThat(devices.devices(Optional.of("no-such-spot"))).isEmpty();
    }

    // ---------------------------------------------------------------- online redeem

    @Test
    void redeemsOnlineOnceRecordsWhenWhereAndWhichDeviceAndPaysTheSpotOnce() {
        Ticket ticket = ticket();
        GateDevice north = device(westLake, "North gate", "li.wei");
        GateDevice south = device(westLake, "South gate", "li.wei");
        RedeemAnswer ok = online(north, ticket.code());
        assertThat(ok.outcome()).isEqualTo(RedeemOutcome.REDEEMED);
        assertThat(ok.remainingUses()).hasValue(0);
        assertThat(ok.redeemedAt()).isPresent();
        assertThat(ok.ticketId()).hasValue(Long.parseLong(ticket.number()));
        assertThat(spotPayouts(ticket)).hasSize(1);
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().state()).isEqualTo(TicketState.REDEEMED);

        RedeemAnswer again = online(south, ticket.code());
        assertThat(again.outcome()).isEqualTo(RedeemOutcome.ALREADY_REDEEMED);
        assertThat(again.previous()).singleElement().satisfies(p -> {
            assertThat(p.deviceId()).isEqualTo(north.deviceId);
            assertThat(p.gate()).contains("North gate");
            assertThat(p.spot().name()).isEqualTo("West Lake");
        });
        assertThat(spotPayouts(ticket)).hasSize(1);
        assertThat(w.ticketing.tickets().redeem(new RedeemRequest(ticket.number(), westLake.id(), "desk"))).isInstanceOf(
                org.ticketledger.ticketing.ticket.RedeemResult.Refused.class);
    }

    @Test
    void anOnlineRedemptionIsBookedOnceAndPaidOnceThoughTheAnswerDoesNotWaitForTheLedger() {
        Ticket ticket = ticket();
        assertThat(online(device(westLake, "North gate", "li.wei"), ticket.code()).outcome()).isEqualTo(RedeemOutcome.REDEEMED);
        Payout payout = spotPayouts(ticket).get(0);
        // The payout job books the redemption again before paying (the same request: a duplicate, or
        // the first if the queued entry was lost); either way one entry, then one payment.
        w.drain(5);
        assertThat(w.ticketing.payouts().payout(payout.id()).orElseThrow().state()).isEqualTo(PayoutState.DONE);
        assertThat(w.journal.entryByKey(w.ledger(), "ticket:" + ticket.id() + ":redeemed:" + westLake.id()).orElseThrow().total())
                .isEqualTo(Money.parseCny("100.00"));
        w.assertReconciled();
    }

    @Test
    void aRedemptionAtTheDeskCountsAsAUseForDevices() {
        Ticket ticket = ticket();
        w.ticketing.tickets().redeem(new RedeemRequest(ticket.number(), westLake.id(), "desk-1"));
        RedeemAnswer a = online(device(westLake, "North gate", "li.wei"), ticket.code());
        assertThat(a.outcome()).isEqualTo(RedeemOutcome.ALREADY_REDEEMED);
        assertThat(a.previous()).singleElement().satisfies(p -> assertThat(p.deviceId()).isEqualTo("desk-1"));
        assertThat(spotPayouts(ticket)).hasSize(1);
    }

    @Test
    void aRetriedRedeemGetsTheSameAnswerAndAnotherBodyUnderTheSameKeyIsAConflict() {
        Ticket ticket = ticket();
        GateDevice d = device(westLake, "North gate", "li.wei");
        ScanRecord r = d.scan(ticket.code(), w.clock.instant());
        OnlineRedeemResult first = devices.redeem(d.session(devices), r.recordId(), r);
        OnlineRedeemResult retry = devices.redeem(d.session(devices), r.recordId(), r);
        assertThat(retry).isInstanceOfSatisfying(OnlineRedeemResult.Answered.class, a -> {
            assertThat(a.replayed()).isTrue();
            assertThat(a.answer()).isEqualTo(((OnlineRedeemResult.Answered) first).answer());
        });
        assertThat(spotPayouts(ticket)).hasSize(1);
        ScanRecord other = ScanRecord.builder().recordId(r.recordId()).deviceId(d.deviceId).spotId(d.spotNumber)
                .ticketId(r.ticketId()).code(r.code()).scannedAt(r.scannedAt().plusMillis(1)).clockOffsetMillis(0)
                .sequence(99).nonce(ScanRecord.newNonce()).sign(d);
        assertThat(devices.redeem(d.session(devices), r.recordId(), other)).isInstanceOfSatisfying(OnlineRedeemResult.Rejected.class,
                x -> assertThat(x.error()).isEqualTo(DeviceError.IDEMPOTENCY_CONFLICT));
    }

    @Test
    void refusesForeignUnsignedAndReplayedRecordsWithoutJudgingThem() {
        Ticket ticket = ticket();
        GateDevice d = device(westLake, "North gate", "li.wei");
        GateDevice other = device(westLake, "South gate", "li.wei");
        ScanRecord foreign = other.scan(ticket.code(), w.clock.instant());
        assertThat(devices.redeem(d.session(devices), foreign.recordId(), foreign)).isInstanceOfSatisfying(
                OnlineRedeemResult.Rejected.class, x -> assertThat(x.error()).isEqualTo(DeviceError.BAD_RECORD));
        ScanRecord good = d.scan(ticket.code(), w.clock.instant());
        ScanRecord badlySigned = ScanRecord.builder().recordId(good.recordId()).deviceId(d.deviceId).spotId(d.spotNumber)
                .ticketId(good.ticketId()).code(good.code()).scannedAt(good.scannedAt()).clockOffsetMillis(0).sequence(1)
                .nonce(good.nonce()).sign(other);
        assertThat(devices.redeem(d.session(devices), badlySigned.recordId(), badlySigned)).isInstanceOfSatisfying(
                OnlineRedeemResult.Rejected.class, x -> assertThat(x.error()).isEqualTo(DeviceError.BAD_RECORD));
        assertThat(devices.redeem(d.session(devices), "not-the-record-id", good)).isInstanceOfSatisfying(
                OnlineRedeemResult.Rejected.class, x -> assertThat(x.error()).isEqualTo(DeviceError.BAD_RECORD));
        assertThat(online(d, good).outcome()).isEqualTo(RedeemOutcome.REDEEMED);
        ScanRecord replay = d.scan(ticket().code(), w.clock.instant(), good.nonce());
        assertThat(devices.redeem(d.session(devices), replay.recordId(), replay)).isInstanceOfSatisfying(
                OnlineRedeemResult.Rejected.class, x -> {
                    assertThat(x.error()).isEqualTo(DeviceError.BAD_RECORD);
                    assertThat(x.detail()).contains("nonce");
                });
    }

    @Test
    void answersEveryRefusalWithItsOutcome() {
        GateDevice d = device(westLake, "North gate", "li.wei");
        Ticket ticket = ticket();
        TicketCode code = TicketCodec.decode(ticket.code()).ticketCode().orElseThrow();
        TicketPayload p = code.payload();
        byte[] binary = Base45.decode(ticket.code(), 3, ticket.code().length()).orElseThrow();

        assertThat(online(d, ticket(lingyinProduct, 0).code()).outcome()).isEqualTo(RedeemOutcome.WRONG_SPOT);
        assertThat(online(d, ticket(product, 1).code()).outcome()).isEqualTo(RedeemOutcome.NOT_YET_VALID);

        byte[] flipped = binary.clone();
        flipped[flipped.length - 5] ^= 0x01; // a bit of s
        assertThat(online(d, "TL:" + Base45.encode(flipped)).outcome()).isEqualTo(RedeemOutcome.FORGED);
        byte[] altered = binary.clone();
        altered[13] ^= 0x10; // the product id: signed bytes changed
        assertThat(online(d, "TL:" + Base45.encode(altered)).outcome()).isEqualTo(RedeemOutcome.FORGED);
        String ownKey = TicketCodec.mint(p.toBuilder().build(), EcP256.generateKeyPair().getPrivate());
        assertThat(online(d, ownKey).outcome()).as("right key id, wrong key").isEqualTo(RedeemOutcome.FORGED);
        String otherTicketsSignature = spliceSignature(ticket().code(), binary);
        assertThat(online(d, otherTicketsSignature).outcome()).isEqualTo(RedeemOutcome.FORGED);
        String unknownKey = TicketCodec.mint(p.toBuilder().keyId(4242).build(), EcP256.generateKeyPair().getPrivate());
        assertThat(online(d, unknownKey).outcome()).isEqualTo(RedeemOutcome.UNKNOWN_KEY);
        byte[] truncated = java.util.Arrays.copyOf(binary, binary.length - 7);
        assertThat(online(d, "TL:" + Base45.encode(truncated)).outcome()).isEqualTo(RedeemOutcome.INVALID);
        byte[] v2 = binary.clone();
        v2[0] = 2;
        assertThat(online(d, "TL:" + Base45.encode(v2)).outcome()).isEqualTo(RedeemOutcome.UNSUPPORTED_VERSION);
        assertThat(online(d, "TL:NOT A CODE").outcome()).isEqualTo(RedeemOutcome.INVALID);
        // none of it touched the ticket
        assertThat(online(d, ticket.code()).outcome()).isEqualTo(RedeemOutcome.REDEEMED);
    }

    /** The payload of {@code victim} with the signature of {@code donor}'s binary. */
    private static String spliceSignature(String victim, byte[] donor) {
        byte[] v = Base45.decode(victim, 3, victim.length()).orElseThrow();
        System.arraycopy(donor, donor.length - 64, v, v.length - 64, 64);
        return "TL:" + Base45.encode(v);
    }

    @Test
    void concurrentRedeemsOfOneTicketAdmitOneVisitorAndPayOnce() throws Exception {
        Ticket ticket = ticket();
        List<GateDevice> gates = List.of(device(westLake, "North gate", "li.wei"), device(westLake, "South gate", "li.wei"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RedeemAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                GateDevice g = gates.get(i % 2);
                answers.add(pool.submit(() -> online(g, ticket.code())));
            }
            List<RedeemOutcome> outcomes = new ArrayList<>();
            for (Future<RedeemAnswer> f : answers) {
                outcomes.add(f.get().outcome());
            }
            assertThat(outcomes).filteredOn(o -> o == RedeemOutcome.REDEEMED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == RedeemOutcome.ALREADY_REDEEMED).hasSize(15);
        } finally {
            pool.shutdown();
        }
        assertThat(spotPayouts(ticket)).hasSize(1);
    }

    // ---------------------------------------------------------------- offline sync

    @Test
    void twoDevicesOfflineRedeemTheSameTicketAndSyncGivesOneRedemptionOneConflictAndOnePayout() {
        Ticket ticket = ticket();
        GateDevice a = device(westLake, "North gate", "li.wei");
        GateDevice b = device(westLake, "South gate", "li.wei");
        GateDevice c = device(westLake, "West gate", "li.wei");
        long lastConflict = devices.conflicts(Optional.empty(), 0, 1000).stream().mapToLong(RedemptionConflict::id).max().orElse(0);
        Instant t1 = w.clock.instant().minus(Duration.ofMinutes(10));
        Instant t2 = t1.plusSeconds(30);
        ScanRecord early = a.scan(ticket.code(), t1);
        ScanRecord late = b.scan(ticket.code(), t2);

        // The later scan arrives first and is recorded; the spot is paid on it.
        SyncRecordResult lateResult = syncOne(devices, b, new SyncItem.Record(late));
        assertThat(lateResult.status()).isEqualTo(SyncStatus.RECORDED);
        assertThat(spotPayouts(ticket)).hasSize(1);
        // The earlier one arrives: it wins; the displaced one is a conflict for the admin only.
        SyncRecordResult earlyResult = syncOne(devices, a, new SyncItem.Record(early));
        assertThat(earlyResult.status()).isEqualTo(SyncStatus.RECORDED);
        assertThat(spotPayouts(ticket)).hasSize(1);
        // A third device's later scan is answered CONFLICT naming the earliest.
        ScanRecord third = c.scan(ticket.code(), t2.plusSeconds(60));
        SyncRecordResult thirdResult = syncOne(devices, c, new SyncItem.Record(third));
        assertThat(thirdResult.status()).isEqualTo(SyncStatus.CONFLICT);
        assertThat(thirdResult.winner()).hasValueSatisfying(win -> {
            assertThat(win.deviceId()).isEqualTo(a.deviceId);
            assertThat(win.at()).isEqualTo(early.scannedAt());
            assertThat(win.gate()).contains("North gate");
            assertThat(win.recordId()).contains(early.recordId());
        });

        List<RedemptionConflict> conflicts = devices.conflicts(Optional.of(westLake.id()), lastConflict, 100).stream()
                .filter(x -> x.ticketNumber() == Long.parseLong(ticket.number())).toList();
        assertThat(conflicts).hasSize(2);
        assertThat(conflicts.get(0).winner().deviceId()).isEqualTo(a.deviceId);
        assertThat(conflicts.get(0).loser().deviceId()).isEqualTo(b.deviceId);
        assertThat(conflicts.get(0).loser().at()).isEqualTo(late.scannedAt());
        assertThat(conflicts.get(0).reportedToDevice()).isFalse();
        assertThat(conflicts.get(1).loser().deviceId()).isEqualTo(c.deviceId);
        assertThat(conflicts.get(1).reportedToDevice()).isTrue();
        assertThat(conflicts.get(1).ticketId()).contains(ticket.id());

        // One payout, paid once on the rail; the ticket's redemption names the winner.
        Payout payout = spotPayouts(ticket).get(0);
        w.drain(5);
        assertThat(w.ticketing.payouts().payout(payout.id()).orElseThrow().state()).isEqualTo(PayoutState.DONE);
        assertThat(w.ticketing.tickets().ticket(ticket.id()).orElseThrow().spots().get(0).redeemedBy()).contains(a.deviceId);
        w.assertReconciled();

        // Sending the same records again changes nothing.
        assertThat(syncOne(devices, a, new SyncItem.Record(early)).status()).isEqualTo(SyncStatus.DUPLICATE);
        assertThat(syncOne(devices, c, new SyncItem.Record(third)).status()).isEqualTo(SyncStatus.DUPLICATE);
        assertThat(spotPayouts(ticket)).hasSize(1);
    }

    @Test
    void anOnlineRedemptionWhoseAnswerWasLostSyncsAsADuplicateAndARefusedOneAsAConflict() {
        Ticket ticket = ticket();
        GateDevice a = device(westLake, "North gate", "li.wei");
        GateDevice b = device(westLake, "South gate", "li.wei");
        ScanRecord admitted = a.scan(ticket.code(), w.clock.instant());
        assertThat(online(a, admitted).outcome()).isEqualTo(RedeemOutcome.REDEEMED);
        assertThat(syncOne(devices, a, new SyncItem.Record(admitted)).status()).isEqualTo(SyncStatus.DUPLICATE);

        ScanRecord refused = b.scan(ticket.code(), w.clock.instant().plusMillis(5));
        assertThat(online(b, refused).outcome()).isEqualTo(RedeemOutcome.ALREADY_REDEEMED);
        // the device never heard the refusal, admitted offline with the same record and syncs it
        assertThat(syncOne(devices, b, new SyncItem.Record(refused))).satisfies(r -> {
            assertThat(r.status()).isEqualTo(SyncStatus.CONFLICT);
            assertThat(r.winner()).hasValueSatisfying(win -> assertThat(win.deviceId()).isEqualTo(a.deviceId));
        });
        assertThat(spotPayouts(ticket)).hasSize(1);
    }

    @Test
    void recordsWhatDevicesDidOfflineEvenForARefundedTicketButPaysNothingForIt() {
        Ticket ticket = ticket();
        GateDevice d = device(westLake, "North gate", "li.wei");
        ScanRecord offline = d.scan(ticket.code(), w.clock.instant());
        w.ticketing.tickets().refund(new RefundRequest(distributor.id(), ticket.id(), "cancelled"));
        assertThat(syncOne(devices, d, new SyncItem.Record(offline)).status()).isEqualTo(SyncStatus.RECORDED);
        assertThat(spotPayouts(ticket)).isEmpty();
    }

    @Test
    void rejectsForgedForeignReplayedAndMalformedRecordsAtSync() {
        Ticket ticket = ticket();
        GateDevice d = device(westLake, "North gate", "li.wei");
        GateDevice other = device(westLake, "South gate", "li.wei");
        GateDevice elsewhere = device(lingyin, "Main gate", "zhang.min");
        Instant now = w.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        TicketPayload p = TicketCodec.decode(ticket.code()).ticketCode().orElseThrow().payload();

        ScanRecord forged = d.scan(TicketCodec.mint(p.toBuilder().build(), EcP256.generateKeyPair().getPrivate()), now);
        ScanRecord foreign = other.scan(ticket.code(), now);
        ScanRecord otherSpot = elsewhere.scan(ticket.code(), now);
        ScanRecord good = d.scan(ticket.code(), now);
        ScanRecord badlySigned = ScanRecord.builder().recordId(ScanRecord.newRecordId()).deviceId(d.deviceId).spotId(d.spotNumber)
                .ticketId(good.ticketId()).code(good.code()).scannedAt(now).clockOffsetMillis(0).sequence(7)
                .nonce(ScanRecord.newNonce()).sign(other);
        ScanRecord replayed = d.scan(ticket().code(), now, good.nonce());

        List<SyncRecordResult> results = devices.sync(d.session(devices), List.of(new SyncItem.Record(forged),
                new SyncItem.Record(foreign), new SyncItem.Record(otherSpot), new SyncItem.Record(badlySigned),
                new SyncItem.Record(good), new SyncItem.Record(replayed), new SyncItem.Unreadable("3f2b8c1e-0000-4e7b-8c21-5d6f7a8b9c0d",
                        "nonce: not base64url")));
        assertThat(results).extracting(SyncRecordResult::status).containsExactly(SyncStatus.REJECTED, SyncStatus.REJECTED,
                SyncStatus.REJECTED, SyncStatus.REJECTED, SyncStatus.RECORDED, SyncStatus.REJECTED, SyncStatus.REJECTED);
        assertThat(results).extracting(r -> r.code().orElse(null)).containsExactly(RejectCode.FORGED_TICKET,
                RejectCode.DEVICE_MISMATCH, RejectCode.DEVICE_MISMATCH, RejectCode.BAD_RECORD_SIGNATURE, null,
                RejectCode.REPLAYED_NONCE, RejectCode.MALFORMED_RECORD);
        assertThat(results.get(2).recordId()).isEqualTo(otherSpot.recordId());
        // a record of the session's device for another spot
        ScanRecord wrongSpot = ScanRecord.builder().recordId(ScanRecord.newRecordId()).deviceId(d.deviceId)
                .spotId(elsewhere.spotNumber).ticketId(good.ticketId()).code(good.code()).scannedAt(now).clockOffsetMillis(0)
                .sequence(8).nonce(ScanRecord.newNonce()).sign(d);
        assertThat(syncOne(devices, d, new SyncItem.Record(wrongSpot)).code()).contains(RejectCode.SPOT_MISMATCH);
        assertThat(spotPayouts(ticket)).hasSize(1);
    }
}
