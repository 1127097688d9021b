package org.ticketledger.ticketing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.device.AuthResult;
import org.ticketledger.ticketing.device.DeviceError;
import org.ticketledger.ticketing.device.DeviceSession;
import org.ticketledger.ticketing.device.OnlineRedeemResult;
import org.ticketledger.ticketing.device.PriorRedemption;
import org.ticketledger.ticketing.device.RedeemAnswer;
import org.ticketledger.ticketing.device.RedeemOutcome;
import org.ticketledger.ticketing.device.RedemptionConflict;
import org.ticketledger.ticketing.device.RejectCode;
import org.ticketledger.ticketing.device.SpotRef;
import org.ticketledger.ticketing.device.SyncItem;
import org.ticketledger.ticketing.device.SyncRecordResult;
import org.ticketledger.ticketing.device.SyncStatus;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.party.AccountVersion;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketSpot;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.verify.DecodeResult;
import org.ticketledger.verify.ScanRecord;
import org.ticketledger.verify.TicketCode;
import org.ticketledger.verify.TicketCodec;
import org.ticketledger.verify.TicketPayload;

/**
 * Online redeem and offline sync. Everything about one ticket happens under a transaction-scoped
 * advisory lock on its number, so concurrent redeems and syncs of one ticket are serialised; the
 * redemptions of (ticket, spot) are its {@code uses} earliest scans by scan time, then arrival
 * (a redemption made through {@code tickets().redeem} counts too), every other scan is a conflict,
 * and the spot's payout is created once, in the transaction that records its first redemption.
 */
final class DeviceRedemptions {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRedemptions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ctx ctx;
    private final SigningKeys keys;
    private final TicketsImpl tickets;
    private final DeviceAuth auth;

    DeviceRedemptions(Ctx ctx, SigningKeys keys, TicketsImpl tickets, DeviceAuth auth) {
        this.ctx = ctx;
        this.keys = keys;
        this.tickets = tickets;
        this.auth = auth;
    }

    /** A refusal inside a transaction: rolls it back. */
    private static final class Reject extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Object what;

