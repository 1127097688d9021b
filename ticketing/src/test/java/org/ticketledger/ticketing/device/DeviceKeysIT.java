package org.ticketledger.ticketing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.UnableToStartException;
import org.ticketledger.ticketing.codes.SigningKeyInfo;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.spi.KeyProtector;
import org.ticketledger.ticketing.testing.GateDevice;
import org.ticketledger.ticketing.testing.Harness;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.verify.IssuerKey;
import org.ticketledger.verify.KeySet;
import org.ticketledger.verify.TicketCodec;

/**
 * Issuer keys over time (a moved clock): sealed at rest, rotation with a publish lead, removal of a
 * compromised key; and the lifetimes of provisioning and access tokens.
 */
class DeviceKeysIT {

    private static final byte[] MASTER = new byte[32];

    static {
        new SecureRandom().nextBytes(MASTER);
    }

    private Harness w;
    private Ticketing t;
    private ScenicSpot spot;
    private Distributor distributor;
    private Product product;
    private int orders;

    @BeforeEach
    void world() {
        w = Harness.start(b -> b.keyProtector(KeyProtector.aesGcm(MASTER))
                .devicePolicy(DevicePolicy.defaults().withPasswordIterations(1_000)));
        t = w.ticketing;
        w.onboardPlatform();
        spot = w.spot("West Lake");
        distributor = w.distributor("Key Travel", Money.parseCny("2000.00"));
        product = w.publish(spot, "100.00", "90.00");
        t.devices().createOperator(new OperatorRegistration("li.wei", "Li Wei", Optional.of("correct horse"), Optional.empty(),
                List.of(spot.id())), "admin").orElseThrow();
    }

    @AfterEach
    void close() {
        w.close();
    }

    private Ticketing build(KeyProtector protector) {
        return Ticketing.builder().dataSource(w.dataSource).journal(w.journal).rails(w.rails).notifier(w.sms).clock(w.clock)
                .jobSettings(w.settings).keyProtector(protector)
                .devicePolicy(DevicePolicy.defaults().withPasswordIterations(1_000)).build();
    }

    private Ticket ticket() {
        return ticket(0);
    }

    private Ticket ticket(int daysAhead) {
        IssueResult r = t.orders().issue(org.ticketledger.ticketing.order.IssueRequest.of(distributor.id(), "KT-" + (++orders),
                product.id(), w.today().plusDays(daysAhead), 1, product.distributorPrice()));
        return ((IssueResult.Issued) r).tickets().get(0);
    }

    private int keyIdOf(Ticket ticket) {
        return TicketCodec.decode(ticket.code()).ticketCode().orElseThrow().payload().keyId();
    }

    private GateDevice device() {
        GateDevice d = new GateDevice().provision(t.devices(),
                t.devices().createProvisioningToken(spot.id(), Optional.empty(), "admin").orElseThrow().token());
        assertThat(d.login(t.devices(), "li.wei", "correct horse")).isInstanceOf(LoginResult.LoggedIn.class);
        return d;
    }

    private RedeemOutcome online(GateDevice d, Ticket ticket) {
        var r = d.scan(ticket.code(), w.clock.instant());
        return ((OnlineRedeemResult.Answered) t.devices().redeem(d.session(t.devices()), r.recordId(), r)).answer().outcome();
    }

