package org.ticketledger.verify;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ticketledger.verify.internal.ApiResponse;
import org.ticketledger.verify.internal.DeviceHttp;
import org.ticketledger.verify.internal.Json;
import org.ticketledger.verify.internal.JsonBuilder;
import org.ticketledger.verify.internal.JsonException;
import org.ticketledger.verify.internal.JsonObject;
import org.ticketledger.verify.internal.Wire;
import org.ticketledger.verify.spi.DeviceSigner;
import org.ticketledger.verify.spi.HttpTransport;
import org.ticketledger.verify.spi.JournalEntry;
import org.ticketledger.verify.spi.ScanJournal;
import org.ticketledger.verify.spi.StateStore;

/**
 * The gate device's client: provisioning, operator login, offline verification, online/offline
 * redemption with a durable queue, and sync, speaking DEVICE-API.md.
 *
 * <p>Typical use: {@code provision(token)} once per device, {@code login(credentials)} per shift,
 * {@code sync()} after login and periodically, {@code verify(code)} / {@code redeem(code)} per
 * scan. {@link #verify} never touches the network. {@link #redeem} asks the server when it can be
 * reached and otherwise decides on the device, queueing a signed scan record that {@link #sync}
 * uploads later; offline redemption is refused once the device has not synced for the maximum
 * offline time.
 *
 * <p>Thread-safe: many threads may verify and redeem concurrently. Business outcomes are returned
 * as result values; {@link UnableToCallServerException}, {@link UnableToAuthenticateException},
 * {@link UnableToPersistException} and {@link UnableToSignException} signal infrastructure
 * trouble. Every {@code xAsync} method runs {@code x} on the client's executor (its own two daemon
 * threads unless one was given). Nothing returns null. Logs via java.util.logging (the SDK has no
 * dependencies), never secrets.
 */
public final class VerifierClient implements AutoCloseable {

    /** The SDK version, reported in User-Agent and heartbeats. */
    public static final String SDK_VERSION = loadVersion();

