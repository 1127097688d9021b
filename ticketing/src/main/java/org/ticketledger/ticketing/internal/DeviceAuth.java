package org.ticketledger.ticketing.internal;

import java.security.interfaces.ECPublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.device.AuthResult;
import org.ticketledger.ticketing.device.Device;
import org.ticketledger.ticketing.device.DeviceError;
import org.ticketledger.ticketing.device.DevicePolicy;
import org.ticketledger.ticketing.device.DeviceSession;
import org.ticketledger.ticketing.device.Heartbeat;
import org.ticketledger.ticketing.device.HeartbeatAnswer;
import org.ticketledger.ticketing.device.LoginRequest;
import org.ticketledger.ticketing.device.LoginResult;
import org.ticketledger.ticketing.device.Operator;
import org.ticketledger.ticketing.device.OperatorRef;
import org.ticketledger.ticketing.device.OperatorRegistration;
import org.ticketledger.ticketing.device.ProvisionRequest;
import org.ticketledger.ticketing.device.ProvisionResult;
import org.ticketledger.ticketing.device.ProvisioningToken;
import org.ticketledger.ticketing.device.SpotRef;
import org.ticketledger.ticketing.device.TokenGrant;
import org.ticketledger.verify.EcP256;

/**
 * Provisioning, operators, sessions and heartbeats. Password checks (PBKDF2, hundreds of
 * milliseconds) run outside transactions; failed logins count per operator and per device and lock
 * both for the policy's lockout after too many in a row.
 */