        Reject(Object what) {
            super(null, null, false, false);
            this.what = what;
        }
    }

    /** What the spot's payout needs: its fee rule and receiving account, and the new payout's id. */
    private record PayoutBasis(FeeRule fee, Optional<AccountVersion> account, String payoutId) {
    }

    /** Reads the basis on the caller's handle (inside its transaction: no second connection). */
    private PayoutBasis basis(Handle h, String spotId) {
        FeeRule fee = FeesImpl.effective(h, FeeKind.PAYOUT, spotId);
        Optional<AccountVersion> account = h.createQuery("SELECT account_version FROM ticketing.parties"
                        + " WHERE party_id = :id AND kind = 'SCENIC_SPOT'")
                .bind("id", spotId).mapTo(Integer.class).findOne()
                .map(v -> PartiesImpl.accountVersion(h, spotId, v));
        return new PayoutBasis(fee, account, Ids.next("po", ctx.clock));
    }

    /**
     * The gate's signature on its scan record (DEVICE-API.md §5). {@link P256Verifier} gives the
     * answers of {@link ScanRecord#isSignedBy} at a fraction of the JDK's cost: this check was
     * most of the CPU of an online redemption.
     */
    private static boolean signedByDevice(ScanRecord r, DeviceSession s) {
        return P256Verifier.verify(s.deviceKey(), r.signedMessage().getBytes(StandardCharsets.UTF_8), r.signature());
    }

    /** The issuer's signature on a ticket code, with {@link TicketCode#isSignedBy}'s answers. */
    private static boolean signedByIssuer(TicketCode code, SigningKeys.Key key) {
        return P256Verifier.verify(key.publicKey(), code.signedBytes(), code.signature());
    }

    // ---------------------------------------------------------------- online

    private record Judged(RedeemAnswer answer, Optional<TicketsImpl.Redemption> redemption) {
    }

    /**
     * What {@link #redeemInOneTrip} answers on a remembered session that its check refused, or that
     * it could not check (a record the call does not cover): authenticate, then redeem as usual.
     */
    private static final OnlineRedeemResult RECHECK_SESSION = new OnlineRedeemResult.Rejected(DeviceError.UNAUTHENTICATED,
            "the session must be read again");

    /**
     * The online redemption with the device's bearer token. On a session {@link DeviceAuth}
     * remembers for the token, the common case is one statement: the session is checked inside
     * {@code device_redeem_online} (V23), which answers SESSION, with nothing written, if
     * {@link DeviceAuth#authenticate} would now refuse it. Anything else (no remembered session, a
     * record the session would refuse, SESSION) authenticates first, so a refused token keeps its
     * precedence over a refused record, exactly as when the caller authenticates.
     */
    OnlineRedeemResult redeem(String accessToken, String idempotencyKey, ScanRecord r) {
        String hash = Secrets.sha256(accessToken);
        Optional<DeviceSession> known = auth.remembered(hash);
        if (known.isPresent() && refusal(known.get(), idempotencyKey, r).isEmpty()) {
            DeviceSession s = known.get();
            String digest = digest(r);
            Instant now = ctx.now();
            Optional<OnlineRedeemResult> fast = redeemInOneTrip(s, r, digest, now, Optional.of(hash));
            if (fast.isEmpty()) {
                return redeemJudged(s, r, digest, now);
            }
            if (fast.get() != RECHECK_SESSION) {
                return fast.get();
            }
            auth.forget(hash);
        }
        AuthResult a = auth.authenticate(accessToken);
        if (a instanceof AuthResult.Refused no) {
            return new OnlineRedeemResult.Rejected(no.error(), no.detail());
        }
        return redeem(((AuthResult.Authenticated) a).session(), idempotencyKey, r);
    }

    OnlineRedeemResult redeem(DeviceSession s, String idempotencyKey, ScanRecord r) {
        Optional<OnlineRedeemResult> refused = refusal(s, idempotencyKey, r);
        if (refused.isPresent()) {
            return refused.get();
        }
        String digest = digest(r);
        Instant now = ctx.now();
        Optional<OnlineRedeemResult> fast = redeemInOneTrip(s, r, digest, now, Optional.empty());
        if (fast.isPresent()) {
            return fast.get();
        }
        return redeemJudged(s, r, digest, now);
    }

    /** The record refused before anything is read: a key other than its id, another device or spot, no valid signature. */
    private static Optional<OnlineRedeemResult> refusal(DeviceSession s, String idempotencyKey, ScanRecord r) {
        if (!idempotencyKey.equals(r.recordId())) {
            return Optional.of(new OnlineRedeemResult.Rejected(DeviceError.BAD_RECORD, "Idempotency-Key must equal the record's recordId"));
        }
        if (!r.deviceId().equals(s.deviceId()) || r.spotId() != s.spot().number()) {
            return Optional.of(new OnlineRedeemResult.Rejected(DeviceError.BAD_RECORD,
                    "the record names another device or spot than the session"));
        }
        if (!signedByDevice(r, s)) {
            return Optional.of(new OnlineRedeemResult.Rejected(DeviceError.BAD_RECORD, "the record is not signed with this device's key"));
        }
        return Optional.empty();
    }

    /** The Java judgement of a record in its own transaction (everything the one-trip path leaves). */
    private OnlineRedeemResult redeemJudged(DeviceSession s, ScanRecord r, String digest, Instant now) {
        Object result;
        try {
            result = ctx.db.tx(h -> {
                lock(h, "record:" + r.recordId());
                Optional<String[]> stored = h.createQuery("SELECT digest, answer FROM ticketing.redeem_answers"
                                + " WHERE device_id = :d AND record_id = :r")
                        .bind("d", s.deviceId()).bind("r", r.recordId())
                        .map((rs, c) -> new String[] {rs.getString("digest"), rs.getString("answer")}).findOne();
                if (stored.isPresent()) {
                    if (!stored.get()[0].equals(digest)) {
                        throw new Reject(new OnlineRedeemResult.Rejected(DeviceError.IDEMPOTENCY_CONFLICT,
                                "Idempotency-Key " + r.recordId() + " was used with another record"));
                    }
                    return new OnlineRedeemResult.Answered(readAnswer(stored.get()[1]), true);
                }
                if (!claimNonce(h, r)) {
                    throw new Reject(new OnlineRedeemResult.Rejected(DeviceError.BAD_RECORD,
                            "the record's nonce was used by another record of this device"));
                }
                Judged j = judge(h, s, r, digest, now);
                h.createUpdate("INSERT INTO ticketing.redeem_answers (device_id, record_id, digest, outcome, answer, created_at)"
                                + " VALUES (:d, :r, :dig, :o, :a, :now)")
                        .bind("d", s.deviceId()).bind("r", r.recordId()).bind("dig", digest).bind("o", j.answer().outcome().name())
                        .bind("a", writeAnswer(j.answer())).bind("now", Db.ts(now)).execute();
                return j;
            });
        } catch (Reject e) {
            return (OnlineRedeemResult) e.what;
        }
        if (result instanceof OnlineRedeemResult.Answered replay) {
            return replay;
        }
        Judged j = (Judged) result;
        j.redemption().ifPresent(tickets::bookSoon);
        return new OnlineRedeemResult.Answered(j.answer(), false);
    }

    /** The one-trip call (V23's signature; see {@link #redeemInOneTrip}), built once. */
    private static final String ONE_TRIP = "SELECT r.outcome, r.stored_digest, r.stored_answer, r.margin_minor, (r.payout).*, "
            + TicketsImpl.columnsOf("(r.ticket).", "t_")
            + " FROM ticketing.device_redeem_online(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) r";

    /**
     * The common online redemption as one statement in its own transaction (function
     * {@code ticketing.device_redeem_online}, migration V22): a single-use ticket we issued, presented
     * with the code we stored for it, scanned for the first time at a spot it is valid at, with a
     * key valid now. It answers what {@link #judge} would, under the same locks and with the same
     * rows written; everything it does not cover (refused, revoked, already redeemed, combos, codes
     * whose signature must be verified) comes back empty with nothing written but the record's
     * claim on its nonce (which {@link #claimNonce} then finds to be the record's own), and the
     * caller judges the record in its own transaction as before. The path used to cost some twenty
     * round trips; the redemption is bound by them. With {@code recheckAccessHash} (a session
     * remembered, not read for this request) the function first checks that session as
     * {@link DeviceAuth#authenticate} would; {@link #RECHECK_SESSION} if it fails or if the record is
     * not one the call covers, so that FALLBACK (empty) always comes after a passed check.
     */
    private Optional<OnlineRedeemResult> redeemInOneTrip(DeviceSession s, ScanRecord r, String digest, Instant now,
                                                         Optional<String> recheckAccessHash) {
        // A remembered session is only ever trusted after the function's check: what the call does not
        // cover goes back to authenticate first.
        Optional<OnlineRedeemResult> notCovered = recheckAccessHash.isPresent() ? Optional.of(RECHECK_SESSION) : Optional.empty();
        // The function locks, then reads what the lock's holder committed: only a READ COMMITTED
        // statement does (at REPEATABLE READ it reads its snapshot and fails on the holder's rows).
        if (!(ctx.minter instanceof SignedTicketCodeMinter) || !ctx.db.readCommittedByDefault()) {
            return notCovered;
        }
        Optional<TicketCode> decoded = TicketCodec.decode(r.code()).ticketCode();
        if (decoded.isEmpty()) {
            return notCovered;
        }
        TicketPayload p = decoded.get().payload();
        Optional<SigningKeys.Key> key = keys.published(p.keyId());
        Optional<org.ticketledger.ticketing.party.Platform> platform = ctx.platform();
        if (key.isEmpty() || now.isBefore(key.get().notBefore()) || !now.isBefore(key.get().notAfter())
                || !p.isValidAt(s.spot().number()) || now.isBefore(p.validFrom()) || !now.isBefore(p.validUntil())
                || p.uses() != 1 || p.ticketId() != r.ticketId() || platform.isEmpty()) {
            return notCovered;
        }
        OptionalLong tid = OptionalLong.of(p.ticketId());
        RedeemAnswer admitted = new RedeemAnswer(RedeemOutcome.REDEEMED, tid, Optional.of(now), OptionalInt.of(0), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
        java.util.Currency currency = platform.get().currency();
        record Trip(String outcome, String storedDigest, String storedAnswer, Optional<TicketsImpl.Redemption> redemption) {
        }
        String payoutId = Ids.next("po", ctx.clock);
        String detail = TicketsImpl.redeemedDetail(s.spot().spotId(), s.deviceId(), Optional.of(r.recordId()));
        String answer = writeAnswer(admitted);
        Trip trip = ctx.db.jdbc(c -> {
            try (PreparedStatement st = c.prepareStatement(ONE_TRIP)) {
                st.setString(1, s.deviceId());
                st.setString(2, r.recordId());
                st.setString(3, digest);
                st.setString(4, r.nonce());
                st.setLong(5, p.ticketId());
                st.setString(6, s.spot().spotId());
                st.setString(7, r.code());
                st.setObject(8, Db.ts(r.scannedAt()));
                st.setLong(9, r.clockOffsetMillis());
                st.setLong(10, r.sequence());
                st.setBytes(11, r.signature());
                st.setObject(12, Db.ts(now));
                st.setString(13, answer);
                st.setString(14, payoutId);
                st.setString(15, detail);
                st.setString(16, currency.getCurrencyCode());
                st.setInt(17, Math.max(0, currency.getDefaultFractionDigits()));
                st.setString(18, recheckAccessHash.isPresent() ? s.sessionId() : null);
                st.setString(19, recheckAccessHash.orElse(null));
                st.setLong(20, s.spot().number());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("device_redeem_online returned no row");
                    }
                    String outcome = rs.getString("outcome");
                    Optional<TicketsImpl.Redemption> redemption = Optional.empty();
                    if (outcome.equals("REDEEMED")) {
                        Optional<Long> margin = Optional.ofNullable(rs.getObject("margin_minor", Long.class));
                        redemption = Optional.of(new TicketsImpl.Redemption(PayoutsImpl.row(rs), TicketsImpl.row(rs, "t_"), margin));
                    }
                    return new Trip(outcome, rs.getString("stored_digest"), rs.getString("stored_answer"), redemption);
                }
            }
        });
        switch (trip.outcome()) {
            case "STORED":
                if (!trip.storedDigest().equals(digest)) {
                    return Optional.of(new OnlineRedeemResult.Rejected(DeviceError.IDEMPOTENCY_CONFLICT,
                            "Idempotency-Key " + r.recordId() + " was used with another record"));
                }
                return Optional.of(new OnlineRedeemResult.Answered(readAnswer(trip.storedAnswer()), true));
            case "SESSION":
                return Optional.of(RECHECK_SESSION);
            case "NONCE_TAKEN":
                return Optional.of(new OnlineRedeemResult.Rejected(DeviceError.BAD_RECORD,
                        "the record's nonce was used by another record of this device"));
            case "REDEEMED":
                trip.redemption().ifPresent(tickets::bookSoon);
                return Optional.of(new OnlineRedeemResult.Answered(admitted, false));
            default:
                return Optional.empty();
        }
    }

    /**
     * TICKET-CODE.md §6 steps 1, 3, 4, 6–11 with server time; records the scan when admitted.
     *
     * <p>Step 4 without ECDSA where it can: the ticket row keeps the code as issued, so a presented
     * code equal to it (compared in constant time, so that timing tells nothing about the stored
     * code) carries our signature by construction, when our own minter made it: it signs with the
     * key its payload names, and a key id is never reused (removed keys keep their row). Any other
     * text (no row, a forgery, a code from a host's own minter) has its signature verified as
     * before, so every outcome is the one the verification would give.
     */
    private Judged judge(Handle h, DeviceSession s, ScanRecord r, String digest, Instant now) {
        DecodeResult d = TicketCodec.decode(r.code());
        if (d instanceof DecodeResult.Malformed m) {
            RedeemOutcome o = m.code() == org.ticketledger.verify.ResultCode.UNSUPPORTED_VERSION
                    ? RedeemOutcome.UNSUPPORTED_VERSION : RedeemOutcome.INVALID;
            return refusal(o, OptionalLong.empty(), m.detail());
        }
        TicketCode code = ((DecodeResult.Decoded) d).code();
        TicketPayload p = code.payload();
        OptionalLong tid = OptionalLong.of(p.ticketId());
        Optional<SigningKeys.Key> key = keys.published(p.keyId());
        if (key.isEmpty()) {
            return refusal(RedeemOutcome.UNKNOWN_KEY, tid, "issuer key " + p.keyId() + " is not in the key set");
        }
        lock(h, "ticket:" + p.ticketId());
        Optional<Ticket> ticket = TicketsImpl.load(h, Long.toString(p.ticketId()), true);
        boolean issuedByUs = ctx.minter instanceof SignedTicketCodeMinter && ticket.isPresent()
                && sameText(ticket.get().code(), code.text());
        if (!issuedByUs && !signedByIssuer(code, key.get())) {
            return refusal(RedeemOutcome.FORGED, tid, "the code's signature does not verify");
        }
        if (now.isBefore(key.get().notBefore()) || !now.isBefore(key.get().notAfter())) {
            return refusal(RedeemOutcome.KEY_EXPIRED, tid, "issuer key " + p.keyId() + " is not valid now");
        }
        Optional<org.ticketledger.verify.Revocation> revoked = CodesImpl.revocationOf(h, p.ticketId());
        if (revoked.isPresent()) {
            return new Judged(new RedeemAnswer(RedeemOutcome.REVOKED, tid, Optional.empty(), OptionalInt.empty(), List.of(),
                    Optional.of(revoked.get().revokedAt()), Optional.of(revoked.get().reason()), Optional.empty()), Optional.empty());
        }
        if (ticket.isPresent() && ticket.get().state() == TicketState.REFUNDED) {
            return new Judged(new RedeemAnswer(RedeemOutcome.REVOKED, tid, Optional.empty(), OptionalInt.empty(), List.of(),
                    Optional.of(ticket.get().updatedAt()), Optional.of("REFUNDED"), Optional.empty()), Optional.empty());
        }
        if (!p.isValidAt(s.spot().number())) {
            return refusal(RedeemOutcome.WRONG_SPOT, tid, "the ticket is not valid at " + s.spot().name());
        }
        if (now.isBefore(p.validFrom())) {
            return refusal(RedeemOutcome.NOT_YET_VALID, tid, "valid from " + p.validFrom());
        }
        if (!now.isBefore(p.validUntil())) {
            return refusal(RedeemOutcome.EXPIRED, tid, "expired at " + p.validUntil());
        }
        if (ticket.isEmpty()) {
            // Signed by our key but not in our tables: a database restored from before its issuance.
            LOG.error("ticket number {} has a genuine code but no ticket row", p.ticketId());
            return refusal(RedeemOutcome.INVALID, tid, "unknown ticket");
        }
        List<Claim> claims = claims(h, p.ticketId(), s.spot());
        if (claims.size() >= p.uses()) {
            List<PriorRedemption> previous = claims.subList(0, p.uses()).stream().map(c -> c.prior(s.spot())).toList();
            return new Judged(new RedeemAnswer(RedeemOutcome.ALREADY_REDEEMED, tid, Optional.empty(), OptionalInt.empty(),
                    previous, Optional.empty(), Optional.empty(), Optional.of("Already used")), Optional.empty());
        }
        insertRecord(h, s, r, digest, "ONLINE", "REDEEMED", "", now, now, Optional.of(ticket.get().id()));
        Optional<TicketsImpl.Redemption> payout = claims.isEmpty()
                ? payoutOnFirst(h, ticket.get(), s.spot(), r.scannedAt(), s.deviceId(), r.recordId(),
                        () -> basis(h, s.spot().spotId()))
                : Optional.empty();
        return new Judged(new RedeemAnswer(RedeemOutcome.REDEEMED, tid, Optional.of(now),
                OptionalInt.of(p.uses() - claims.size() - 1), List.of(), Optional.empty(), Optional.empty(), Optional.empty()),
                payout);
    }

    private static Judged refusal(RedeemOutcome o, OptionalLong tid, String message) {
        return new Judged(RedeemAnswer.of(o, tid, Optional.of(message)), Optional.empty());
    }

    // ---------------------------------------------------------------- sync

    List<SyncRecordResult> sync(DeviceSession s, List<SyncItem> items) {
        PayoutBasis basis = ctx.db.read(h -> basis(h, s.spot().spotId()));
        List<SyncRecordResult> out = new ArrayList<>(items.size());
        for (SyncItem item : items) {
            out.add(syncOne(s, item, new PayoutBasis(basis.fee(), basis.account(), Ids.next("po", ctx.clock))));
        }
        return out;
    }

    private static SyncRecordResult rejected(String recordId, RejectCode code, String message) {
        return new SyncRecordResult(recordId, SyncStatus.REJECTED, Optional.of(code), Optional.of(message), Optional.empty());
    }

    private SyncRecordResult syncOne(DeviceSession s, SyncItem item, PayoutBasis basis) {
        if (item instanceof SyncItem.Unreadable u) {
            return rejected(u.recordId(), RejectCode.MALFORMED_RECORD, u.why());
        }
        ScanRecord r = ((SyncItem.Record) item).record();
        if (!r.deviceId().equals(s.deviceId())) {
            return rejected(r.recordId(), RejectCode.DEVICE_MISMATCH, "record of device " + r.deviceId() + ", not " + s.deviceId());
        }
        if (r.spotId() != s.spot().number()) {
            return rejected(r.recordId(), RejectCode.SPOT_MISMATCH, "record of spot " + r.spotId() + ", not " + s.spot().number());
        }
        if (!signedByDevice(r, s)) {
            LOG.error("device {} uploaded record {} not signed with its key", s.deviceId(), r.recordId());
            return rejected(r.recordId(), RejectCode.BAD_RECORD_SIGNATURE, "record not signed by this device's key");
        }
        String digest = digest(r);
        Instant now = ctx.now();
        Object result;
        try {
            result = ctx.db.tx(h -> {
                lock(h, "record:" + r.recordId());
                Optional<String[]> existing = h.createQuery("SELECT device_id, digest FROM ticketing.scan_records WHERE record_id = :r")
                        .bind("r", r.recordId()).map((rs, c) -> new String[] {rs.getString("device_id"), rs.getString("digest")})
                        .findOne();
                if (existing.isPresent()) {
                    if (existing.get()[0].equals(s.deviceId()) && existing.get()[1].equals(digest)) {
                        return new SyncRecordResult(r.recordId(), SyncStatus.DUPLICATE, Optional.empty(),
                                Optional.of("already recorded"), Optional.empty());
                    }
                    throw new Reject(rejected(r.recordId(), RejectCode.MALFORMED_RECORD, "record id reused with other content"));
                }
                if (!claimNonce(h, r)) {
                    LOG.error("device {} replayed a nonce in record {}", s.deviceId(), r.recordId());
                    throw new Reject(rejected(r.recordId(), RejectCode.REPLAYED_NONCE, "nonce already used by another record"));
                }
                DecodeResult d = TicketCodec.decode(r.code());
                if (d instanceof DecodeResult.Malformed m) {
                    throw new Reject(rejected(r.recordId(), RejectCode.MALFORMED_RECORD, "code: " + m.detail()));
                }
                TicketCode code = ((DecodeResult.Decoded) d).code();
                TicketPayload p = code.payload();
                if (p.ticketId() != r.ticketId()) {
                    throw new Reject(rejected(r.recordId(), RejectCode.MALFORMED_RECORD, "ticketId differs from the code's"));
                }
                Optional<SigningKeys.Key> key = keys.published(p.keyId());
                if (key.isEmpty() || !signedByIssuer(code, key.get())) {
                    // A genuine device never admits such a code: the device or its journal was tampered with.
                    LOG.error("ALERT device {} uploaded record {} admitting a forged code (key {})", s.deviceId(), r.recordId(),
                            p.keyId());
                    throw new Reject(rejected(r.recordId(), RejectCode.FORGED_TICKET, "the ticket code's issuer signature fails"));
                }
                return record(h, s, r, digest, p, key.get(), now, basis);
            });
        } catch (Reject e) {
            return (SyncRecordResult) e.what;
        }
        if (result instanceof Recorded rec) {
            rec.payout().ifPresent(tickets::bookSoon);
            return rec.result();
        }
        return (SyncRecordResult) result;
    }

    private record Recorded(SyncRecordResult result, Optional<TicketsImpl.Redemption> payout) {
    }

    /** Stores an offline scan as what happened, flags what the server would have refused, settles winners. */
    private Recorded record(Handle h, DeviceSession s, ScanRecord r, String digest, TicketPayload p, SigningKeys.Key key,
                            Instant now, PayoutBasis basis) {
        lock(h, "ticket:" + p.ticketId());
        Optional<Ticket> ticket = TicketsImpl.load(h, Long.toString(p.ticketId()), true);
        Instant at = r.scannedAt();
        StringJoiner flags = new StringJoiner(",");
        if (at.isBefore(key.notBefore()) || !at.isBefore(key.notAfter())) {
            flags.add("KEY_EXPIRED");
        }
        if (CodesImpl.revocationOf(h, p.ticketId()).isPresent()) {
            flags.add("REVOKED");
        }
        if (!p.isValidAt(s.spot().number())) {
            flags.add("WRONG_SPOT");
        }
        if (at.isBefore(p.validFrom())) {
            flags.add("NOT_YET_VALID");
        }
        if (!at.isBefore(p.validUntil())) {
            flags.add("EXPIRED");
        }
        if (ticket.isEmpty()) {
            flags.add("UNKNOWN_TICKET");
        } else if (ticket.get().state() == TicketState.REFUNDED) {
            flags.add("REFUNDED");
        }
        if (flags.length() > 0) {
            LOG.warn("device {} admitted ticket {} offline at {} although: {} (recorded as it happened)", s.deviceId(),
                    p.ticketId(), at, flags);
        }
        List<Claim> before = claims(h, p.ticketId(), s.spot());
        insertRecord(h, s, r, digest, "SYNC", "REDEEMED", flags.toString(), at, now, ticket.map(Ticket::id));
        List<Claim> after = claims(h, p.ticketId(), s.spot());
        int uses = p.uses();
        List<Claim> winners = after.subList(0, Math.min(uses, after.size()));
        for (int i = 0; i < after.size(); i++) {
            Claim c = after.get(i);
            String status = i < uses ? "REDEEMED" : "CONFLICT";
            if (c.recordId().isPresent() && !status.equals(c.status())) {
                h.createUpdate("UPDATE ticketing.scan_records SET status = :st WHERE record_id = :r")
                        .bind("st", status).bind("r", c.recordId().get()).execute();
            }
        }
        Claim first = after.get(0);
        boolean newWins = winners.stream().anyMatch(c -> c.recordId().equals(Optional.of(r.recordId())));
        for (Claim old : before.subList(0, Math.min(uses, before.size()))) {
            if (!winners.contains(old)) {
                // Answered RECORDED (or redeemed online) before an even earlier scan arrived: only the admin learns.
                conflict(h, p.ticketId(), ticket, s.spot(), first, old, now, "ADMIN");
            }
        }
        Optional<TicketsImpl.Redemption> payout = Optional.empty();
        if (ticket.isPresent()) {
            payout = payoutOnFirst(h, ticket.get(), s.spot(), first.at(), first.device(), first.recordId().orElse(null),
                    () -> basis);
            if (payout.isEmpty() && first.recordId().isPresent()) {
                // The winner changed: the ticket's redemption names it; the payout stays the one made.
                h.createUpdate("UPDATE ticketing.ticket_spots SET redeemed_at = :at, redeemed_by = :by, redeemed_record_id = :rec"
                                + " WHERE ticket_id = :t AND spot_id = :s AND redeemed_record_id IS NOT NULL AND redeemed_record_id <> :rec")
                        .bind("at", Db.ts(first.at())).bind("by", first.device()).bind("rec", first.recordId().get())
                        .bind("t", ticket.get().id()).bind("s", s.spot().spotId()).execute();
            }
        }
        if (newWins) {
            return new Recorded(new SyncRecordResult(r.recordId(), SyncStatus.RECORDED, Optional.empty(), Optional.empty(),
                    Optional.empty()), payout);
        }
        Claim mine = after.stream().filter(c -> c.recordId().equals(Optional.of(r.recordId()))).findFirst().orElseThrow();
        conflict(h, p.ticketId(), ticket, s.spot(), first, mine, now, "DEVICE");
        LOG.warn("double redemption of ticket {} at {}: {} at {} lost to {} at {}", p.ticketId(), s.spot().spotId(),
                mine.device(), mine.at(), first.device(), first.at());
        return new Recorded(new SyncRecordResult(r.recordId(), SyncStatus.CONFLICT, Optional.empty(),
                Optional.of("ticket already redeemed earlier"), Optional.of(first.prior(s.spot()))), payout);
    }

    /**
     * Redeems the ticket at the spot (ledger entry via the payout, and the payout) if this is its
     * first redemption there: never on a device's word before the scan is recorded, never twice.
     */
    private Optional<TicketsImpl.Redemption> payoutOnFirst(Handle h, Ticket t, SpotRef spot, Instant at, String by,
                                                           String recordId, Supplier<PayoutBasis> basisOf) {
        Optional<TicketSpot> ts = t.spots().stream().filter(x -> x.spotId().equals(spot.spotId())).findFirst();
        if (ts.isEmpty() || ts.get().redeemed() || t.state() == TicketState.REFUNDED) {
            return Optional.empty();
        }
        PayoutBasis basis = basisOf.get();
        if (basis.account().isEmpty()) {
            return Optional.empty();
        }
        Optional<String> comboPlan;
        try {
            comboPlan = WealthImpl.lockOpenPlan(h, t);
        } catch (Db.Refusal closed) {
            // The combo's wealth plan has closed and what was not redeemed became breakage: the scan
            // stays recorded, but nothing is paid from a plan that no longer holds the money.
            LOG.warn("scan of combo ticket {} at {} recorded without payout: {}", t.number(), spot.spotId(),
                    closed.problem().message());
            return Optional.empty();
        }
        return Optional.of(TicketsImpl.recordRedemption(h, ctx, t, ts.get(), at, by, Optional.ofNullable(recordId), comboPlan,
                basis.account().get(), basis.fee(), basis.payoutId()));
    }

    // ---------------------------------------------------------------- claims

    /** A redemption claim on (ticket, spot): a scan record or a redemption made without a device. */
    private record Claim(Optional<String> recordId, Instant at, long arrival, String device, Optional<String> gate,
                         String status) {

        PriorRedemption prior(SpotRef spot) {
            return new PriorRedemption(recordId, at, spot, device, gate);
        }
    }

    private static List<Claim> claims(Handle h, long ticketNumber, SpotRef spot) {
        // Scan records, and a redemption made without a device (no record id), in one round trip.
        List<Claim> out = new ArrayList<>(h.createQuery("SELECT r.record_id, r.scanned_at AS at, r.arrival, r.device_id AS device,"
                        + " d.gate, r.status FROM ticketing.scan_records r JOIN ticketing.devices d ON d.device_id = r.device_id"
                        + " WHERE r.code_ticket_id = :no AND r.spot_id = :s"
                        + " UNION ALL SELECT NULL, ts.redeemed_at, -1, ts.redeemed_by, NULL, 'REDEEMED'"
                        + " FROM ticketing.ticket_spots ts JOIN ticketing.tickets t ON t.ticket_id = ts.ticket_id"
                        + " WHERE t.ticket_no = :nos AND ts.spot_id = :s AND ts.redeemed_at IS NOT NULL AND ts.redeemed_record_id IS NULL")
                .bind("no", ticketNumber).bind("nos", Long.toString(ticketNumber)).bind("s", spot.spotId())
                .map((rs, c) -> new Claim(Db.optString(rs, "record_id"), Db.instant(rs, "at"), rs.getLong("arrival"),
                        rs.getString("device"), Db.optString(rs, "gate"), rs.getString("status")))
                .list());
        out.sort(Comparator.comparing(Claim::at).thenComparingLong(Claim::arrival));
        return out;
    }

    private void conflict(Handle h, long ticketNumber, Optional<Ticket> ticket, SpotRef spot, Claim winner, Claim loser,
                          Instant now, String reportedTo) {
        h.createUpdate("INSERT INTO ticketing.redemption_conflicts (code_ticket_id, ticket_id, spot_id, winner_record_id,"
                        + " winner_device, winner_at, loser_record_id, loser_device, loser_at, detected_at, reported_to)"
                        + " VALUES (:no, :t, :s, :wr, :wd, :wa, :lr, :ld, :la, :now, :to)")
                .bind("no", ticketNumber).bind("t", ticket.map(Ticket::id).orElse(null)).bind("s", spot.spotId())
                .bind("wr", winner.recordId().orElse(null)).bind("wd", winner.device()).bind("wa", Db.ts(winner.at()))
                .bind("lr", loser.recordId().orElse(null)).bind("ld", loser.device()).bind("la", Db.ts(loser.at()))
                .bind("now", Db.ts(now)).bind("to", reportedTo).execute();
    }

    List<RedemptionConflict> conflicts(Optional<String> spotId, long afterId, int limit) {
        return ctx.db.read(h -> h.createQuery("SELECT c.*, p.code_no, p.name AS spot_name, wd.gate AS winner_gate,"
                        + " ld.gate AS loser_gate FROM ticketing.redemption_conflicts c"
                        + " JOIN ticketing.parties p ON p.party_id = c.spot_id"
                        + " LEFT JOIN ticketing.devices wd ON wd.device_id = c.winner_device"
                        + " LEFT JOIN ticketing.devices ld ON ld.device_id = c.loser_device"
                        + " WHERE c.id > :after" + (spotId.isPresent() ? " AND c.spot_id = :s" : "")
                        + " ORDER BY c.id LIMIT :n")
                .bind("after", afterId).bind("s", spotId.orElse(null)).bind("n", Math.max(1, Math.min(limit, 1000)))
                .map((rs, c) -> {
                    SpotRef spot = new SpotRef(rs.getString("spot_id"), rs.getLong("code_no"), rs.getString("spot_name"));
                    return new RedemptionConflict(rs.getLong("id"), rs.getLong("code_ticket_id"), Db.optString(rs, "ticket_id"),
                            spot, new PriorRedemption(Db.optString(rs, "winner_record_id"), Db.instant(rs, "winner_at"), spot,
                            rs.getString("winner_device"), Db.optString(rs, "winner_gate")),
                            new PriorRedemption(Db.optString(rs, "loser_record_id"), Db.instant(rs, "loser_at"), spot,
                                    rs.getString("loser_device"), Db.optString(rs, "loser_gate")),
                            Db.instant(rs, "detected_at"), rs.getString("reported_to").equals("DEVICE"));
                })
                .list());
    }

    // ---------------------------------------------------------------- plumbing

    private static void lock(Handle h, String what) {
        h.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", what);
    }

    /** Takes the record's nonce for this device; false if another record of the device used it. */
    private static boolean claimNonce(Handle h, ScanRecord r) {
        boolean taken = h.createQuery("INSERT INTO ticketing.device_nonces (device_id, nonce, record_id) VALUES (:d, :n, :r)"
                        + " ON CONFLICT DO NOTHING RETURNING 1")
                .bind("d", r.deviceId()).bind("n", r.nonce()).bind("r", r.recordId()).mapTo(Integer.class).findOne().isPresent();
        if (taken) {
            return true;
        }
        String owner = h.createQuery("SELECT record_id FROM ticketing.device_nonces WHERE device_id = :d AND nonce = :n")
                .bind("d", r.deviceId()).bind("n", r.nonce()).mapTo(String.class).one();
        return owner.equals(r.recordId());
    }

    /** Whether two code texts are equal, in time that does not depend on where they differ. */
    private static boolean sameText(String stored, String presented) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static void insertRecord(Handle h, DeviceSession s, ScanRecord r, String digest, String via, String status,
                                     String flags, Instant redeemedAt, Instant now, Optional<String> ticketId) {
        h.createUpdate("INSERT INTO ticketing.scan_records (record_id, device_id, spot_id, code_ticket_id, ticket_id, code,"
                        + " scanned_at, clock_offset_ms, sequence, nonce, signature, digest, via, status, flags, redeemed_at,"
                        + " received_at) VALUES (:r, :d, :s, :no, :t, :code, :at, :off, :seq, :nonce, :sig, :dig, :via, :st,"
                        + " :flags, :red, :now)")
                .bind("r", r.recordId()).bind("d", s.deviceId()).bind("s", s.spot().spotId()).bind("no", r.ticketId())
                .bind("t", ticketId.orElse(null)).bind("code", r.code()).bind("at", Db.ts(r.scannedAt()))
                .bind("off", r.clockOffsetMillis()).bind("seq", r.sequence()).bind("nonce", r.nonce())
                .bind("sig", r.signature()).bind("dig", digest).bind("via", via).bind("st", status).bind("flags", flags)
                .bind("red", Db.ts(redeemedAt)).bind("now", Db.ts(now)).execute();
    }

    /** What an Idempotency-Key repeat must match: the signed content and the signature. */
    private static String digest(ScanRecord r) {
        return Secrets.sha256(r.signedMessage() + "\n" + Base64.getUrlEncoder().withoutPadding().encodeToString(r.signature()));
    }

    private static String writeAnswer(RedeemAnswer a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("outcome", a.outcome().name());
        a.ticketId().ifPresent(t -> n.put("ticketId", t));
        a.redeemedAt().ifPresent(t -> n.put("redeemedAt", t.toString()));
        a.remainingUses().ifPresent(u -> n.put("remainingUses", u));
        a.revokedAt().ifPresent(t -> n.put("revokedAt", t.toString()));
        a.revocationReason().ifPresent(t -> n.put("revocationReason", t));
        a.message().ifPresent(t -> n.put("message", t));
        ArrayNode prev = n.putArray("previous");
        for (PriorRedemption p : a.previous()) {
            ObjectNode o = prev.addObject();
            p.recordId().ifPresent(x -> o.put("recordId", x));
            o.put("at", p.at().toString()).put("spotId", p.spot().spotId()).put("spotNumber", p.spot().number())
                    .put("spotName", p.spot().name()).put("deviceId", p.deviceId());
            p.gate().ifPresent(g -> o.put("gate", g));
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new TicketingException("cannot write a redeem answer", e);
        }
    }

    private static RedeemAnswer readAnswer(String text) {
        try {
            JsonNode n = JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
            List<PriorRedemption> prev = new ArrayList<>();
            for (JsonNode o : n.path("previous")) {
                prev.add(new PriorRedemption(opt(o, "recordId"), Instant.parse(o.get("at").asText()),
                        new SpotRef(o.get("spotId").asText(), o.get("spotNumber").asLong(), o.get("spotName").asText()),
                        o.get("deviceId").asText(), opt(o, "gate")));
            }
            return new RedeemAnswer(RedeemOutcome.valueOf(n.get("outcome").asText()),
                    n.has("ticketId") ? OptionalLong.of(n.get("ticketId").asLong()) : OptionalLong.empty(),
                    opt(n, "redeemedAt").map(Instant::parse),
                    n.has("remainingUses") ? OptionalInt.of(n.get("remainingUses").asInt()) : OptionalInt.empty(),
                    prev, opt(n, "revokedAt").map(Instant::parse), opt(n, "revocationReason"), opt(n, "message"));
        } catch (java.io.IOException e) {
            throw new TicketingException("a stored redeem answer is unreadable", e);
        }
    }

    private static Optional<String> opt(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }
}
