package org.ticketledger.ticketing.testing;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.ticketing.device.AuthResult;
import org.ticketledger.ticketing.device.DeviceSession;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.device.LoginRequest;
import org.ticketledger.ticketing.device.LoginResult;
import org.ticketledger.ticketing.device.ProvisionRequest;
import org.ticketledger.ticketing.device.ProvisionResult;
import org.ticketledger.ticketing.device.TokenGrant;
import org.ticketledger.verify.EcP256;
import org.ticketledger.verify.ScanRecord;
import org.ticketledger.verify.TicketCodec;
import org.ticketledger.verify.spi.DeviceSigner;

/**
 * A gate device as the library sees it, without the SDK client: its own P-256 key, provisioning,
 * login, and signed scan records for online redeem and sync.
 */
public final class GateDevice implements DeviceSigner {

    private final KeyPair key = EcP256.generateKeyPair();
    private final AtomicLong sequence = new AtomicLong();
    public String deviceId;
    public String credential;
    public long spotNumber;
    public TokenGrant grant;

    @Override
    public ECPublicKey publicKey() {
        return (ECPublicKey) key.getPublic();
    }

    @Override
    public byte[] sign(byte[] message) {
        return EcP256.sign(key.getPrivate(), message);
    }

    /** Provisions with the token; fails the test if refused. */
    public GateDevice provision(Devices devices, String token) {
        ProvisionResult r = devices.provision(new ProvisionRequest(token, publicKey(), Optional.of("test"), Optional.of("JUnit")));
        ProvisionResult.Provisioned p = (ProvisionResult.Provisioned) r;
        deviceId = p.deviceId();
        credential = p.deviceCredential();
        spotNumber = p.spot().number();
        return this;
    }

    public LoginResult login(Devices devices, String username, String password) {
        LoginResult r = devices.login(new LoginRequest(deviceId, credential, username, Optional.of(password), Optional.empty(),
                publicKey(), Optional.of("test")));
        if (r instanceof LoginResult.LoggedIn in) {
            grant = in.grant();
        }
        return r;
    }

    public DeviceSession session(Devices devices) {
        return ((AuthResult.Authenticated) devices.authenticate(grant.accessToken())).session();
    }

    /** A signed scan of {@code code} at {@code at}. */
    public ScanRecord scan(String code, Instant at) {
        return scan(code, at, ScanRecord.newNonce());
    }

    public ScanRecord scan(String code, Instant at, String nonce) {
        long ticketId = TicketCodec.decode(code).ticketCode().map(c -> c.payload().ticketId()).orElse(1L);
        return ScanRecord.builder().recordId(ScanRecord.newRecordId()).deviceId(deviceId).spotId(spotNumber).ticketId(ticketId)
                .code(code).scannedAt(at.truncatedTo(ChronoUnit.MILLIS)).clockOffsetMillis(0)
                .sequence(sequence.getAndIncrement()).nonce(nonce).sign(this);
    }
}
