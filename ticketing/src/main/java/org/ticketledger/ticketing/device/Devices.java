package org.ticketledger.ticketing.device;

import java.util.List;
import java.util.Optional;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.verify.ScanRecord;

/**
 * The server side of DEVICE-API.md, as a library: the admin's calls (provisioning tokens,
 * operators, revocation, device list, conflicts) and the devices' calls, which the host app maps
 * one to one onto {@code /device/v1/...}. Device calls return sealed results carrying a
 * {@link DeviceError} (problem code and HTTP status); admin calls return {@link Outcome}.
 *
 * <p>Secrets (tokens, credentials, passwords, PINs) are returned once where they are created and
 * stored only as hashes; none is ever logged or put in an exception. Thread-safe; nothing returns
 * null; infrastructure failures throw {@link org.ticketledger.ticketing.TicketingException}.
 */
public interface Devices {

    // ---------------------------------------------------------------- admin

    /** A one-time provisioning token for a device at the spot (and gate). */
    Outcome<ProvisioningToken> createProvisioningToken(String spotId, Optional<String> gate, String actor);

    /** Creates an operator (password and/or PIN hashed with salted PBKDF2-HMAC-SHA256). */
    Outcome<Operator> createOperator(OperatorRegistration registration, String actor);

    /** An operator by id or username. */
    Optional<Operator> operator(String idOrUsername);

    /** Revokes an operator: every session of theirs ends at its next request. */
    Outcome<Operator> revokeOperator(String idOrUsername, String reason, String actor);

    /** Revokes a device: its sessions end at their next request; it cannot log in again. */
    Outcome<Device> revokeDevice(String deviceId, String reason, String actor);

    /** A device with its latest heartbeat. */
    Optional<Device> device(String deviceId);

    /** The devices of a spot (all spots when empty), newest first. */
    List<Device> devices(Optional<String> spotId);

    /** Double redemptions with id above {@code afterId}, oldest first, at one spot or all. */
    List<RedemptionConflict> conflicts(Optional<String> spotId, long afterId, int limit);

    /** The policy in force. */
    DevicePolicy policy();

    // ---------------------------------------------------------------- devices

    /** {@code POST /device/v1/provision}: consumes the token whatever happens afterwards. */
    ProvisionResult provision(ProvisionRequest request);

    /** {@code POST /device/v1/login}. */
    LoginResult login(LoginRequest request);

    /** {@code POST /device/v1/refresh}: rotates the refresh token; a reused one ends the session. */
    LoginResult refresh(String refreshToken);

    /**
     * {@code POST /device/v1/logout}: ends the session of the access token (even an expired one)
     * or, failing that, of the refresh token. Returns whether a session was found.
     */
    boolean logout(String accessToken, Optional<String> refreshToken);

    /** Checks a bearer token of every other endpoint. */
    AuthResult authenticate(String accessToken);

    /**
     * {@code POST /device/v1/redeem}: judges the scan with server time (TICKET-CODE.md §6 steps
     * 1, 3, 4, 6–11) and, when admitted, records it, counting uses, in one transaction that also
     * redeems the ticket (ledger entry and payout) on the spot's first redemption. Idempotent per
     * (device, {@code idempotencyKey}).
     */
    OnlineRedeemResult redeem(DeviceSession session, String idempotencyKey, ScanRecord record);

    /**
     * {@link #authenticate} and {@link #redeem(DeviceSession, String, ScanRecord)} in one: the same
     * answers, a refused token as {@link OnlineRedeemResult.Rejected} with the error and detail
     * {@link AuthResult.Refused} gives. A session this instance authenticated before is checked
     * again inside the redemption's own statement instead of being read first.
     */
    OnlineRedeemResult redeem(String accessToken, String idempotencyKey, ScanRecord record);

    /**
     * {@code POST /device/v1/sync}: records what devices did offline (one answer per item, in
     * order). The earliest scans win; later ones are conflicts; the spot is paid once, when its
     * first redemption is recorded.
     */
    List<SyncRecordResult> sync(DeviceSession session, List<SyncItem> items);

    /** {@code POST /device/v1/heartbeat}: stores the report as the device's latest. */
    HeartbeatAnswer heartbeat(DeviceSession session, Heartbeat heartbeat);
}
