package org.ticketledger.example.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.ticketing.device.Device;
import org.ticketledger.ticketing.device.OperatorRegistration;
import org.ticketledger.ticketing.device.RedemptionConflict;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.LoginResult;
import org.ticketledger.verify.OperatorCredentials;
import org.ticketledger.verify.ProvisionResult;
import org.ticketledger.verify.RedeemResult;
import org.ticketledger.verify.ResultCode;
import org.ticketledger.verify.SyncResult;
import org.ticketledger.verify.TicketCodec;
import org.ticketledger.verify.TicketPayload;
import org.ticketledger.verify.UnableToAuthenticateException;
import org.ticketledger.verify.VerifierClient;
import org.ticketledger.verify.internal.Base45;

/**
 * The real device SDK client ({@link VerifierClient}) against the device routes over loopback HTTP,
 * on ticketing with Postgres and the Alipay sandbox: provisioning, login, refresh, logout, key set
 * with ETag and rotation, revocation deltas, online redeem with its refusals, offline redeem and
 * sync with a double redemption, revocation of devices and operators, heartbeats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceApiIT {

    private static final OperatorCredentials LI_WEI = OperatorCredentials.password("li.wei", DeviceWorld.PASSWORD);

    @TempDir
    File dir;

    private DeviceWorld w;
    private int clients;

    @BeforeAll
    void world() {
        w = new DeviceWorld();
    }

    @AfterAll
    void close() {
        w.close();
    }

    private VerifierClient client(DeviceWorld.SwitchableTransport transport) {
        return VerifierClient.builder().serverUrl(w.url()).dataDirectory(new File(dir, "device-" + (++clients)))
                .transport(transport).clock(w.clock).zone(ZoneOffset.UTC).requestTimeout(Duration.ofSeconds(10))
                .redeemTimeout(Duration.ofSeconds(10)).build();
    }

    /** A provisioned, logged-in, synced client at West Lake. */
    private VerifierClient ready(String gate, DeviceWorld.SwitchableTransport transport) {
        VerifierClient c = client(transport);
        assertThat(c.provision(w.provisioningToken(w.westLake, gate))).isInstanceOf(ProvisionResult.Provisioned.class);
        assertThat(c.login(LI_WEI)).isInstanceOf(LoginResult.LoggedIn.class);
        c.sync();
        return c;
    }

    private VerifierClient ready(String gate) {
        return ready(gate, new DeviceWorld.SwitchableTransport());
    }

    private List<Payout> spotPayouts(Ticket t) {
        return w.ticketing.payouts().byTicket(t.id()).stream().filter(p -> p.kind() == PayoutKind.SCENIC_SETTLEMENT).toList();
    }

    @Test
    @Order(1)
    void provisionsLogsInSyncsAndRedeemsOnlineWithTheServersRefusals() {
        try (VerifierClient c = client(new DeviceWorld.SwitchableTransport())) {
            assertThat(c.provision("pt-made-up")).isInstanceOfSatisfying(ProvisionResult.Refused.class,
                    r -> assertThat(r.problemCode()).isEqualTo("provisioning-token-invalid"));
            ProvisionResult p = c.provision(w.provisioningToken(w.westLake, "North gate"));
            assertThat(p).isInstanceOfSatisfying(ProvisionResult.Provisioned.class, ok -> {
                assertThat(ok.spot().name()).isEqualTo("West Lake");
                assertThat(ok.gate()).contains("North gate");
            });
            assertThat(c.login(OperatorCredentials.password("li.wei", "wrong"))).isInstanceOfSatisfying(LoginResult.Refused.class,
                    r -> assertThat(r.problemCode()).isEqualTo("invalid-credentials"));
            assertThat(c.login(OperatorCredentials.pin("li.wei", "2468"))).isInstanceOfSatisfying(LoginResult.LoggedIn.class,
                    in -> assertThat(in.session().orElseThrow().operator().name()).isEqualTo("Li Wei"));
            SyncResult sync = c.sync();
            assertThat(sync.keySetVersion()).isEqualTo(w.ticketing.codes().keySet().version());
            assertThat(sync.revocationVersion()).isEqualTo(w.ticketing.codes().revocationVersion());
            assertThat(c.checkClock().skewed()).isFalse();

            Ticket ticket = w.ticket();
            assertThat(c.verify(ticket.code()).code()).isEqualTo(ResultCode.VALID);
            RedeemResult r = c.redeem(ticket.code());
            assertThat(r).isInstanceOfSatisfying(RedeemResult.Redeemed.class, ok -> {
                assertThat(ok.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
                assertThat(ok.remainingUses()).hasValue(0);
            });
            assertThat(spotPayouts(ticket)).hasSize(1);
            RedeemResult again = c.redeem(ticket.code());
            assertThat(again.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
            assertThat(again.code()).isEqualTo(ResultCode.ALREADY_REDEEMED);
            assertThat(again.reason()).contains("West Lake, North gate, device " + c.status().deviceId().orElseThrow());

            assertThat(c.redeem(w.ticket(w.lingyinProduct, 0).code()).code()).isEqualTo(ResultCode.WRONG_SPOT);
            assertThat(c.redeem(w.ticket(w.product, 1).code()).code()).isEqualTo(ResultCode.NOT_YET_VALID);
            String code = w.ticket().code();
            byte[] binary = Base45.decode(code, 3, code.length()).orElseThrow();
            binary[binary.length - 3] ^= 0x04;
            RedeemResult forged = c.redeem("TL:" + Base45.encode(binary));
            assertThat(forged.code()).isEqualTo(ResultCode.FORGED);
            assertThat(forged.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
            TicketPayload payload = TicketCodec.decode(code).ticketCode().orElseThrow().payload();
            String unknownKey = TicketCodec.mint(payload.toBuilder().keyId(777).build(), EcP256.generateKeyPair().getPrivate());
            assertThat(c.redeem(unknownKey).code()).isEqualTo(ResultCode.UNKNOWN_KEY);
            assertThat(c.redeem("TL:%%%").code()).isEqualTo(ResultCode.INVALID);

            Ticket refunded = w.ticket();
            w.ticketing.tickets().refund(new RefundRequest(w.distributor.id(), refunded.id(), "visitor cancelled"));
            RedeemResult revoked = c.redeem(refunded.code());
            assertThat(revoked.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
            assertThat(revoked.code()).isEqualTo(ResultCode.REVOKED);
            assertThat(revoked.reason()).startsWith("Ticket refunded");
        }
    }

    @Test
    @Order(2)
    void refreshesRotatesAndLogsOut() {
        try (VerifierClient c = ready("North gate")) {
            assertThat(c.refresh()).isInstanceOf(LoginResult.LoggedIn.class);
            assertThat(c.redeem(w.ticket().code()).code()).isEqualTo(ResultCode.REDEEMED);
            c.logout();
            assertThat(c.session()).isEmpty();
            assertThatThrownBy(() -> c.redeem(w.ticket().code())).isInstanceOf(UnableToAuthenticateException.class);
            assertThat(c.login(LI_WEI)).isInstanceOf(LoginResult.LoggedIn.class);
        }
    }

    @Test
    @Order(3)
    void fetchesRevocationsAsDeltasAndRefusesRevokedTicketsOffline() {
        try (VerifierClient c = ready("North gate")) {
            Ticket a = w.ticket();
            Ticket b = w.ticket();
            long before = c.revocations().version();
            w.ticketing.tickets().refund(new RefundRequest(w.distributor.id(), a.id(), "cancelled"));
            assertThat(c.sync().revocationVersion()).isEqualTo(before + 1);
            assertThat(c.revocations().isRevoked(Long.parseLong(a.number()))).isTrue();
            assertThat(c.verify(a.code()).code()).isEqualTo(ResultCode.REVOKED);
            w.ticketing.tickets().refund(new RefundRequest(w.distributor.id(), b.id(), "cancelled"));
            assertThat(c.fetchRevocations().isRevoked(Long.parseLong(b.number()))).isTrue();
            assertThat(c.revocations().version()).isEqualTo(before + 2);
        }
    }

    @Test
    @Order(4)
    void keepsTheKeySetByETagAndPicksUpARotatedKey() {
        try (VerifierClient c = ready("North gate")) {
            long version = c.keySet().version();
            assertThat(c.fetchKeySet().version()).isEqualTo(version); // 304
            w.ticketing.codes().rotate("admin").orElseThrow();
            assertThat(c.sync().keySetVersion()).isEqualTo(version + 1);
            assertThat(c.keySet().keys()).hasSize(2);
            // the old key keeps signing until the new one's lead has passed
            assertThat(c.verify(w.ticket().code()).code()).isEqualTo(ResultCode.VALID);
        }
    }

    @Test
    @Order(5)
    void twoDevicesOfflineRedeemTheSameTicketAndSyncGivesOneRedemptionOneConflictAndOnePayout() {
        DeviceWorld.SwitchableTransport netA = new DeviceWorld.SwitchableTransport();
        DeviceWorld.SwitchableTransport netB = new DeviceWorld.SwitchableTransport();
        long lastConflict = w.ticketing.devices().conflicts(Optional.empty(), 0, 1000).stream()
                .mapToLong(RedemptionConflict::id).max().orElse(0);
        try (VerifierClient a = ready("North gate", netA); VerifierClient b = ready("South gate", netB)) {
            Ticket ticket = w.ticket();
            netA.offline = true;
            netB.offline = true;
            RedeemResult first = a.redeem(ticket.code());
            assertThat(first.mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            assertThat(first.admits()).isTrue();
            w.clock.advance(Duration.ofSeconds(30)); // the visitor walks to the South gate
            RedeemResult second = b.redeem(ticket.code());
            assertThat(second.mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            assertThat(second.admits()).isTrue();
            assertThat(spotPayouts(ticket)).as("no payout on a device's word").isEmpty();

            netA.offline = false;
            netB.offline = false;
            SyncResult later = b.sync(); // the later scan arrives first
            assertThat(later.recorded()).isEqualTo(1);
            SyncResult earlier = a.sync();
            assertThat(earlier.recorded()).isEqualTo(1);
            assertThat(spotPayouts(ticket)).hasSize(1);

            List<RedemptionConflict> conflicts = w.ticketing.devices().conflicts(Optional.of(w.westLake.id()), lastConflict, 100);
            assertThat(conflicts).singleElement().satisfies(x -> {
                assertThat(x.ticketNumber()).isEqualTo(Long.parseLong(ticket.number()));
                assertThat(x.winner().deviceId()).isEqualTo(a.status().deviceId().orElseThrow());
                assertThat(x.loser().deviceId()).isEqualTo(b.status().deviceId().orElseThrow());
                assertThat(x.winner().at()).isBefore(x.loser().at());
            });

            // A third device that admitted it offline later is told about the conflict and who won.
            DeviceWorld.SwitchableTransport netC = new DeviceWorld.SwitchableTransport();
            try (VerifierClient c = ready("West gate", netC)) {
                netC.offline = true;
                assertThat(c.redeem(ticket.code()).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
                netC.offline = false;
                SyncResult conflicted = c.sync();
                assertThat(conflicted.conflicts()).singleElement().satisfies(x -> {
                    assertThat(x.ticketId()).isEqualTo(Long.parseLong(ticket.number()));
                    assertThat(x.winner()).hasValueSatisfying(win -> {
                        assertThat(win.deviceId()).isEqualTo(a.status().deviceId().orElseThrow());
                        assertThat(win.gate()).contains("North gate");
                    });
                });
            }
            assertThat(spotPayouts(ticket)).hasSize(1);
            w.ticketing.runDueWork();
            assertThat(w.ticketing.payouts().payout(spotPayouts(ticket).get(0).id()).orElseThrow().state())
                    .isEqualTo(PayoutState.DONE);
        }
    }

    @Test
    @Order(6)
    void anOnlineRedeemWhoseAnswerNeverArrivedIsSyncedAsADuplicateAndPaidOnce() {
        DeviceWorld.SwitchableTransport net = new DeviceWorld.SwitchableTransport();
        try (VerifierClient c = ready("North gate", net)) {
            Ticket ticket = w.ticket();
            net.dropAnswers = true;
            RedeemResult r = c.redeem(ticket.code());
            assertThat(r.mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            assertThat(r.admits()).isTrue();
            assertThat(spotPayouts(ticket)).as("the server did redeem it").hasSize(1);
            net.dropAnswers = false;
            SyncResult sync = c.sync();
            assertThat(sync.duplicates()).isEqualTo(1);
            assertThat(sync.conflicts()).isEmpty();
            assertThat(spotPayouts(ticket)).hasSize(1);
        }
    }

    @Test
    @Order(7)
    void revokedDevicesAndOperatorsLoseTheirSessions() {
        try (VerifierClient c = ready("North gate")) {
            String id = c.status().deviceId().orElseThrow();
            w.ticketing.devices().revokeDevice(id, "stolen", "admin").orElseThrow();
            assertThatThrownBy(() -> c.redeem(w.ticket().code())).isInstanceOfSatisfying(UnableToAuthenticateException.class,
                    e -> assertThat(e.problemCode()).contains("device-revoked"));
            assertThat(c.session()).isEmpty();
            assertThat(c.login(LI_WEI)).isInstanceOfSatisfying(LoginResult.Refused.class,
                    r -> assertThat(r.problemCode()).isEqualTo("device-revoked"));
        }
        w.ticketing.devices().createOperator(new OperatorRegistration("chen.jie", "Chen Jie", Optional.of(DeviceWorld.PASSWORD),
                Optional.empty(), List.of(w.westLake.id())), "admin").orElseThrow();
        try (VerifierClient c = client(new DeviceWorld.SwitchableTransport())) {
            c.provision(w.provisioningToken(w.westLake, "East gate"));
            assertThat(c.login(OperatorCredentials.password("chen.jie", DeviceWorld.PASSWORD))).isInstanceOf(LoginResult.LoggedIn.class);
            w.ticketing.devices().revokeOperator("chen.jie", "left", "admin").orElseThrow();
            assertThatThrownBy(c::sync).isInstanceOfSatisfying(UnableToAuthenticateException.class,
                    e -> assertThat(e.problemCode()).contains("operator-revoked"));
        }
    }

    @Test
    @Order(8)
    void heartbeatsReachTheAdminsDeviceList() {
        try (VerifierClient c = ready("South gate")) {
            c.heartbeat();
            Device d = w.ticketing.devices().device(c.status().deviceId().orElseThrow()).orElseThrow();
            assertThat(d.heartbeat()).hasValueSatisfying(h -> {
                assertThat(h.sdkVersion()).isEqualTo(VerifierClient.SDK_VERSION);
                assertThat(h.queueDepth()).isZero();
                assertThat(h.lastSyncAt()).isPresent();
                assertThat(h.keySetVersion()).isEqualTo(w.ticketing.codes().keySet().version());
            });
            assertThat(d.syncOverdue()).isFalse();
        }
    }

    @Test
    @Order(99)
    void refusesExpiredTicketsOnlineAfterTheirDay() {
        Ticket ticket = w.ticket();
        w.clock.advance(Duration.ofDays(2));
        try (VerifierClient c = ready("North gate")) {
            RedeemResult r = c.redeem(ticket.code());
            assertThat(r.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
            assertThat(r.code()).isEqualTo(ResultCode.EXPIRED);
        }
    }
}