    @Test
    void keepsIssuerPrivateKeysSealedUnderTheMasterKey() throws Exception {
        ticket();
        t.codes().rotate("admin").orElseThrow();
        try (var c = w.dataSource.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT protection, private_key FROM ticketing.signing_keys")) {
            int keys = 0;
            while (rs.next()) {
                keys++;
                assertThat(rs.getString(1)).startsWith("AES-256-GCM:").doesNotContain(java.util.HexFormat.of().formatHex(MASTER));
                byte[] stored = rs.getBytes(2);
                assertThatThrownBy(() -> org.ticketledger.verify.EcP256.privateKeyFromPkcs8(stored))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(keys).isEqualTo(2);
        }
        assertThatThrownBy(() -> build(KeyProtector.aesGcm(new byte[32]))).isInstanceOf(UnableToStartException.class)
                .hasMessageContaining("AES-256-GCM");
        assertThatThrownBy(() -> build(KeyProtector.none())).isInstanceOf(UnableToStartException.class);
        try (Ticketing again = build(KeyProtector.aesGcm(MASTER))) {
            assertThat(again.codes().keySet().keys()).hasSize(2);
        }
    }

    @Test
    void rotatesWithAPublishLeadAndRemovesACompromisedKey() {
        // From midday in the platform's zone, 25 hours later is still tomorrow there, whatever hour
        // the suite runs at (from 23:00 on, it would be the day after and the ticket expired).
        java.time.ZonedDateTime local = w.clock.instant().atZone(Harness.ZONE);
        java.time.ZonedDateTime noon = local.toLocalDate().atTime(12, 0).atZone(Harness.ZONE);
        w.clock.advance(Duration.between(local, noon.isAfter(local) ? noon : noon.plusDays(1)));
        Ticket before = ticket(1); // valid all of tomorrow, when the new key signs
        int oldKey = keyIdOf(before);
        long version = t.codes().keySet().version();
        IssuerKey fresh = t.codes().rotate("admin").orElseThrow();
        KeySet published = t.codes().keySet();
        assertThat(published.version()).isEqualTo(version + 1);
        assertThat(published.keys()).extracting(IssuerKey::keyId).contains(oldKey, fresh.keyId());
        assertThat(fresh.notBefore()).isBeforeOrEqualTo(w.clock.instant());
        SigningKeyInfo info = t.codes().signingKeys().stream().filter(k -> k.keyId() == fresh.keyId()).findFirst().orElseThrow();
        assertThat(info.signFrom()).isAfterOrEqualTo(w.clock.instant().plus(Duration.ofHours(24)).minusSeconds(5));
        assertThat(info.signing()).isFalse();
        assertThat(keyIdOf(ticket())).as("published, not yet signing").isEqualTo(oldKey);
        assertThat(t.codes().removeKey(oldKey, "compromised", "admin").isOk()).as("the only key that signs").isFalse();

        w.clock.advance(Duration.ofHours(25));
        Ticket after = ticket();
        assertThat(keyIdOf(after)).isEqualTo(fresh.keyId());
        GateDevice d = device();
        assertThat(online(d, before)).as("old keys keep verifying").isEqualTo(RedeemOutcome.REDEEMED);

        assertThat(t.codes().removeKey(oldKey, "compromised", "admin").orElseThrow().removedAt()).isPresent();
        assertThat(t.codes().keySet().keys()).extracting(IssuerKey::keyId).doesNotContain(oldKey);
        assertThat(t.codes().keySet().version()).isEqualTo(version + 2);
        assertThat(online(d, after)).isEqualTo(RedeemOutcome.REDEEMED);
    }

    @Test
    void codesOfARemovedKeyVerifyAsUnknownKey() {
        Ticket old = ticket();
        t.codes().rotate("admin").orElseThrow();
        w.clock.advance(Duration.ofHours(25));
        t.codes().removeKey(keyIdOf(old), "compromised", "admin").orElseThrow();
        assertThat(online(device(), old)).isEqualTo(RedeemOutcome.UNKNOWN_KEY);
    }

    @Test
    void codesOfAKeyPastItsNotAfterAreRefusedAsKeyExpired() {
        Ticket ticket = ticket();
        GateDevice d = device();
        int kid = keyIdOf(ticket);
        // Keys live 400 days by default: move past the first key's notAfter.
        SigningKeyInfo key = t.codes().signingKeys().stream().filter(k -> k.keyId() == kid).findFirst().orElseThrow();
        w.clock.advance(Duration.between(w.clock.instant(), key.notAfter()).plusMinutes(1));
        assertThat(d.login(t.devices(), "li.wei", "correct horse")).isInstanceOf(LoginResult.LoggedIn.class);
        assertThat(online(d, ticket)).isEqualTo(RedeemOutcome.KEY_EXPIRED);
    }

    @Test
    void provisioningTokensAndAccessTokensExpire() {
        String token = t.devices().createProvisioningToken(spot.id(), Optional.empty(), "admin").orElseThrow().token();
        GateDevice d = device();
        w.clock.advance(Duration.ofMinutes(16));
        assertThat(t.devices().authenticate(d.grant.accessToken())).isInstanceOfSatisfying(AuthResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.TOKEN_EXPIRED));
        assertThat(t.devices().refresh(d.grant.refreshToken())).isInstanceOf(LoginResult.LoggedIn.class);
        w.clock.advance(Duration.ofHours(24));
        assertThat(t.devices().provision(new ProvisionRequest(token, new GateDevice().publicKey(), Optional.empty(),
                Optional.empty()))).isInstanceOfSatisfying(ProvisionResult.Refused.class,
                r -> assertThat(r.error()).isEqualTo(DeviceError.PROVISIONING_TOKEN_INVALID));
    }
}