    private static final Logger LOG = Logger.getLogger(VerifierClient.class.getName());
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);
    private static final int SYNC_BATCH = 100;
    private static final int COMPACT_THRESHOLD = 500;
    private static final Set<String> SESSION_ENDING = new HashSet<>(Arrays.asList(
            "device-revoked", "operator-revoked", "operator-not-allowed", "session-revoked"));

    private static final String DEVICE = "device";
    private static final String SESSION = "session";
    private static final String KEYS = "keyset";
    private static final String REVOCATIONS = "revocations";
    private static final String CLOCK = "clock";

    private final DeviceHttp http;
    private final StateStore state;
    private final ScanJournal journal;
    private final DeviceSigner signer;
    private final Clock deviceClock;
    private final Duration maxOffline;
    private final Duration tolerance;
    private final Duration onlineRetryInterval;
    private final Duration requestTimeout;
    private final Duration redeemTimeout;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Reasons reasons;
    private final OfflineVerifier verifier;
    private final LocalRedemptions local = new LocalRedemptions();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger queueDepth = new AtomicInteger();

    private final Object sessionLock = new Object();
    private final Object redeemLock = new Object();
    private final Object syncLock = new Object();

    private volatile Identity identity;
    private volatile Session session;
    private volatile KeySet keySet;
    private volatile RevocationList revocations;
    private volatile ClockState clock;
    private volatile long onlineRetryAtMillis;
    private volatile boolean closed;

    private VerifierClient(Builder b) {
        this.deviceClock = b.clock;
        this.http = new DeviceHttp(b.serverUrl, b.transport, "TicketLedger-Verify/" + SDK_VERSION, deviceClock);
        this.state = b.stateStore != null ? b.stateStore : StateStore.directory(new File(b.dataDirectory, "state"));
        this.signer = b.deviceSigner != null ? b.deviceSigner : DeviceSigner.software(state);
        this.maxOffline = b.maxOffline;
        this.tolerance = b.tolerance;
        this.onlineRetryInterval = b.onlineRetryInterval;
        this.requestTimeout = b.requestTimeout;
        this.redeemTimeout = b.redeemTimeout;
        this.reasons = new Reasons(b.zone);
        this.verifier = new OfflineVerifier(reasons);
        this.identity = readState(DEVICE, Identity::fromJson).orElse(null);
        this.session = readState(SESSION, Session::fromJson).orElse(null);
        this.keySet = readState(KEYS, Wire::keySet).orElse(KeySet.empty());
        this.revocations = readState(REVOCATIONS, Wire::revocationList).orElse(RevocationList.empty());
        this.clock = readState(CLOCK, ClockState::fromJson).orElse(ClockState.NONE);
        this.journal = b.scanJournal != null ? b.scanJournal : ScanJournal.file(new File(b.dataDirectory, "scans.journal"));
        long maxSequence = -1;
        int pending = 0;
        for (JournalEntry e : journal.load()) {
            local.add(e.record());
            maxSequence = Math.max(maxSequence, e.record().sequence());
            if (!e.synced()) {
                pending++;
            }
        }
        sequence.set(maxSequence + 1);
        queueDepth.set(pending);
        if (journal.damagedFramesSkipped() > 0) {
            LOG.severe("scan journal had " + journal.damagedFramesSkipped() + " damaged frames; records may be lost");
        }
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownedExecutor = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.ownedExecutor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "ticketledger-verify-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.executor = ownedExecutor;
        }
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- provisioning and session ----------------------------------------------------------

    /**
     * Registers this device with a one-time provisioning token (from the admin's QR code): the
     * server returns a device id and credential bound to a scenic spot, and records the device's
     * public key (generated now if the device has none). Replaces any earlier provisioning and ends
     * the current session. Throws IllegalStateException while scan records of an earlier
     * provisioning wait for upload (sync first), {@link UnableToCallServerException} on network
     * trouble.
     */
    public ProvisionResult provision(String provisioningToken) {
        checkOpen();
        Objects.requireNonNull(provisioningToken, "provisioningToken");
        if (queueDepth.get() > 0) {
            throw new IllegalStateException(queueDepth.get() + " scan records wait for upload: sync before re-provisioning");
        }
        JsonBuilder body = JsonBuilder.object()
                .put("provisioningToken", provisioningToken)
                .put("devicePublicKey", Wire.jwk(signer.publicKey()))
                .put("deviceInfo", JsonBuilder.object().put("sdkVersion", SDK_VERSION)
                        .put("platform", System.getProperty("java.vm.name", "unknown")));
        ApiResponse r = http.call("POST", "provision", Optional.of(body), Optional.<String>empty(),
                Collections.<String, String>emptyMap(), requestTimeout);
        observe(r);
        if (r.ok()) {
            Identity id = parse("provision", () -> Identity.fromProvision(r.json()));
            synchronized (sessionLock) {
                state.write(DEVICE, id.toJson());
                identity = id;
                endSession();
            }
            persistClock();
            LOG.info("device provisioned as " + id.deviceId + " for " + id.spot);
            return new ProvisionResult.Provisioned(id.deviceId, id.spot, id.gate);
        }
        if (r.status() >= 400 && r.status() < 500) {
            return new ProvisionResult.Refused(r.problemCode(), r.problemDetail());
        }
        throw DeviceHttp.failure("provision", r);
    }

    /**
     * Logs an operator in on this (provisioned) device. On success the session is bound to the
     * device's scenic spot and kept across restarts until {@link #logout}. Wrong credentials and
     * revoked devices or operators are returned as {@link LoginResult.Refused}. Throws
     * {@link UnableToAuthenticateException} if the device is not provisioned,
     * {@link UnableToCallServerException} on network trouble.
     */
    public LoginResult login(OperatorCredentials credentials) {
        checkOpen();
        Objects.requireNonNull(credentials, "credentials");
        Identity id = identity;
        if (id == null) {
            throw new UnableToAuthenticateException("this device is not provisioned", "not-provisioned");
        }
        JsonBuilder body = JsonBuilder.object()
                .put("deviceId", id.deviceId)
                .put("deviceCredential", id.credential)
                .put("username", credentials.username())
                .put("password", credentials.password())
                .put("pin", credentials.pin())
                .put("devicePublicKey", Wire.jwk(signer.publicKey()))
                .put("sdkVersion", SDK_VERSION);
        ApiResponse r = http.call("POST", "login", Optional.of(body), Optional.<String>empty(),
                Collections.<String, String>emptyMap(), requestTimeout);
        observe(r);
        if (r.ok()) {
            Session s = parse("login", () -> Session.fromLogin(r.json(), id, now()));
            synchronized (sessionLock) {
                state.write(SESSION, s.toJson());
                session = s;
            }
            persistClock();
            return new LoginResult.LoggedIn(s.view());
        }
        if (r.status() >= 400 && r.status() < 500) { // including 429 too-many-attempts: the operator must wait
            return new LoginResult.Refused(r.problemCode(), r.problemDetail());
        }
        throw DeviceHttp.failure("login", r);
    }

    /**
     * Exchanges the refresh token for new tokens now (the client also does this by itself before the
     * access token expires). A refused refresh ends the session and is returned as
     * {@link LoginResult.Refused}. Throws {@link UnableToAuthenticateException} when nobody is
     * logged in, {@link UnableToCallServerException} on network trouble.
     */
    public LoginResult refresh() {
        checkOpen();
        synchronized (sessionLock) {
            return doRefresh(requireSession());
        }
    }

    /**
     * Ends the session: tells the server (best effort) and forgets the tokens. Queued scan records
     * stay and are uploaded by the next operator's sync. Never throws for network trouble.
     */
    public void logout() {
        checkOpen();
        Session s = session;
        if (s == null) {
            return;
        }
        try {
            ApiResponse r = http.call("POST", "logout", Optional.of(JsonBuilder.object().put("refreshToken", s.refreshToken)),
                    Optional.of(s.accessToken), Collections.<String, String>emptyMap(), requestTimeout);
            observe(r);
        } catch (UnableToCallServerException e) {
            LOG.log(Level.WARNING, "logout did not reach the server; the session is forgotten locally", e);
        } finally {
            synchronized (sessionLock) {
                endSession();
            }
        }
    }

    /** The current session, if an operator is logged in (it survives restarts). */
    public Optional<DeviceSession> session() {
        Session s = session;
        return s == null ? Optional.<DeviceSession>empty() : Optional.of(s.view());
    }

    // ---- verification and redemption --------------------------------------------------------

    /**
     * Judges a scanned code offline, without recording anything: signature, key id known and
     * active, clock sanity, revocation, this spot, validity window, uses already spent on this
     * device, and offline time. Never touches the network; throws only
     * {@link UnableToAuthenticateException} when nobody is logged in (the spot is unknown then).
     */
    public VerifyResult verify(String code) {
        checkOpen();
        Objects.requireNonNull(code, "code");
        return verifier.verify(code, context(requireSession(), now()));
    }

    /**
     * Redeems a scanned code: online when the server can be reached (the server decides, the device
     * records the outcome), otherwise offline (the device decides as {@link #verify} does and, if
     * valid, durably queues a signed scan record before admitting). An online attempt that gets no
     * answer falls back to offline with the same record id, so the server can tell the two apart
     * from a double use. After a failed online attempt the client stays offline for the online
     * retry interval so a gate queue does not wait on timeouts.
     *
     * <p>Falls back to offline only when the server is unreachable: no answer, timeout, 408, 429,
     * 5xx, or an unreadable 2xx answer. Throws {@link UnableToCallServerException} for any other
     * 4xx answer (a bug or misconfiguration, not a reason to admit offline),
     * {@link UnableToAuthenticateException} when nobody is logged in or the server ended the
     * session, {@link UnableToPersistException} when an offline record cannot be stored (the
     * visitor must then not be admitted).
     */
    public RedeemResult redeem(String code) {
        checkOpen();
        Objects.requireNonNull(code, "code");
        Session s = requireSession();
        DecodeResult decoded = TicketCodec.decode(code);
        if (decoded instanceof DecodeResult.Malformed) {
            // Unreadable codes are not worth a server round trip; the verdict is the same offline.
            return new RedeemResult.Refused(RedeemResult.Mode.OFFLINE,
                    (VerifyResult.Refused) verifier.verify(code, context(s, now())));
        }
        TicketCode ticketCode = ((DecodeResult.Decoded) decoded).code();
        ScanRecord record = newRecord(s, ticketCode);
        if (deviceClock.millis() >= onlineRetryAtMillis) {
            try {
                RedeemResult online = redeemOnline(record, ticketCode.payload());
                onlineRetryAtMillis = 0;
                return online;
            } catch (UnableToCallServerException e) {
                if (!serverUnreachable(e)) {
                    throw e; // a 4xx is a bug or misconfiguration to fix, not a reason to admit offline
                }
                onlineRetryAtMillis = deviceClock.millis() + onlineRetryInterval.toMillis();
                LOG.log(Level.INFO, "online redeem failed; redeeming offline (record " + record.recordId() + ")", e);
            }
        }
        return redeemOffline(record);
    }

    /**
     * No answer, a timeout, overload or a server error, or a 2xx answer that could not be read (the
     * outcome is unknown; the same record id lets the server recognise it at sync).
     */
    private static boolean serverUnreachable(UnableToCallServerException e) {
        int status = e.status();
        return status == 0 || status == 408 || status == 429 || status >= 500 || (status >= 200 && status < 300);
    }

    private ScanRecord newRecord(Session s, TicketCode code) {
        Instant at = now();
        return ScanRecord.builder()
                .recordId(ScanRecord.newRecordId())
                .deviceId(s.deviceId)
                .spotId(s.spot.id())
                .ticketId(code.payload().ticketId())
                .code(code.text())
                .scannedAt(at)
                .clockOffsetMillis(clock.offsetMillis)
                .sequence(sequence.getAndIncrement())
                .nonce(ScanRecord.newNonce())
                .sign(signer);
    }

    private RedeemResult redeemOnline(ScanRecord record, TicketPayload ticket) {
        Map<String, String> headers = Collections.singletonMap("Idempotency-Key", record.recordId());
        ApiResponse r = authorized("POST", "redeem", Optional.of(Wire.scanRecordJson(record)), headers, redeemTimeout);
        if (!r.ok()) {
            throw DeviceHttp.failure("redeem", r);
        }
        return parse("redeem", () -> {
            JsonObject o = r.json();
            String outcome = o.string("outcome");
            if (ResultCode.REDEEMED.name().equals(outcome)) {
                try {
                    journal.append(new JournalEntry(record, true));
                    local.add(record);
                } catch (UnableToPersistException e) {
                    // The server holds the redemption; losing the local copy only weakens offline memory.
                    LOG.log(Level.SEVERE, "redeemed online but could not journal record " + record.recordId(), e);
                }
                OptionalInt remaining = o.has("remainingUses")
                        ? OptionalInt.of((int) o.longValue("remainingUses", 0, TicketPayload.MAX_USES)) : OptionalInt.empty();
                return new RedeemResult.Redeemed(RedeemResult.Mode.ONLINE, ticket, record.recordId(),
                        o.optInstant("redeemedAt").orElse(record.scannedAt()), remaining,
                        reasons.redeemed(RedeemResult.Mode.ONLINE, ticket));
            }
            return new RedeemResult.Refused(RedeemResult.Mode.ONLINE, serverRefusal(outcome, o, ticket));
        });
    }

    private VerifyResult.Refused serverRefusal(String outcome, JsonObject o, TicketPayload t) {
        String message = o.optString("message").orElse("");
        ResultCode code;
        try {
            code = ResultCode.valueOf(outcome);
        } catch (IllegalArgumentException unknown) {
            return new VerifyResult.Other(outcome, Optional.of(t), reasons.other(outcome, message));
        }
        switch (code) {
            case INVALID:
                return new VerifyResult.Invalid(code, reasons.invalid(message.isEmpty() ? "refused by the server" : message));
            case UNSUPPORTED_VERSION:
                return new VerifyResult.Invalid(code, reasons.unsupportedVersion("format"));
            case FORGED:
                return new VerifyResult.Forged(code, OptionalInt.of(t.keyId()), reasons.forged());
            case UNKNOWN_KEY:
                return new VerifyResult.Forged(code, OptionalInt.of(t.keyId()), reasons.unknownKey(OptionalInt.of(t.keyId())));
            case KEY_EXPIRED:
                return new VerifyResult.Forged(code, OptionalInt.of(t.keyId()), reasons.keyExpired(OptionalInt.of(t.keyId())));
            case REVOKED: {
                Optional<Instant> at = o.optInstant("revokedAt");
                String why = o.optString("revocationReason").orElse("REVOKED");
                return new VerifyResult.Revoked(t, at, why, reasons.revoked(at, why));
            }
            case ALREADY_REDEEMED: {
                List<Redemption> previous = new ArrayList<>();
                for (JsonObject p : o.objects("previous")) {
                    previous.add(new Redemption(p.instant("redeemedAt"),
                            new ScenicSpot(p.id("spotId", 1, TicketPayload.MAX_U32), p.optString("spotName").orElse("")),
                            p.string("deviceId"), p.optString("gate")));
                }
                previous.sort((a, b) -> a.at().compareTo(b.at()));
                return new VerifyResult.AlreadyRedeemed(t, previous, reasons.alreadyRedeemed(t, previous));
            }
            case NOT_YET_VALID:
                return new VerifyResult.NotYetValid(t, reasons.notYetValid(t));
            case EXPIRED:
                return new VerifyResult.Expired(t, reasons.expired(t));
            case WRONG_SPOT: {
                ScenicSpot here = requireSession().spot;
                return new VerifyResult.WrongSpot(t, here, reasons.wrongSpot(t, here));
            }
            default:
                // VALID, OFFLINE_TOO_LONG, CLOCK_UNTRUSTED, REFUSED are not server outcomes.
                return new VerifyResult.Other(outcome, Optional.of(t), reasons.other(outcome, message));
        }
    }

    private RedeemResult redeemOffline(ScanRecord record) {
        synchronized (redeemLock) {
            // Under the lock, so two threads cannot both admit the last use of a ticket.
            Session s = requireSession();
            VerifyResult v = verifier.verify(record.code(), context(s, now()));
            if (!(v instanceof VerifyResult.Valid)) {
                return new RedeemResult.Refused(RedeemResult.Mode.OFFLINE, (VerifyResult.Refused) v);
            }
            journal.append(new JournalEntry(record, false));
            local.add(record);
            queueDepth.incrementAndGet();
            TicketPayload t = v.ticket().get();
            return new RedeemResult.Redeemed(RedeemResult.Mode.OFFLINE, t, record.recordId(), record.scannedAt(),
                    OptionalInt.of(((VerifyResult.Valid) v).remainingUses() - 1), reasons.redeemed(RedeemResult.Mode.OFFLINE, t));
        }
    }

    private OfflineVerifier.Context context(Session s, Instant now) {
        ClockState c = clock;
        Instant floor = c.lastServerTime.orElse(Instant.EPOCH);
        Instant latest = local.latestScan();
        if (latest.isAfter(floor)) {
            floor = latest;
        }
        return new OfflineVerifier.Context(keySet, revocations, s.spot, s.deviceId, s.gate, now, floor, c.lastSyncAt,
                effectiveMaxOffline(s), tolerance, local);
    }

    private Duration effectiveMaxOffline(Session s) {
        return s.maxOffline.isPresent() && s.maxOffline.get().compareTo(maxOffline) < 0 ? s.maxOffline.get() : maxOffline;
    }

    // ---- sync --------------------------------------------------------------------------------

    /**
     * Uploads queued scan records (in batches, oldest first), then fetches key-set and revocation
     * updates and sends a heartbeat. Records the server answered for are marked synced, whatever the
     * answer; conflicts and rejections are returned. Throws {@link UnableToCallServerException} when
     * the server cannot be reached (records stay queued), {@link UnableToAuthenticateException} when
     * the session is gone.
     */
    public SyncResult sync() {
        checkOpen();
        synchronized (syncLock) {
            requireSession();
            List<ScanRecord> pending = new ArrayList<>();
            for (JournalEntry e : journal.load()) {
                if (!e.synced()) {
                    pending.add(e.record());
                }
            }
            int uploaded = 0;
            int recorded = 0;
            int duplicates = 0;
            List<SyncResult.Conflict> conflicts = new ArrayList<>();
            List<SyncResult.Rejection> rejections = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += SYNC_BATCH) {
                List<ScanRecord> batch = pending.subList(from, Math.min(pending.size(), from + SYNC_BATCH));
                Map<String, ScanRecord> byId = new LinkedHashMap<>();
                List<Object> records = new ArrayList<>();
                for (ScanRecord r : batch) {
                    byId.put(r.recordId(), r);
                    records.add(Wire.scanRecordJson(r).build());
                }
                ApiResponse r = authorized("POST", "sync", Optional.of(JsonBuilder.object().put("records", records)),
                        Collections.<String, String>emptyMap(), requestTimeout);
                if (!r.ok()) {
                    throw DeviceHttp.failure("sync", r);
                }
                List<String> done = new ArrayList<>();
                for (JsonObject result : parse("sync", () -> r.json().objects("results"))) {
                    String id = parse("sync", () -> result.string("recordId"));
                    ScanRecord mine = byId.get(id);
                    if (mine == null) {
                        continue; // not one of ours: ignore rather than mark anything
                    }
                    String status = parse("sync", () -> result.string("status"));
                    String message = result.optString("message").orElse("");
                    switch (status) {
                        case "RECORDED":
                            recorded++;
                            break;
                        case "DUPLICATE":
                            duplicates++;
                            break;
                        case "CONFLICT":
                            conflicts.add(new SyncResult.Conflict(id, mine.ticketId(), mine.scannedAt(),
                                    parse("sync", () -> result.optObject("winner").map(VerifierClient::redemption)), message));
                            break;
                        case "REJECTED":
                            rejections.add(new SyncResult.Rejection(id, mine.ticketId(),
                                    result.optString("code").orElse("REJECTED"), message));
                            break;
                        default:
                            LOG.warning("sync: unknown status " + status + " for record " + id + "; kept queued");
                            continue;
                    }
                    done.add(id);
                }
                journal.markSynced(done);
                queueDepth.addAndGet(-done.size());
                uploaded += batch.size();
            }
            for (SyncResult.Conflict c : conflicts) {
                LOG.warning("sync conflict: " + c + " - " + c.message());
            }
            for (SyncResult.Rejection j : rejections) {
                LOG.warning("sync rejection: " + j + " - " + j.message());
            }
            fetchKeySet();
            fetchRevocations();
            Instant syncedAt = now();
            clock = clock.withLastSync(syncedAt);
            persistClock();
            onlineRetryAtMillis = 0;
            try {
                heartbeat();
            } catch (UnableToCallServerException e) {
                LOG.log(Level.WARNING, "heartbeat after sync failed", e);
            }
            compactJournal(syncedAt);
            return new SyncResult(uploaded, recorded, duplicates, conflicts, rejections, queueDepth.get(),
                    keySet.version(), revocations.version(), syncedAt);
        }
    }

    private static Redemption redemption(JsonObject w) {
        return new Redemption(w.instant("scannedAt"),
                new ScenicSpot(w.id("spotId", 1, TicketPayload.MAX_U32), w.optString("spotName").orElse("")),
                w.string("deviceId"), w.optString("gate"));
    }

    /**
     * Fetches the issuer key set if the server has a newer version and stores it. Throws
     * {@link UnableToCallServerException} or {@link UnableToAuthenticateException}.
     */
    public KeySet fetchKeySet() {
        checkOpen();
        KeySet current = keySet;
        Map<String, String> headers = current.version() > 0
                ? Collections.singletonMap("If-None-Match", "\"" + current.version() + "\"")
                : Collections.<String, String>emptyMap();
        ApiResponse r = authorized("GET", "keys", Optional.<JsonBuilder>empty(), headers, requestTimeout);
        if (r.status() == 304) {
            return current;
        }
        if (!r.ok()) {
            throw DeviceHttp.failure("keys", r);
        }
        KeySet fetched = parse("keys", () -> Wire.keySet(r.json()));
        if (fetched.version() < current.version()) {
            LOG.warning("server offered key set v" + fetched.version() + " older than v" + current.version() + "; kept ours");
            return current;
        }
        state.write(KEYS, Wire.keySetJson(fetched).toBytes());
        keySet = fetched;
        return fetched;
    }

    /**
     * Fetches revocations added since the version held (or the full list when the server decides
     * so), drops entries of expired tickets and stores the list. Throws
     * {@link UnableToCallServerException} or {@link UnableToAuthenticateException}.
     */
    public RevocationList fetchRevocations() {
        checkOpen();
        RevocationList current = revocations;
        RevocationDelta delta = fetchDelta(current.version());
        if (!current.canApply(delta)) {
            LOG.warning("revocation delta from v" + delta.since() + " does not fit v" + current.version() + "; fetching in full");
            delta = fetchDelta(0);
            if (!delta.full()) {
                throw new UnableToCallServerException("server answered since=0 with a delta", 200, null, null);
            }
        }
        RevocationList updated = current.apply(delta).pruneExpiredBefore(now().minus(tolerance));
        state.write(REVOCATIONS, Wire.revocationListJson(updated).toBytes());
        revocations = updated;
        return updated;
    }

    private RevocationDelta fetchDelta(long since) {
        ApiResponse r = authorized("GET", "revocations?since=" + since, Optional.<JsonBuilder>empty(),
                Collections.<String, String>emptyMap(), requestTimeout);
        if (!r.ok()) {
            throw DeviceHttp.failure("revocations", r);
        }
        return parse("revocations", () -> Wire.revocationDelta(r.json()));
    }

    /**
     * Reports the device's state to the server (last sync, queue depth, SDK version, data versions,
     * clock) and returns the status after measuring the clock. Throws
     * {@link UnableToCallServerException} or {@link UnableToAuthenticateException}.
     */
    public DeviceStatus heartbeat() {
        checkOpen();
        ClockState c = clock;
        JsonBuilder body = JsonBuilder.object()
                .put("sdkVersion", SDK_VERSION)
                .put("queueDepth", (long) queueDepth.get())
                .put("lastSyncAt", c.lastSyncAt)
                .put("keySetVersion", keySet.version())
                .put("revocationVersion", revocations.version())
                .put("deviceTime", deviceClock.instant().truncatedTo(ChronoUnit.MILLIS))
                .put("clockOffsetMillis", c.offsetMillis)
                .put("journalRecordsLost", journal.damagedFramesSkipped());
        ApiResponse r = authorized("POST", "heartbeat", Optional.of(body), Collections.<String, String>emptyMap(),
                requestTimeout);
        if (!r.ok()) {
            throw DeviceHttp.failure("heartbeat", r);
        }
        return status();
    }

    /**
     * Measures the device clock against the server's ({@code GET /device/v1/time}, no login needed)
     * and stores the correction. Throws {@link UnableToCallServerException}.
     */
    public ClockStatus checkClock() {
        checkOpen();
        ApiResponse r = http.call("GET", "time", Optional.<JsonBuilder>empty(), Optional.<String>empty(),
                Collections.<String, String>emptyMap(), requestTimeout);
        if (!r.ok() || !r.serverTime().isPresent()) {
            throw DeviceHttp.failure("time", r);
        }
        observe(r);
        persistClock();
        return clockStatus();
    }

    /** A snapshot of device state; never touches the network. */
    public DeviceStatus status() {
        Identity id = identity;
        ClockState c = clock;
        return new DeviceStatus(id == null ? Optional.<String>empty() : Optional.of(id.deviceId), session(),
                queueDepth.get(), c.lastSyncAt, keySet.version(), revocations.version(), clockStatus(),
                deviceClock.millis() < onlineRetryAtMillis, journal.damagedFramesSkipped());
    }

    /** The key set held (empty before the first sync). */
    public KeySet keySet() {
        return keySet;
    }

    /** The revocation list held (empty before the first sync). */
    public RevocationList revocations() {
        return revocations;
    }

    private ClockStatus clockStatus() {
        ClockState c = clock;
        return new ClockStatus(Duration.ofMillis(c.offsetMillis), Math.abs(c.offsetMillis) > tolerance.toMillis(),
                c.lastServerTime);
    }

    // ---- async variants ----------------------------------------------------------------------

    /** {@link #provision} on the client's executor. */
    public CompletableFuture<ProvisionResult> provisionAsync(String provisioningToken) {
        return async(() -> provision(provisioningToken));
    }

    /** {@link #login} on the client's executor. */
    public CompletableFuture<LoginResult> loginAsync(OperatorCredentials credentials) {
        return async(() -> login(credentials));
    }

    /** {@link #refresh} on the client's executor. */
    public CompletableFuture<LoginResult> refreshAsync() {
        return async(this::refresh);
    }

    /** {@link #logout} on the client's executor. */
    public CompletableFuture<Void> logoutAsync() {
        return async(() -> {
            logout();
            return null;
        });
    }

    /** {@link #verify} on the client's executor (keeps crypto off a UI thread). */
    public CompletableFuture<VerifyResult> verifyAsync(String code) {
        return async(() -> verify(code));
    }

    /** {@link #redeem} on the client's executor. */
    public CompletableFuture<RedeemResult> redeemAsync(String code) {
        return async(() -> redeem(code));
    }

    /** {@link #sync} on the client's executor. */
    public CompletableFuture<SyncResult> syncAsync() {
        return async(this::sync);
    }

    /** {@link #heartbeat} on the client's executor. */
    public CompletableFuture<DeviceStatus> heartbeatAsync() {
        return async(this::heartbeat);
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        checkOpen();
        return CompletableFuture.supplyAsync(work, executor);
    }

    /**
     * Closes the journal and stops the client's own executor (a given executor is left running).
     * Queued records stay on disk for the next start. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        journal.close();
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private ApiResponse authorized(String method, String path, Optional<JsonBuilder> body, Map<String, String> headers,
            Duration timeout) {
        Session s = requireSession();
        if (!s.accessExpiresAt.isAfter(now().plus(REFRESH_MARGIN))) {
            s = refreshOrFail(s);
        }
        ApiResponse r = http.call(method, path, body, Optional.of(s.accessToken), headers, timeout);
        observe(r);
        if (r.status() == 401) {
            s = refreshOrFail(s);
            r = http.call(method, path, body, Optional.of(s.accessToken), headers, timeout);
            observe(r);
            if (r.status() == 401) {
                synchronized (sessionLock) {
                    endSession();
                }
                throw new UnableToAuthenticateException("the server refused fresh tokens: " + r.problemDetail(),
                        r.problemCode());
            }
        }
        if (r.status() == 403 && SESSION_ENDING.contains(r.problemCode())) {
            synchronized (sessionLock) {
                endSession();
            }
            throw new UnableToAuthenticateException("session ended by the server: " + r.problemDetail(), r.problemCode());
        }
        return r;
    }

    private Session refreshOrFail(Session seen) {
        synchronized (sessionLock) {
            Session current = requireSession();
            if (current != seen) {
                return current; // another thread refreshed meanwhile
            }
            LoginResult result = doRefresh(current);
            if (result instanceof LoginResult.Refused) {
                LoginResult.Refused refused = (LoginResult.Refused) result;
                throw new UnableToAuthenticateException("session ended: " + refused.detail(), refused.problemCode());
            }
            return session;
        }
    }

    /** Caller holds sessionLock. */
    private LoginResult doRefresh(Session s) {
        ApiResponse r = http.call("POST", "refresh", Optional.of(JsonBuilder.object().put("refreshToken", s.refreshToken)),
                Optional.<String>empty(), Collections.<String, String>emptyMap(), requestTimeout);
        observe(r);
        if (r.ok()) {
            Session fresh = parse("refresh", () -> Session.fromRefresh(r.json(), s, now()));
            state.write(SESSION, fresh.toJson());
            session = fresh;
            return new LoginResult.LoggedIn(fresh.view());
        }
        if (isClientError(r)) {
            endSession();
            return new LoginResult.Refused(r.problemCode(), r.problemDetail());
        }
        throw DeviceHttp.failure("refresh", r);
    }

    /** Caller holds sessionLock. */
    private void endSession() {
        session = null;
        state.delete(SESSION);
    }

    private Session requireSession() {
        Session s = session;
        if (s == null) {
            throw new UnableToAuthenticateException(identity == null ? "this device is not provisioned"
                    : "no operator is logged in", identity == null ? "not-provisioned" : "not-logged-in");
        }
        return s;
    }

    private static boolean isClientError(ApiResponse r) {
        return r.status() >= 400 && r.status() < 500 && r.status() != 408 && r.status() != 429;
    }

    /** Trusted now: the device clock corrected by the last measured offset, to the millisecond. */
    private Instant now() {
        return deviceClock.instant().plusMillis(clock.offsetMillis).truncatedTo(ChronoUnit.MILLIS);
    }

    private void observe(ApiResponse r) {
        if (!r.serverTime().isPresent()) {
            return;
        }
        Instant server = r.serverTime().get();
        long midpoint = r.sentAtMillis() + (r.receivedAtMillis() - r.sentAtMillis()) / 2;
        long offset = server.toEpochMilli() - midpoint;
        ClockState before = clock;
        clock = before.withOffset(offset, server);
        boolean skewed = Math.abs(offset) > tolerance.toMillis();
        if (skewed && Math.abs(before.offsetMillis - offset) > tolerance.toMillis()) {
            LOG.warning("device clock differs from server time by " + Duration.ofMillis(offset)
                    + "; the SDK corrects for it, but please fix the device clock");
        }
    }

    private void persistClock() {
        state.write(CLOCK, clock.toJson());
    }

    private void compactJournal(Instant now) {
        List<JournalEntry> entries = journal.load();
        int droppable = 0;
        for (JournalEntry e : entries) {
            if (droppable(e.record(), e.synced(), now)) {
                droppable++;
            }
        }
        if (droppable < COMPACT_THRESHOLD) {
            return;
        }
        journal.retain(e -> !droppable(e.record(), e.synced(), now));
        local.retain(r -> !droppable(r, true, now));
    }

    /** Synced records of tickets expired a day ago are no longer needed for "already redeemed". */
    private boolean droppable(ScanRecord r, boolean synced, Instant now) {
        if (!synced) {
            return false;
        }
        Optional<TicketCode> code = TicketCodec.decode(r.code()).ticketCode();
        return !code.isPresent() || code.get().payload().validUntil().plus(Duration.ofDays(1)).plus(tolerance).isBefore(now);
    }

    /** Stored state, or empty when absent or unreadable (logged; sync or login restores it). */
    private <T> Optional<T> readState(String name, java.util.function.Function<JsonObject, T> reader) {
        Optional<byte[]> bytes = state.read(name);
        if (!bytes.isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(reader.apply(Json.parseObject(bytes.get())));
        } catch (JsonException | IllegalArgumentException e) {
            LOG.severe("stored state '" + name + "' is unreadable and is ignored: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static <T> T parse(String what, Supplier<T> reading) {
        try {
            return reading.get();
        } catch (JsonException | IllegalArgumentException e) {
            throw new UnableToCallServerException("the server's answer to " + what + " breaks the device API: "
                    + e.getMessage(), 200, null, e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("VerifierClient is closed");
        }
    }

    private static String loadVersion() {
        try (InputStream in = VerifierClient.class.getResourceAsStream("sdk.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("$")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: the version is informational
        }
        return "dev";
    }

    // ---- persisted state ----------------------------------------------------------------------

    /** What provisioning yields; kept in state "device". Holds a secret: never logged. */
    private static final class Identity {
        final String deviceId;
        final String credential;
        final ScenicSpot spot;
        final Optional<String> gate;

        Identity(String deviceId, String credential, ScenicSpot spot, Optional<String> gate) {
            this.deviceId = deviceId;
            this.credential = credential;
            this.spot = spot;
            this.gate = gate;
        }

        static Identity fromProvision(JsonObject o) {
            return new Identity(o.string("deviceId"), o.string("deviceCredential"), spot(o.object("spot")),
                    o.optString("gate"));
        }

        static Identity fromJson(JsonObject o) {
            return fromProvision(o);
        }

        byte[] toJson() {
            return JsonBuilder.object().put("deviceId", deviceId).put("deviceCredential", credential)
                    .put("spot", spotJson(spot)).put("gate", gate).toBytes();
        }
    }

    /** The logged-in session; kept in state "session". Holds tokens: never logged. */
    private static final class Session {
        final String deviceId;
        final ScenicSpot spot;
        final Optional<String> gate;
        final Operator operator;
        final String accessToken;
        final Instant accessExpiresAt;
        final String refreshToken;
        final Optional<Duration> maxOffline;

        Session(String deviceId, ScenicSpot spot, Optional<String> gate, Operator operator, String accessToken,
                Instant accessExpiresAt, String refreshToken, Optional<Duration> maxOffline) {
            this.deviceId = deviceId;
            this.spot = spot;
            this.gate = gate;
            this.operator = operator;
            this.accessToken = accessToken;
            this.accessExpiresAt = accessExpiresAt;
            this.refreshToken = refreshToken;
            this.maxOffline = maxOffline;
        }

        static Session fromLogin(JsonObject o, Identity id, Instant now) {
            JsonObject op = o.object("operator");
            ScenicSpot spot = spot(o.object("spot"));
            if (spot.id() != id.spot.id()) {
                LOG.warning("login bound the device to " + spot + " although it was provisioned for " + id.spot);
            }
            Optional<Duration> maxOffline = o.optObject("policy").flatMap(p -> p.optLong("maxOfflineSeconds"))
                    .map(Duration::ofSeconds);
            return new Session(id.deviceId, spot, o.optString("gate").isPresent() ? o.optString("gate") : id.gate,
                    new Operator(op.string("id"), op.optString("name").orElse("")), o.string("accessToken"),
                    now.plusSeconds(o.longValue("expiresIn", 1, Integer.MAX_VALUE)), o.string("refreshToken"), maxOffline);
        }

        static Session fromRefresh(JsonObject o, Session old, Instant now) {
            Optional<Duration> maxOffline = o.optObject("policy").flatMap(p -> p.optLong("maxOfflineSeconds"))
                    .map(Duration::ofSeconds);
            return new Session(old.deviceId, old.spot, old.gate, old.operator, o.string("accessToken"),
                    now.plusSeconds(o.longValue("expiresIn", 1, Integer.MAX_VALUE)), o.string("refreshToken"),
                    maxOffline.isPresent() ? maxOffline : old.maxOffline);
        }

        static Session fromJson(JsonObject o) {
            JsonObject op = o.object("operator");
            return new Session(o.string("deviceId"), spot(o.object("spot")), o.optString("gate"),
                    new Operator(op.string("id"), op.string("name")), o.string("accessToken"), o.instant("accessExpiresAt"),
                    o.string("refreshToken"), o.optLong("maxOfflineSeconds").map(Duration::ofSeconds));
        }

        byte[] toJson() {
            return JsonBuilder.object().put("deviceId", deviceId).put("spot", spotJson(spot)).put("gate", gate)
                    .put("operator", JsonBuilder.object().put("id", operator.id()).put("name", operator.name()))
                    .put("accessToken", accessToken).put("accessExpiresAt", accessExpiresAt)
                    .put("refreshToken", refreshToken).put("maxOfflineSeconds", maxOffline.map(Duration::getSeconds))
                    .toBytes();
        }

        DeviceSession view() {
            return new DeviceSession(deviceId, spot, gate, operator, accessExpiresAt);
        }
    }

    /** Clock correction and sync time; kept in state "clock". */
    private static final class ClockState {
        static final ClockState NONE = new ClockState(0, Optional.<Instant>empty(), Optional.<Instant>empty());

        final long offsetMillis;
        final Optional<Instant> lastServerTime;
        final Optional<Instant> lastSyncAt;

        ClockState(long offsetMillis, Optional<Instant> lastServerTime, Optional<Instant> lastSyncAt) {
            this.offsetMillis = offsetMillis;
            this.lastServerTime = lastServerTime;
            this.lastSyncAt = lastSyncAt;
        }

        ClockState withOffset(long offset, Instant serverTime) {
            return new ClockState(offset, Optional.of(serverTime), lastSyncAt);
        }

        ClockState withLastSync(Instant at) {
            return new ClockState(offsetMillis, lastServerTime, Optional.of(at));
        }

        static ClockState fromJson(JsonObject o) {
            return new ClockState(o.longValue("offsetMillis"), o.optInstant("lastServerTime"), o.optInstant("lastSyncAt"));
        }

        byte[] toJson() {
            return JsonBuilder.object().put("offsetMillis", offsetMillis).put("lastServerTime", lastServerTime)
                    .put("lastSyncAt", lastSyncAt).toBytes();
        }
    }

    private static ScenicSpot spot(JsonObject o) {
        return new ScenicSpot(o.id("id", 1, TicketPayload.MAX_U32), o.optString("name").orElse(""));
    }

    private static JsonBuilder spotJson(ScenicSpot s) {
        return JsonBuilder.object().put("id", Long.toString(s.id())).put("name", s.name());
    }

    // ---- builder -----------------------------------------------------------------------------

    /**
     * Configures a {@link VerifierClient}. Setters reject bad values immediately; {@link #build()}
     * needs a server URL and either a data directory or both a state store and a scan journal.
     * Not thread-safe.
     */
    public static final class Builder {
        private URI serverUrl;
        private File dataDirectory;
        private HttpTransport transport = HttpTransport.urlConnection();
        private StateStore stateStore;
        private ScanJournal scanJournal;
        private DeviceSigner deviceSigner;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneId.systemDefault();
        private Duration maxOffline = Duration.ofHours(24);
        private Duration tolerance = Duration.ofMinutes(2);
        private Duration onlineRetryInterval = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private Duration redeemTimeout = Duration.ofSeconds(4);
        private Executor executor;

        private Builder() {
        }

        /** The platform's base URL; the device API lives under {@code <url>/device/v1/}. http or https. */
        public Builder serverUrl(String url) {
            return serverUrl(URI.create(Objects.requireNonNull(url, "url")));
        }

        /** The platform's base URL; the device API lives under {@code <url>/device/v1/}. http or https. */
        public Builder serverUrl(URI url) {
            Objects.requireNonNull(url, "url");
            if (!"https".equalsIgnoreCase(url.getScheme()) && !"http".equalsIgnoreCase(url.getScheme())) {
                throw new IllegalArgumentException("server URL must be http(s): " + url);
            }
            if (url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("server URL must not have a query or fragment: " + url);
            }
            this.serverUrl = url;
            return this;
        }

        /** App-private directory for the default state store ({@code state/}) and journal ({@code scans.journal}). */
        public Builder dataDirectory(File directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Replaces the HttpURLConnection transport. */
        public Builder transport(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Replaces the file state store. */
        public Builder stateStore(StateStore store) {
            this.stateStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Replaces the file scan journal. */
        public Builder scanJournal(ScanJournal journal) {
            this.scanJournal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** Replaces the software device key (e.g. with an Android Keystore signer). */
        public Builder deviceSigner(DeviceSigner signer) {
            this.deviceSigner = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /** The device clock (default system UTC); tests pass a controllable one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Zone for times in operator-facing reasons (default: system zone). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * Longest time since the last sync after which offline redemption (and offline verify) is
         * refused (default 24 h). The server's login policy may shorten it, never lengthen it.
         */
        public Builder maxOfflineDuration(Duration max) {
            this.maxOffline = positive(max, "maxOfflineDuration");
            return this;
        }

        /**
         * Clock-skew tolerance (default 2 min): leeway on validity windows, the threshold for
         * reporting a skewed device clock, and how far the clock may go back before it is distrusted.
         */
        public Builder clockSkewTolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance");
            if (tolerance.isNegative() || tolerance.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("clock-skew tolerance must be 0..1 h: " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** After an online redeem fails, how long to redeem offline before trying online again (default 30 s). */
        public Builder onlineRetryInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("online retry interval must not be negative");
            }
            this.onlineRetryInterval = interval;
            return this;
        }

        /** Timeout of ordinary requests (default 15 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Timeout of an online redeem before falling back to offline (default 4 s). */
        public Builder redeemTimeout(Duration timeout) {
            this.redeemTimeout = positive(timeout, "redeemTimeout");
            return this;
        }

        /** Executor for the async methods; the client does not shut it down. Default: two own daemon threads. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Opens stores and loads state. Throws IllegalStateException when required settings are
         * missing, {@link UnableToPersistException} when the stores cannot be opened.
         */
        public VerifierClient build() {
            if (serverUrl == null) {
                throw new IllegalStateException("serverUrl is required");
            }
            if (dataDirectory == null && (stateStore == null || scanJournal == null)) {
                throw new IllegalStateException("set dataDirectory, or both stateStore and scanJournal");
            }
            return new VerifierClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
