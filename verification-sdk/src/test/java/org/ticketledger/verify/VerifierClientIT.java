package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.verify.spi.HttpTransport;

/** The client against a loopback implementation of DEVICE-API.md. */
class VerifierClientIT {

    private static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
    private static final OperatorCredentials LI_WEI = OperatorCredentials.password("li.wei", "correct horse");

    @TempDir
    File dir;

    private final MutableClock serverClock = new MutableClock(START);
    private final MutableClock deviceClock = new MutableClock(START);
    private FakeDeviceServer server;
    private VerifierClient client;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeDeviceServer(serverClock);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private VerifierClient newClient(File data, MutableClock clock) {
        return VerifierClient.builder()
                .serverUrl(server.url())
                .dataDirectory(data)
                .transport(HttpTransport.urlConnection())
                .clock(clock)
                .zone(ZoneOffset.UTC)
                .requestTimeout(Duration.ofSeconds(5))
                .redeemTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A provisioned, logged-in, synced client at West Lake. */
    private VerifierClient ready(File data, MutableClock clock) {
        VerifierClient c = newClient(data, clock);
        assertThat(c.provision(server.newProvisioningToken(FakeDeviceServer.WEST_LAKE)))
                .isInstanceOf(ProvisionResult.Provisioned.class);
        assertThat(c.login(LI_WEI)).isInstanceOf(LoginResult.LoggedIn.class);
        c.sync();
        return c;
    }

    private String ticket(long id) {
        return server.mint(TestKeys.ticket().ticketId(id).build());
    }

    private void advanceBoth(Duration d) {
        serverClock.advance(d);
        deviceClock.advance(d);
    }

    @Test
    void provisionsLogsInSyncsAndRedeemsOnline() {
        client = newClient(dir, deviceClock);
        ProvisionResult p = client.provision(server.newProvisioningToken(FakeDeviceServer.WEST_LAKE));
        assertThat(p).isInstanceOfSatisfying(ProvisionResult.Provisioned.class, ok -> {
            assertThat(ok.spot()).isEqualTo(FakeDeviceServer.WEST_LAKE);
            assertThat(ok.gate()).contains("North gate");
        });
        LoginResult login = client.login(LI_WEI);
        assertThat(login.session()).hasValueSatisfying(s -> {
            assertThat(s.spot().id()).isEqualTo(12);
            assertThat(s.operator().name()).isEqualTo("Li Wei");
        });
        SyncResult sync = client.sync();
        assertThat(sync.keySetVersion()).isEqualTo(1);
        assertThat(sync.revocationVersion()).isEqualTo(100);

        String code = ticket(501);
        RedeemResult r = client.redeem(code);
        assertThat(r).isInstanceOfSatisfying(RedeemResult.Redeemed.class, ok -> {
            assertThat(ok.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
            assertThat(ok.remainingUses()).hasValue(0);
        });
        assertThat(server.redemptionsOf(501, 12)).hasSize(1);
        assertThat(client.status().queueDepth()).isZero();

        RedeemResult again = client.redeem(code);
        assertThat(again.code()).isEqualTo(ResultCode.ALREADY_REDEEMED);
        assertThat(again.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
        assertThat(again.reason()).isEqualTo("Already used on 2026-05-01 08:00 at West Lake, North gate, device dev-1.");
        // and the device remembers it for offline judgement too
        assertThat(client.verify(code).code()).isEqualTo(ResultCode.ALREADY_REDEEMED);
        assertThat(server.payouts.get()).isEqualTo(1);
    }

    @Test
    void returnsRefusedLoginsAndProvisioningsInsteadOfThrowing() {
        client = newClient(dir, deviceClock);
        assertThat(client.provision("pt-made-up")).isInstanceOfSatisfying(ProvisionResult.Refused.class,
                r -> assertThat(r.problemCode()).isEqualTo("provisioning-token-invalid"));
        assertThatThrownBy(() -> client.login(LI_WEI)).isInstanceOf(UnableToAuthenticateException.class);
        client.provision(server.newProvisioningToken(FakeDeviceServer.WEST_LAKE));
        assertThat(client.login(OperatorCredentials.password("li.wei", "wrong"))).isInstanceOfSatisfying(
                LoginResult.Refused.class, r -> assertThat(r.problemCode()).isEqualTo("invalid-credentials"));
        assertThat(client.session()).isEmpty();
        assertThatThrownBy(() -> client.verify(ticket(1))).isInstanceOf(UnableToAuthenticateException.class);
    }

    @Test
    void refreshesAnExpiringAccessTokenBeforeUsingIt() {
        server.accessTtl = Duration.ofMinutes(5);
        client = ready(dir, deviceClock);
        advanceBoth(Duration.ofMinutes(6));
        assertThat(client.redeem(ticket(502)).code()).isEqualTo(ResultCode.REDEEMED);
        assertThat(server.refreshes.get()).isEqualTo(1);
        assertThat(client.session().orElseThrow().accessTokenExpiresAt()).isAfter(deviceClock.instant());
    }

    @Test
    void refreshesOnceWhenTheServerSaysTheTokenExpiredEarly() {
        client = ready(dir, deviceClock);
        server.accessTtl = Duration.ofMinutes(5);
        serverClock.advance(Duration.ofMinutes(20)); // server-side expiry the device cannot know about
        deviceClock.advance(Duration.ofMinutes(20));
        assertThat(client.redeem(ticket(503)).code()).isEqualTo(ResultCode.REDEEMED);
        assertThat(server.refreshes.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void explicitRefreshRotatesTokensAndARefusedRefreshEndsTheSession() {
        client = ready(dir, deviceClock);
        assertThat(client.refresh()).isInstanceOf(LoginResult.LoggedIn.class);
        assertThat(server.refreshes.get()).isEqualTo(1);
        client.logout();
        assertThat(client.session()).isEmpty();
        assertThatThrownBy(() -> client.refresh()).isInstanceOf(UnableToAuthenticateException.class);
        assertThatThrownBy(() -> client.redeem(ticket(504))).isInstanceOf(UnableToAuthenticateException.class);
    }

    @Test
    void fallsBackToOfflineWhenTheServerIsDownAndSyncsLater() {
        client = ready(dir, deviceClock);
        String code = ticket(505);
        server.mode = FakeDeviceServer.Mode.DOWN;
        RedeemResult r = client.redeem(code);
        assertThat(r).isInstanceOfSatisfying(RedeemResult.Redeemed.class, ok -> {
            assertThat(ok.mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            assertThat(ok.reason()).contains("offline");
        });
        assertThat(client.status().queueDepth()).isEqualTo(1);
        assertThat(client.status().offline()).isTrue();
        RedeemResult again = client.redeem(code);
        assertThat(again.code()).isEqualTo(ResultCode.ALREADY_REDEEMED);
        assertThat(again.mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
        assertThatThrownBy(() -> client.sync()).isInstanceOf(UnableToCallServerException.class);

        server.mode = FakeDeviceServer.Mode.UP;
        SyncResult sync = client.sync();
        assertThat(sync.uploaded()).isEqualTo(1);
        assertThat(sync.recorded()).isEqualTo(1);
        assertThat(sync.stillQueued()).isZero();
        assertThat(server.redemptionsOf(505, 12)).hasSize(1);
        assertThat(server.payouts.get()).isEqualTo(1);
        assertThat(client.sync().uploaded()).isZero();
    }

    @Test
    void fallsBackToOfflineWhenTheConnectionDropsWithoutAnAnswer() {
        client = ready(dir, deviceClock);
        server.mode = FakeDeviceServer.Mode.DROP;
        assertThat(client.redeem(ticket(506)).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
    }

    @Test
    void anOnlineRedeemWhoseAnswerWasLostIsSyncedAsADuplicateNotADoubleUse() {
        client = ready(dir, deviceClock);
        server.mode = FakeDeviceServer.Mode.PROCESS_THEN_DROP;
        RedeemResult r = client.redeem(ticket(507));
        assertThat(r.mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
        assertThat(r.admits()).isTrue();
        server.mode = FakeDeviceServer.Mode.UP;
        SyncResult sync = client.sync();
        assertThat(sync.duplicates()).isEqualTo(1);
        assertThat(sync.conflicts()).isEmpty();
        assertThat(server.redemptionsOf(507, 12)).hasSize(1);
        assertThat(server.payouts.get()).isEqualTo(1);
    }

    @Test
    void twoDevicesOfflineRedeemTheSameTicketAndSyncGivesOneRedemptionAndOneConflict() {
        client = ready(dir, deviceClock);
        MutableClock secondClock = new MutableClock(START);
        try (VerifierClient second = ready(new File(dir, "second"), secondClock)) {
            String code = ticket(508);
            server.mode = FakeDeviceServer.Mode.DOWN;
            advanceBoth(Duration.ofMinutes(1));
            secondClock.advance(Duration.ofMinutes(1));
            assertThat(client.redeem(code).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            secondClock.advance(Duration.ofSeconds(30));
            assertThat(second.redeem(code).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
            server.mode = FakeDeviceServer.Mode.UP;

            SyncResult later = second.sync(); // the later scan syncs first
            SyncResult earlier = client.sync();

            assertThat(earlier.recorded()).isEqualTo(1);
            assertThat(earlier.conflicts()).isEmpty();
            assertThat(later.recorded()).isEqualTo(1);
            assertThat(server.redemptionsOf(508, 12)).hasSize(2);
            assertThat(server.redemptionsOf(508, 12).get(0).deviceId()).isEqualTo("dev-1"); // earliest wins
            assertThat(server.payouts.get()).isEqualTo(1);

            // A third offline scan after both are known is reported back as a conflict naming the winner.
            MutableClock thirdClock = new MutableClock(secondClock.instant());
            try (VerifierClient third = ready(new File(dir, "third"), thirdClock)) {
                server.mode = FakeDeviceServer.Mode.DOWN;
                thirdClock.advance(Duration.ofMinutes(1));
                assertThat(third.redeem(code).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
                server.mode = FakeDeviceServer.Mode.UP;
                SyncResult conflicted = third.sync();
                assertThat(conflicted.conflicts()).singleElement().satisfies(c -> {
                    assertThat(c.ticketId()).isEqualTo(508);
                    assertThat(c.winner()).hasValueSatisfying(w -> {
                        assertThat(w.deviceId()).isEqualTo("dev-1");
                        assertThat(w.at()).isEqualTo(START.plus(Duration.ofMinutes(1)));
                    });
                });
                assertThat(server.payouts.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void theOfflineQueueSurvivesARestart() {
        client = ready(dir, deviceClock);
        String code = ticket(509);
        server.mode = FakeDeviceServer.Mode.DOWN;
        assertThat(client.redeem(code).mode()).isEqualTo(RedeemResult.Mode.OFFLINE);
        client.close();

        client = newClient(dir, deviceClock);
        assertThat(client.status().queueDepth()).isEqualTo(1);
        assertThat(client.session()).isPresent();
        assertThat(client.verify(code).code()).isEqualTo(ResultCode.ALREADY_REDEEMED);
        server.mode = FakeDeviceServer.Mode.UP;
        assertThat(client.sync().recorded()).isEqualTo(1);
        assertThat(server.redemptionsOf(509, 12)).hasSize(1);
    }

    @Test
    void refusesOfflineRedemptionAfterTheMaximumOfflineTime() {
        client = ready(dir, deviceClock);
        server.mode = FakeDeviceServer.Mode.DOWN;
        advanceBoth(Duration.ofHours(24).plusMinutes(1));
        String code = server.mint(TestKeys.ticket().ticketId(510).validUntil(Instant.parse("2026-05-03T00:00:00Z")).build());
        RedeemResult r = client.redeem(code);
        assertThat(r.code()).isEqualTo(ResultCode.OFFLINE_TOO_LONG);
        assertThat(r.reason()).startsWith("Offline since 2026-05-01 08:00 (limit 24 h)");
        assertThat(client.status().queueDepth()).isZero();
    }

    @Test
    void theServerPolicyCanShortenTheMaximumOfflineTime() {
        server.maxOfflineSeconds = Optional.of(3600L);
        client = ready(dir, deviceClock);
        server.mode = FakeDeviceServer.Mode.DOWN;
        advanceBoth(Duration.ofMinutes(61));
        assertThat(client.redeem(ticket(511)).code()).isEqualTo(ResultCode.OFFLINE_TOO_LONG);
    }

    @Test
    void correctsASkewedDeviceClockAndReportsIt() {
        deviceClock.set(START.minus(Duration.ofMinutes(10))); // device clock 10 minutes behind
        client = ready(dir, deviceClock);
        ClockStatus clock = client.checkClock();
        assertThat(clock.skewed()).isTrue();
        assertThat(clock.offset()).isBetween(Duration.ofMinutes(10).minusSeconds(1), Duration.ofMinutes(10).plusSeconds(1));
        // valid from 5 minutes before server time: the raw device clock would call it "not yet valid"
        String code = server.mint(TestKeys.ticket().ticketId(512).validFrom(START.minus(Duration.ofMinutes(5))).build());
        assertThat(client.verify(code).code()).isEqualTo(ResultCode.VALID);
    }

    @Test
    void distrustsADeviceClockTurnedBackAfterSync() {
        client = ready(dir, deviceClock);
        deviceClock.advance(Duration.ofHours(-1));
        assertThat(client.verify(ticket(513)).code()).isEqualTo(ResultCode.CLOCK_UNTRUSTED);
        client.checkClock(); // re-measures the offset
        assertThat(client.verify(ticket(513)).code()).isEqualTo(ResultCode.VALID);
    }

    @Test
    void fetchesRevocationsAsDeltasAndRefusesRevokedTicketsOffline() {
        client = ready(dir, deviceClock);
        String code = ticket(514);
        server.revoke(514, "REFUNDED", Instant.parse("2026-05-02T00:00:00Z"));
        server.revoke(999, "CANCELLED", Instant.parse("2026-04-01T00:00:00Z")); // already expired: pruned
        assertThat(client.sync().revocationVersion()).isEqualTo(102);
        assertThat(client.revocations().isRevoked(514)).isTrue();
        assertThat(client.revocations().isRevoked(999)).isFalse();
        VerifyResult v = client.verify(code);
        assertThat(v.code()).isEqualTo(ResultCode.REVOKED);
        assertThat(v.reason()).isEqualTo("Ticket refunded on 2026-05-01 08:00. Do not admit.");
        server.revoke(515, "REFUNDED", Instant.parse("2026-05-02T00:00:00Z"));
        assertThat(client.fetchRevocations().entries()).extracting(Revocation::ticketId).containsExactly(514L, 515L);
        RedeemResult online = client.redeem(code);
        assertThat(online.mode()).isEqualTo(RedeemResult.Mode.ONLINE);
        assertThat(online.code()).isEqualTo(ResultCode.REVOKED);
    }

    @Test
    void picksUpARotatedKeyAtTheNextSync() {
        client = ready(dir, deviceClock);
        server.addKey(2, TestKeys.ISSUER_2, START, TestKeys.KEYS_UNTIL);
        String code = server.mint(TestKeys.ticket().keyId(2).ticketId(516).build());
        assertThat(client.verify(code).code()).isEqualTo(ResultCode.UNKNOWN_KEY);
        assertThat(client.sync().keySetVersion()).isEqualTo(2);
        assertThat(client.verify(code).code()).isEqualTo(ResultCode.VALID);
        assertThat(client.fetchKeySet().version()).isEqualTo(2); // 304 keeps it
    }

    @Test
    void aRevokedDeviceLosesItsSession() {
        client = ready(dir, deviceClock);
        server.revokeDevice("dev-1");
        assertThatThrownBy(() -> client.redeem(ticket(517))).isInstanceOfSatisfying(UnableToAuthenticateException.class,
                e -> assertThat(e.problemCode()).contains("device-revoked"));
        assertThat(client.session()).isEmpty();
        assertThat(client.login(LI_WEI)).isInstanceOfSatisfying(LoginResult.Refused.class,
                r -> assertThat(r.problemCode()).isEqualTo("device-revoked"));
    }

    @Test
    void reportsHeartbeatsWithQueueDepthAndVersion() {
        client = ready(dir, deviceClock);
        assertThat(server.heartbeats).hasSize(1); // sync sends one
        client.heartbeat();
        assertThat(server.heartbeats.get(1).longValue("queueDepth")).isZero();
        assertThat(server.heartbeats.get(1).string("sdkVersion")).isEqualTo(VerifierClient.SDK_VERSION);
        assertThat(server.heartbeats.get(1).longValue("keySetVersion")).isEqualTo(1);
    }

    @Test
    void asyncVariantsCompleteOnTheClientsExecutor() throws Exception {
        client = ready(dir, deviceClock);
        String code = ticket(518);
        assertThat(client.verifyAsync(code).get(10, TimeUnit.SECONDS).code()).isEqualTo(ResultCode.VALID);
        assertThat(client.redeemAsync(code).get(10, TimeUnit.SECONDS).code()).isEqualTo(ResultCode.REDEEMED);
        assertThat(client.syncAsync().get(10, TimeUnit.SECONDS).stillQueued()).isZero();
        assertThat(client.heartbeatAsync().get(10, TimeUnit.SECONDS).queueDepth()).isZero();
        client.logoutAsync().get(10, TimeUnit.SECONDS);
        assertThat(client.session()).isEmpty();
    }

    @Test
    void refusesToReprovisionWhileRecordsWaitForUpload() {
        client = ready(dir, deviceClock);
        server.mode = FakeDeviceServer.Mode.DOWN;
        client.redeem(ticket(519));
        assertThatThrownBy(() -> client.provision("pt-any")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sync");
    }

    @Test
    void offlineRedeemsOfOneMultiEntryTicketAreCountedConcurrentlySafely() throws Exception {
        client = ready(dir, deviceClock);
        server.mode = FakeDeviceServer.Mode.DOWN;
        String code = server.mint(TestKeys.ticket().ticketId(520).uses(3).build());
        List<RedeemResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> results.add(client.redeem(code)));
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results).filteredOn(RedeemResult::admits).hasSize(3);
        assertThat(results).filteredOn(r -> r.code() == ResultCode.ALREADY_REDEEMED).hasSize(5);
    }
}