final class DeviceAuth {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuth.class);

    private final Ctx ctx;
    private final DevicePolicy policy;
    /** Compared against when the username is unknown, so that case costs the same time; made on first use. */
    private volatile String dummy;

    DeviceAuth(Ctx ctx, DevicePolicy policy) {
        this.ctx = ctx;
        this.policy = policy;
    }

    private String dummyHash() {
        String d = dummy;
        if (d == null) {
            d = Secrets.hashPassword("not a password", policy.passwordIterations());
            dummy = d;
        }
        return d;
    }

    // ---------------------------------------------------------------- spots

    static Optional<SpotRef> spot(Handle h, String spotId) {
        return h.createQuery("SELECT party_id, code_no, name FROM ticketing.parties WHERE party_id = :id AND kind = 'SCENIC_SPOT'")
                .bind("id", spotId).map((rs, c) -> spotRow(rs)).findOne();
    }

    static Optional<SpotRef> spotByNumber(Handle h, long number) {
        return h.createQuery("SELECT party_id, code_no, name FROM ticketing.parties WHERE code_no = :n AND kind = 'SCENIC_SPOT'")
                .bind("n", number).map((rs, c) -> spotRow(rs)).findOne();
    }

    private static SpotRef spotRow(ResultSet rs) throws SQLException {
        return new SpotRef(rs.getString("party_id"), rs.getLong("code_no"), rs.getString("name"));
    }

    // ---------------------------------------------------------------- admin

    Outcome<ProvisioningToken> createProvisioningToken(String spotId, Optional<String> gate, String actor) {
        Objects.requireNonNull(spotId, "spotId");
        Objects.requireNonNull(gate, "gate");
        if (gate.isPresent() && (gate.get().isBlank() || gate.get().length() > 100)) {
            return Outcome.refused(ErrorCode.VALIDATION_FAILED, "gate must have 1-100 characters");
        }
        String token = Secrets.token("pt");
        Instant now = ctx.now();
        Instant expires = now.plus(policy.provisioningTokenTtl());
        Optional<SpotRef> spot = ctx.db.tx(h -> {
            Optional<SpotRef> s = spot(h, spotId);
            if (s.isPresent()) {
                h.createUpdate("INSERT INTO ticketing.provisioning_tokens (token_hash, spot_id, gate, expires_at, created_at, created_by)"
                                + " VALUES (:h, :s, :g, :exp, :now, :by)")
                        .bind("h", Secrets.sha256(token)).bind("s", spotId).bind("g", gate.orElse(null))
                        .bind("exp", Db.ts(expires)).bind("now", Db.ts(now)).bind("by", actor).execute();
                Audit.record(h, ctx, actor, "device.provisioning-token", spotId, "gate " + gate.orElse("-") + ", expires " + expires);
            }
            return s;
        });
        if (spot.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_SCENIC_SPOT, "no scenic spot " + spotId);
        }
        return Outcome.ok(new ProvisioningToken(token, spot.get(), gate, expires));
    }

    Outcome<Operator> createOperator(OperatorRegistration r, String actor) {
        Optional<Problem> invalid = ctx.validation.check(r);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        if (r.password().isEmpty() && r.pin().isEmpty()) {
            return Outcome.refused(ErrorCode.VALIDATION_FAILED, "an operator needs a password or a PIN");
        }
        String passwordHash = r.password().map(p -> Secrets.hashPassword(p, policy.passwordIterations())).orElse(null);
        String pinHash = r.pin().map(p -> Secrets.hashPassword(p, policy.passwordIterations())).orElse(null);
        String id = Ids.next("op", ctx.clock);
        try {
            ctx.db.tx(h -> {
                if (h.createQuery("SELECT 1 FROM ticketing.operators WHERE username = :u").bind("u", r.username())
                        .mapTo(Integer.class).findOne().isPresent()) {
                    throw new Db.Refusal(Problem.of(ErrorCode.USERNAME_TAKEN, "username " + r.username() + " is taken"));
                }
                for (String s : r.spotIds()) {
                    if (spot(h, s).isEmpty()) {
                        throw new Db.Refusal(Problem.of(ErrorCode.UNKNOWN_SCENIC_SPOT, "no scenic spot " + s));
                    }
                }
                h.createUpdate("INSERT INTO ticketing.operators (operator_id, username, name, password_hash, pin_hash, state,"
                                + " created_at, created_by) VALUES (:id, :u, :n, :pw, :pin, 'ACTIVE', :now, :by)")
                        .bind("id", id).bind("u", r.username()).bind("n", r.name()).bind("pw", passwordHash)
                        .bind("pin", pinHash).bind("now", Db.ts(ctx.now())).bind("by", actor).execute();
                for (String s : r.spotIds().stream().distinct().toList()) {
                    h.createUpdate("INSERT INTO ticketing.operator_spots (operator_id, spot_id) VALUES (:o, :s)")
                            .bind("o", id).bind("s", s).execute();
                }
                Audit.record(h, ctx, actor, "operator.created", id, r.username() + " at " + r.spotIds());
                return null;
            });
        } catch (Db.Refusal e) {
            return Outcome.refused(e.problem());
        }
        return Outcome.ok(operator(id).orElseThrow());
    }

    Optional<Operator> operator(String idOrUsername) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.operators WHERE operator_id = :r OR username = :r")
                .bind("r", idOrUsername)
                .map((rs, c) -> new Operator(rs.getString("operator_id"), rs.getString("username"), rs.getString("name"),
                        List.of(), rs.getString("password_hash") != null, rs.getString("pin_hash") != null,
                        Db.optInstant(rs, "revoked_at"), Db.instant(rs, "created_at")))
                .findOne()
                .map(o -> new Operator(o.id(), o.username(), o.name(), h.createQuery(
                                "SELECT spot_id FROM ticketing.operator_spots WHERE operator_id = :o ORDER BY spot_id")
                        .bind("o", o.id()).mapTo(String.class).list(), o.hasPassword(), o.hasPin(), o.revokedAt(), o.createdAt())));
    }

    Outcome<Operator> revokeOperator(String idOrUsername, String reason, String actor) {
        Optional<Operator> op = operator(idOrUsername);
        if (op.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_OPERATOR, "no operator " + idOrUsername);
        }
        Instant now = ctx.now();
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.operators SET state = 'REVOKED', revoked_at = :now, revoked_by = :by,"
                            + " revoke_reason = :why WHERE operator_id = :id AND state = 'ACTIVE'")
                    .bind("now", Db.ts(now)).bind("by", actor).bind("why", reason).bind("id", op.get().id()).execute();
            if (n == 1) {
                Audit.record(h, ctx, actor, "operator.revoked", op.get().id(), reason);
            }
            return null;
        });
        LOG.info("operator {} revoked by {}", op.get().id(), actor);
        return Outcome.ok(operator(op.get().id()).orElseThrow());
    }

    Outcome<Device> revokeDevice(String deviceId, String reason, String actor) {
        Instant now = ctx.now();
        int n = ctx.db.tx(h -> {
            int updated = h.createUpdate("UPDATE ticketing.devices SET state = 'REVOKED', revoked_at = :now, revoked_by = :by,"
                            + " revoke_reason = :why WHERE device_id = :id AND state = 'ACTIVE'")
                    .bind("now", Db.ts(now)).bind("by", actor).bind("why", reason).bind("id", deviceId).execute();
            if (updated == 1) {
                Audit.record(h, ctx, actor, "device.revoked", deviceId, reason);
            }
            return updated;
        });
        Optional<Device> d = device(deviceId);
        if (d.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_DEVICE, "no device " + deviceId);
        }
        if (n == 1) {
            LOG.info("device {} revoked by {}", deviceId, actor);
        }
        return Outcome.ok(d.get());
    }

    Optional<Device> device(String deviceId) {
        return ctx.db.read(h -> h.createQuery(DEVICE_SELECT + " WHERE d.device_id = :id").bind("id", deviceId)
                .map((rs, c) -> deviceRow(rs)).findOne());
    }

    List<Device> devices(Optional<String> spotId) {
        // The spot condition is always in the statement (Jdbi refuses a binding the SQL does not use).
        return ctx.db.read(h -> h.createQuery(DEVICE_SELECT + " WHERE (CAST(:s AS text) IS NULL OR d.spot_id = :s)"
                        + " ORDER BY d.provisioned_at DESC, d.device_id")
                .bind("s", spotId.orElse(null)).map((rs, c) -> deviceRow(rs)).list());
    }

    private static final String DEVICE_SELECT = "SELECT d.*, p.code_no, p.name AS spot_name FROM ticketing.devices d"
            + " JOIN ticketing.parties p ON p.party_id = d.spot_id";

    private Device deviceRow(ResultSet rs) throws SQLException {
        Optional<Instant> seen = Db.optInstant(rs, "last_seen_at");
        Optional<Heartbeat> hb = seen.isEmpty() ? Optional.empty() : Optional.of(new Heartbeat(
                Optional.ofNullable(rs.getString("sdk_version")).orElse(""), rs.getLong("queue_depth"),
                Db.optInstant(rs, "last_sync_at"), rs.getLong("key_set_version"), rs.getLong("revocation_version"),
                Db.optInstant(rs, "device_time"), rs.getLong("clock_offset_ms"), rs.getLong("journal_lost")));
        boolean overdue = hb.isPresent() && overdue(hb.get().lastSyncAt(), seen.get());
        return new Device(rs.getString("device_id"), new SpotRef(rs.getString("spot_id"), rs.getLong("code_no"),
                rs.getString("spot_name")), Db.optString(rs, "gate"), Db.optString(rs, "platform"),
                Db.instant(rs, "provisioned_at"), Db.optInstant(rs, "revoked_at"), seen, hb, overdue);
    }

    private boolean overdue(Optional<Instant> lastSync, Instant seen) {
        return lastSync.map(t -> t.plus(policy.maxOffline()).isBefore(seen)).orElse(false);
    }

    // ---------------------------------------------------------------- provisioning

    ProvisionResult provision(ProvisionRequest r) {
        String hash = Secrets.sha256(r.provisioningToken());
        Instant now = ctx.now();
        String deviceId = "dev-" + Secrets.shortId();
        String credential = Secrets.token("dc");
        ECPublicKey key = r.devicePublicKey();
        Optional<ProvisionResult.Provisioned> done = ctx.db.tx(h -> {
            // Consumed by the UPDATE whatever happens after the answer: single use under any concurrency.
            Optional<String[]> t = h.createQuery("UPDATE ticketing.provisioning_tokens SET used_at = :now, device_id = :d"
                            + " WHERE token_hash = :h AND used_at IS NULL AND expires_at > :now RETURNING spot_id, gate")
                    .bind("now", Db.ts(now)).bind("d", deviceId).bind("h", hash)
                    .map((rs, c) -> new String[] {rs.getString("spot_id"), rs.getString("gate")}).findOne();
            if (t.isEmpty()) {
                return Optional.empty();
            }
            SpotRef spot = spot(h, t.get()[0]).orElseThrow();
            h.createUpdate("INSERT INTO ticketing.devices (device_id, spot_id, gate, credential_hash, public_x, public_y, platform,"
                            + " state, provisioned_at, provisioned_by, sdk_version) VALUES (:id, :s, :g, :c, :x, :y, :pf, 'ACTIVE',"
                            + " :now, 'provisioning-token', :sdk)")
                    .bind("id", deviceId).bind("s", spot.spotId()).bind("g", t.get()[1]).bind("c", Secrets.sha256(credential))
                    .bind("x", EcP256.x(key)).bind("y", EcP256.y(key)).bind("pf", r.platform().orElse(null))
                    .bind("now", Db.ts(now)).bind("sdk", r.sdkVersion().orElse(null)).execute();
            Audit.record(h, ctx, deviceId, "device.provisioned", deviceId, "at " + spot.spotId() + " gate " + t.get()[1]);
            return Optional.of(new ProvisionResult.Provisioned(deviceId, credential, spot, Optional.ofNullable(t.get()[1])));
        });
        if (done.isEmpty()) {
            return new ProvisionResult.Refused(DeviceError.PROVISIONING_TOKEN_INVALID, "unknown, used or expired provisioning token");
        }
        LOG.info("device {} provisioned at {}", deviceId, done.get().spot().spotId());
        return done.get();
    }

    // ---------------------------------------------------------------- sessions

    private record DeviceRow(String id, String credentialHash, String spotId, Optional<String> gate, byte[] x, byte[] y,
                             boolean revoked, Optional<Instant> lockedUntil) {
    }

    private record OperatorRow(String id, String name, Optional<String> passwordHash, Optional<String> pinHash,
                               boolean revoked, Optional<Instant> lockedUntil, boolean allowedAtSpot) {
    }

    LoginResult login(LoginRequest r) {
        Instant now = ctx.now();
        Optional<DeviceRow> device = ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.devices WHERE device_id = :id")
                .bind("id", r.deviceId())
                .map((rs, c) -> new DeviceRow(rs.getString("device_id"), rs.getString("credential_hash"), rs.getString("spot_id"),
                        Db.optString(rs, "gate"), rs.getBytes("public_x"), rs.getBytes("public_y"),
                        rs.getString("state").equals("REVOKED"), Db.optInstant(rs, "locked_until")))
                .findOne());
        if (device.isEmpty()) {
            return refused(DeviceError.INVALID_CREDENTIALS, "unknown device or credential");
        }
        DeviceRow d = device.get();
        if (d.lockedUntil().isPresent() && d.lockedUntil().get().isAfter(now)) {
            return locked(d.lockedUntil().get(), now);
        }
        if (!Secrets.sameHash(d.credentialHash(), Secrets.sha256(r.deviceCredential()))) {
            fail(Optional.empty(), d.id());
            return refused(DeviceError.INVALID_CREDENTIALS, "unknown device or credential");
        }
        if (d.revoked()) {
            return refused(DeviceError.DEVICE_REVOKED, "this device was revoked by an administrator");
        }
        if (!Arrays.equals(d.x(), EcP256.x(r.devicePublicKey())) || !Arrays.equals(d.y(), EcP256.y(r.devicePublicKey()))) {
            return refused(DeviceError.DEVICE_KEY_MISMATCH, "this device's key differs from the one registered at provisioning;"
                    + " provision the device again");
        }
        Optional<OperatorRow> operator = ctx.db.read(h -> h.createQuery("SELECT o.*, EXISTS (SELECT 1 FROM ticketing.operator_spots s"
                        + " WHERE s.operator_id = o.operator_id AND s.spot_id = :spot) AS allowed"
                        + " FROM ticketing.operators o WHERE o.username = :u")
                .bind("u", r.username()).bind("spot", d.spotId())
                .map((rs, c) -> new OperatorRow(rs.getString("operator_id"), rs.getString("name"), Db.optString(rs, "password_hash"),
                        Db.optString(rs, "pin_hash"), rs.getString("state").equals("REVOKED"), Db.optInstant(rs, "locked_until"),
                        rs.getBoolean("allowed")))
                .findOne());
        if (operator.isPresent() && operator.get().lockedUntil().isPresent() && operator.get().lockedUntil().get().isAfter(now)) {
            return locked(operator.get().lockedUntil().get(), now);
        }
        boolean ok;
        if (operator.isEmpty()) {
            Secrets.verifyPassword(r.password().or(r::pin).orElse(""), dummyHash());
            ok = false;
        } else if (r.password().isPresent()) {
            ok = Secrets.verifyPassword(r.password().get(), operator.get().passwordHash().orElse(dummyHash()))
                    && operator.get().passwordHash().isPresent();
        } else {
            ok = Secrets.verifyPassword(r.pin().get(), operator.get().pinHash().orElse(dummyHash()))
                    && operator.get().pinHash().isPresent();
        }
        if (!ok) {
            fail(operator.map(OperatorRow::id), d.id());
            return refused(DeviceError.INVALID_CREDENTIALS, r.pin().isPresent() ? "wrong username or PIN" : "wrong username or password");
        }
        OperatorRow op = operator.get();
        if (op.revoked()) {
            return refused(DeviceError.OPERATOR_REVOKED, "this operator was revoked by an administrator");
        }
        if (!op.allowedAtSpot()) {
            return refused(DeviceError.OPERATOR_NOT_ALLOWED, "this operator may not work at this device's scenic spot");
        }
        String access = Secrets.token("at");
        String refresh = Secrets.token("rt");
        String sessionId = Ids.next("ds", ctx.clock);
        SpotRef spot = ctx.db.tx(h -> {
            h.createUpdate("INSERT INTO ticketing.device_sessions (session_id, device_id, operator_id, access_hash, access_expires_at,"
                            + " refresh_hash, refresh_expires_at, created_at) VALUES (:id, :d, :o, :a, :aexp, :r, :rexp, :now)")
                    .bind("id", sessionId).bind("d", d.id()).bind("o", op.id()).bind("a", Secrets.sha256(access))
                    .bind("aexp", Db.ts(now.plus(policy.accessTokenTtl()))).bind("r", Secrets.sha256(refresh))
                    .bind("rexp", Db.ts(now.plus(policy.refreshTokenTtl()))).bind("now", Db.ts(now)).execute();
            h.createUpdate("UPDATE ticketing.operators SET failed_logins = 0, locked_until = NULL WHERE operator_id = :o")
                    .bind("o", op.id()).execute();
            h.createUpdate("UPDATE ticketing.devices SET failed_logins = 0, locked_until = NULL"
                            + (r.sdkVersion().isPresent() ? ", sdk_version = :sdk" : "") + " WHERE device_id = :d")
                    .bind("d", d.id()).bind("sdk", r.sdkVersion().orElse(null)).execute();
            return spot(h, d.spotId()).orElseThrow();
        });
        LOG.info("operator {} logged in on device {}", op.id(), d.id());
        return new LoginResult.LoggedIn(new TokenGrant(access, policy.accessTokenTtl(), refresh, policy.refreshTokenTtl(), d.id(),
                new OperatorRef(op.id(), op.name()), spot, d.gate(), policy.maxOffline()));
    }

    private void fail(Optional<String> operatorId, String deviceId) {
        Instant now = ctx.now();
        Instant until = now.plus(policy.lockout());
        String lock = "UPDATE ticketing.%s SET failed_logins = CASE WHEN failed_logins + 1 >= :max THEN 0 ELSE failed_logins + 1 END,"
                + " locked_until = CASE WHEN failed_logins + 1 >= :max THEN :until ELSE locked_until END WHERE %s = :id";
        ctx.db.tx(h -> {
            h.createUpdate(String.format(lock, "devices", "device_id")).bind("max", policy.maxFailedLogins())
                    .bind("until", Db.ts(until)).bind("id", deviceId).execute();
            operatorId.ifPresent(o -> h.createUpdate(String.format(lock, "operators", "operator_id"))
                    .bind("max", policy.maxFailedLogins()).bind("until", Db.ts(until)).bind("id", o).execute());
            return null;
        });
    }

    private static LoginResult refused(DeviceError e, String detail) {
        return new LoginResult.Refused(e, detail, Optional.empty());
    }

    private static LoginResult locked(Instant until, Instant now) {
        Duration wait = Duration.between(now, until);
        return new LoginResult.Refused(DeviceError.TOO_MANY_ATTEMPTS, "too many failed logins; try again in "
                + Math.max(1, wait.toSeconds()) + " s", Optional.of(wait.isNegative() ? Duration.ZERO : wait));
    }

    private record SessionRow(String sessionId, String deviceId, String operatorId, String operatorName, Instant accessExpiresAt,
                              Instant refreshExpiresAt, Optional<Instant> endedAt, Optional<String> endReason,
                              boolean deviceRevoked, boolean operatorRevoked, boolean allowed, SpotRef spot,
                              Optional<String> gate, byte[] x, byte[] y, String refreshHash) {
    }

    private static final String SESSION_SELECT = "SELECT s.*, o.name AS operator_name, o.state AS operator_state,"
            + " d.state AS device_state, d.spot_id, d.gate, d.public_x, d.public_y, p.code_no, p.name AS spot_name,"
            + " EXISTS (SELECT 1 FROM ticketing.operator_spots x WHERE x.operator_id = s.operator_id AND x.spot_id = d.spot_id) AS allowed"
            + " FROM ticketing.device_sessions s JOIN ticketing.devices d ON d.device_id = s.device_id"
            + " JOIN ticketing.operators o ON o.operator_id = s.operator_id JOIN ticketing.parties p ON p.party_id = d.spot_id";

    private static SessionRow sessionRow(ResultSet rs) throws SQLException {
        return new SessionRow(rs.getString("session_id"), rs.getString("device_id"), rs.getString("operator_id"),
                rs.getString("operator_name"), Db.instant(rs, "access_expires_at"), Db.instant(rs, "refresh_expires_at"),
                Db.optInstant(rs, "ended_at"), Db.optString(rs, "end_reason"), rs.getString("device_state").equals("REVOKED"),
                rs.getString("operator_state").equals("REVOKED"), rs.getBoolean("allowed"),
                new SpotRef(rs.getString("spot_id"), rs.getLong("code_no"), rs.getString("spot_name")), Db.optString(rs, "gate"),
                rs.getBytes("public_x"), rs.getBytes("public_y"), rs.getString("refresh_hash"));
    }

    /** 403 reasons that outrank everything else once a session is known. */
    private static Optional<DeviceError> forbidden(SessionRow s) {
        if (s.deviceRevoked()) {
            return Optional.of(DeviceError.DEVICE_REVOKED);
        }
        if (s.operatorRevoked()) {
            return Optional.of(DeviceError.OPERATOR_REVOKED);
        }
        if (!s.allowed()) {
            return Optional.of(DeviceError.OPERATOR_NOT_ALLOWED);
        }
        if (s.endReason().isPresent() && s.endReason().get().startsWith("REVOKED")) {
            return Optional.of(DeviceError.SESSION_REVOKED);
        }
        return Optional.empty();
    }

    private static String describe(DeviceError e) {
        return switch (e) {
            case DEVICE_REVOKED -> "this device was revoked by an administrator";
            case OPERATOR_REVOKED -> "this operator was revoked by an administrator";
            case OPERATOR_NOT_ALLOWED -> "this operator may not work at this device's scenic spot";
            case SESSION_REVOKED -> "this session was revoked (its refresh token was used twice)";
            default -> e.code();
        };
    }

    AuthResult authenticate(String accessToken) {
        Instant now = ctx.now();
        String hash = Secrets.sha256(accessToken);
        Optional<SessionRow> found = ctx.db.read(h -> h.createQuery(SESSION_SELECT + " WHERE s.access_hash = :h")
                .bind("h", hash).map((rs, c) -> sessionRow(rs)).findOne());
        if (found.isEmpty()) {
            return new AuthResult.Refused(DeviceError.UNAUTHENTICATED, "unknown access token");
        }
        SessionRow s = found.get();
        Optional<DeviceError> no = forbidden(s);
        if (no.isPresent()) {
            return new AuthResult.Refused(no.get(), describe(no.get()));
        }
        if (s.endedAt().isPresent()) {
            return new AuthResult.Refused(DeviceError.UNAUTHENTICATED, "the session has ended");
        }
        if (!now.isBefore(s.accessExpiresAt())) {
            return new AuthResult.Refused(DeviceError.TOKEN_EXPIRED, "access token expired");
        }
        DeviceSession session = new DeviceSession(s.sessionId(), s.deviceId(), s.operatorId(), s.spot(), s.gate(),
                devicePublicKey(s.x(), s.y()));
        sessions.put(hash, session);
        return new AuthResult.Authenticated(session);
    }

    /**
     * Sessions as last authenticated, by access-token hash: a bounded cache that is never trusted on
     * its own. Whoever uses an entry checks the session again where it acts (the online redemption
     * does inside its statement, V23), so a session ended, revoked or expired since is refused as
     * {@link #authenticate} would refuse it.
     */
    private final BoundedCache<String, DeviceSession> sessions = new BoundedCache<>(4096);

    /** The session {@link #authenticate} last accepted for this token hash, to be checked again by the caller. */
    Optional<DeviceSession> remembered(String accessHash) {
        return Optional.ofNullable(sessions.get(accessHash));
    }

    /** Drops a remembered session that its check refused. */
    void forget(String accessHash) {
        sessions.remove(accessHash);
    }

    /** Device keys as parsed, by their coordinates: a bounded cache, since a gate authenticates every request. */
    private static final BoundedCache<String, ECPublicKey> DEVICE_KEYS = new BoundedCache<>(4096);

    /**
     * {@link EcP256#publicKey} of a device's stored coordinates, parsed (and checked to be on the
     * curve) once: the same coordinates always give an equal key, and parsing was a noticeable part
     * of an online redemption.
     */
    static ECPublicKey devicePublicKey(byte[] x, byte[] y) {
        String k = java.util.HexFormat.of().formatHex(x) + ":" + java.util.HexFormat.of().formatHex(y);
        // Bounded: a dropped key only costs a parse.
        return DEVICE_KEYS.computeIfAbsent(k, c -> EcP256.publicKey(x, y));
    }

    LoginResult refresh(String refreshToken) {
        Instant now = ctx.now();
        String hash = Secrets.sha256(refreshToken);
        Optional<SessionRow> found = ctx.db.read(h -> h.createQuery(SESSION_SELECT + " WHERE s.refresh_hash = :h")
                .bind("h", hash).map((rs, c) -> sessionRow(rs)).findOne());
        if (found.isEmpty()) {
            Optional<String> reused = ctx.db.read(h -> h.createQuery("SELECT session_id FROM ticketing.used_refresh_tokens"
                    + " WHERE token_hash = :h").bind("h", hash).mapTo(String.class).findOne());
            if (reused.isPresent()) {
                // A used refresh token again: whoever holds the live one may be a thief, or the victim. End it for both.
                endSession(reused.get(), "REVOKED:refresh-token-reuse");
                LOG.warn("refresh token of session {} was used twice; the session is revoked", reused.get());
            }
            return refused(DeviceError.INVALID_REFRESH_TOKEN, "refresh token unknown, used or expired");
        }
        SessionRow s = found.get();
        Optional<DeviceError> no = forbidden(s);
        if (no.isPresent()) {
            return refused(no.get(), describe(no.get()));
        }
        if (s.endedAt().isPresent() || !now.isBefore(s.refreshExpiresAt())) {
            return refused(DeviceError.INVALID_REFRESH_TOKEN, "refresh token unknown, used or expired");
        }
        String access = Secrets.token("at");
        String refresh = Secrets.token("rt");
        boolean rotated = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.device_sessions SET access_hash = :a, access_expires_at = :aexp,"
                            + " refresh_hash = :r, refreshed_at = :now WHERE session_id = :id AND refresh_hash = :old AND ended_at IS NULL")
                    .bind("a", Secrets.sha256(access)).bind("aexp", Db.ts(now.plus(policy.accessTokenTtl())))
                    .bind("r", Secrets.sha256(refresh)).bind("now", Db.ts(now)).bind("id", s.sessionId()).bind("old", hash)
                    .execute();
            if (n == 1) {
                h.createUpdate("INSERT INTO ticketing.used_refresh_tokens (token_hash, session_id, used_at) VALUES (:h, :s, :now)")
                        .bind("h", hash).bind("s", s.sessionId()).bind("now", Db.ts(now)).execute();
            }
            return n == 1;
        });
        if (!rotated) {
            // Another request rotated the same token a moment ago: a second use.
            endSession(s.sessionId(), "REVOKED:refresh-token-reuse");
            return refused(DeviceError.INVALID_REFRESH_TOKEN, "refresh token unknown, used or expired");
        }
        Duration refreshLeft = Duration.between(now, s.refreshExpiresAt());
        return new LoginResult.LoggedIn(new TokenGrant(access, policy.accessTokenTtl(), refresh, refreshLeft, s.deviceId(),
                new OperatorRef(s.operatorId(), s.operatorName()), s.spot(), s.gate(), policy.maxOffline()));
    }

    private void endSession(String sessionId, String reason) {
        ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.device_sessions SET ended_at = :now, end_reason = :why"
                        + " WHERE session_id = :id AND ended_at IS NULL")
                .bind("now", Db.ts(ctx.now())).bind("why", reason).bind("id", sessionId).execute());
    }

    boolean logout(String accessToken, Optional<String> refreshToken) {
        Optional<String> session = ctx.db.read(h -> h.createQuery("SELECT session_id FROM ticketing.device_sessions"
                + " WHERE access_hash = :a OR refresh_hash = :r").bind("a", Secrets.sha256(accessToken))
                .bind("r", refreshToken.map(Secrets::sha256).orElse("-")).mapTo(String.class).findFirst());
        session.ifPresent(s -> endSession(s, "LOGOUT"));
        return session.isPresent();
    }

    // ---------------------------------------------------------------- heartbeat

    HeartbeatAnswer heartbeat(DeviceSession s, Heartbeat hb, long keySetVersion, long revocationVersion) {
        Instant now = ctx.now();
        ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.devices SET last_seen_at = :now, last_sync_at = :sync, queue_depth = :q,"
                        + " sdk_version = :sdk, key_set_version = :kv, revocation_version = :rv, clock_offset_ms = :off,"
                        + " device_time = :dt, journal_lost = :lost WHERE device_id = :id")
                .bind("now", Db.ts(now)).bind("sync", Db.ts(hb.lastSyncAt().orElse(null))).bind("q", hb.queueDepth())
                .bind("sdk", hb.sdkVersion()).bind("kv", hb.keySetVersion()).bind("rv", hb.revocationVersion())
                .bind("off", hb.clockOffsetMillis()).bind("dt", Db.ts(hb.deviceTime().orElse(null)))
                .bind("lost", hb.journalRecordsLost()).bind("id", s.deviceId()).execute());
        boolean overdue = overdue(hb.lastSyncAt(), now);
        if (overdue && hb.lastSyncAt().isPresent()) {
            LOG.warn("device {} at {} last synced {} (longer ago than the maximum offline time {}) but still sends heartbeats",
                    s.deviceId(), s.spot().spotId(), hb.lastSyncAt().get(), policy.maxOffline());
        }
        if (hb.journalRecordsLost() > 0) {
            LOG.error("device {} reports {} damaged journal frames: offline redemptions may be missing", s.deviceId(),
                    hb.journalRecordsLost());
        }
        return new HeartbeatAnswer(keySetVersion, revocationVersion, overdue);
    }
}
