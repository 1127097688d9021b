package org.ticketledger.ticketing.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.device.AuthResult;
import org.ticketledger.ticketing.device.Device;
import org.ticketledger.ticketing.device.DevicePolicy;
import org.ticketledger.ticketing.device.DeviceSession;
import org.ticketledger.ticketing.device.Devices;
import org.ticketledger.ticketing.device.Heartbeat;
import org.ticketledger.ticketing.device.HeartbeatAnswer;
import org.ticketledger.ticketing.device.LoginRequest;
import org.ticketledger.ticketing.device.LoginResult;
import org.ticketledger.ticketing.device.OnlineRedeemResult;
import org.ticketledger.ticketing.device.Operator;
import org.ticketledger.ticketing.device.OperatorRegistration;
import org.ticketledger.ticketing.device.ProvisionRequest;
import org.ticketledger.ticketing.device.ProvisionResult;
import org.ticketledger.ticketing.device.ProvisioningToken;
import org.ticketledger.ticketing.device.RedemptionConflict;
import org.ticketledger.ticketing.device.SyncItem;
import org.ticketledger.ticketing.device.SyncRecordResult;
import org.ticketledger.verify.ScanRecord;

/** The device side: authentication in {@link DeviceAuth}, redemption in {@link DeviceRedemptions}. */
final class DevicesImpl implements Devices {

    private final DevicePolicy policy;
    private final DeviceAuth auth;
    private final DeviceRedemptions redemptions;
    private final CodesImpl codes;
    private final SigningKeys keys;

    DevicesImpl(Ctx ctx, DevicePolicy policy, SigningKeys keys, CodesImpl codes, TicketsImpl tickets) {
        this.policy = policy;
        this.auth = new DeviceAuth(ctx, policy);
        this.redemptions = new DeviceRedemptions(ctx, keys, tickets, auth);
        this.codes = codes;
        this.keys = keys;
    }

    @Override
    public Outcome<ProvisioningToken> createProvisioningToken(String spotId, Optional<String> gate, String actor) {
        return auth.createProvisioningToken(spotId, gate, actor);
    }

    @Override
    public Outcome<Operator> createOperator(OperatorRegistration registration, String actor) {
        return auth.createOperator(Objects.requireNonNull(registration, "registration"), actor);
    }

    @Override
    public Optional<Operator> operator(String idOrUsername) {
        return auth.operator(idOrUsername);
    }

    @Override
    public Outcome<Operator> revokeOperator(String idOrUsername, String reason, String actor) {
        return auth.revokeOperator(idOrUsername, reason, actor);
    }

    @Override
    public Outcome<Device> revokeDevice(String deviceId, String reason, String actor) {
        return auth.revokeDevice(deviceId, reason, actor);
    }

    @Override
    public Optional<Device> device(String deviceId) {
        return auth.device(deviceId);
    }

    @Override
    public List<Device> devices(Optional<String> spotId) {
        return auth.devices(spotId);
    }

    @Override
    public List<RedemptionConflict> conflicts(Optional<String> spotId, long afterId, int limit) {
        return redemptions.conflicts(spotId, afterId, limit);
    }

    @Override
    public DevicePolicy policy() {
        return policy;
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        return auth.provision(Objects.requireNonNull(request, "request"));
    }

    @Override
    public LoginResult login(LoginRequest request) {
        return auth.login(Objects.requireNonNull(request, "request"));
    }

    @Override
    public LoginResult refresh(String refreshToken) {
        return auth.refresh(Objects.requireNonNull(refreshToken, "refreshToken"));
    }

    @Override
    public boolean logout(String accessToken, Optional<String> refreshToken) {
        return auth.logout(Objects.requireNonNull(accessToken, "accessToken"), refreshToken);
    }

    @Override
    public AuthResult authenticate(String accessToken) {
        return auth.authenticate(Objects.requireNonNull(accessToken, "accessToken"));
    }

    @Override
    public OnlineRedeemResult redeem(DeviceSession session, String idempotencyKey, ScanRecord record) {
        return redemptions.redeem(Objects.requireNonNull(session, "session"), Objects.requireNonNull(idempotencyKey, "key"),
                Objects.requireNonNull(record, "record"));
    }

    @Override
    public OnlineRedeemResult redeem(String accessToken, String idempotencyKey, ScanRecord record) {
        return redemptions.redeem(Objects.requireNonNull(accessToken, "accessToken"), Objects.requireNonNull(idempotencyKey, "key"),
                Objects.requireNonNull(record, "record"));
    }

    @Override
    public List<SyncRecordResult> sync(DeviceSession session, List<SyncItem> items) {
        return redemptions.sync(Objects.requireNonNull(session, "session"), List.copyOf(items));
    }

    @Override
    public HeartbeatAnswer heartbeat(DeviceSession session, Heartbeat heartbeat) {
        return auth.heartbeat(session, heartbeat, keys.keySet().version(), codes.revocationVersion());
    }
}
