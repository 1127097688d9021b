package org.ticketledger.ticketing.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.HoldStatus;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.UnableToRecordEntryException;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.payout.Payouts;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * Payouts and their state machine: PENDING → SENT → DONE | AWAITING_FUNDS | RETRYING →
 * MANUAL_REVIEW.
 *
 * <p>Before the rail is asked to pay, the amount is held in the ledger against the platform's
 * settlement account (a two-phase hold), so the ledger never pays out what it does not have and
 * concurrent payouts cannot overdraw it; the hold is posted on success and voided on a final
 * decline. An unknown outcome keeps the hold, is queried, and is retried with the same request id
 * inside the window, after which a person decides.
 */
final class PayoutsImpl implements Payouts {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutsImpl.class);
    private static final String ACTIVE = "('PENDING', 'SENT', 'RETRYING')";
    /**
     * A payout the sweep may claim, oldest attempt first. The state list is exactly the predicate of
     * {@code payouts_due} (V33), so the claim reads that index in order and stops after a batch.
     */
    static final String DUE = "state IN " + ACTIVE + " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)";
    static final String DUE_ORDER = "next_attempt_at NULLS FIRST";

    private final Ctx ctx;
    private final LeasedSweep sweep;
    private final Book book;
    private final RailGateway rails;
    private final Outbox outbox;
    private ProfitImpl profits;
    /** Payees' accounts by (party, version): a version's row is written once and never changed. */
    private final BoundedCache<String, PartyAccount> payees = new BoundedCache<>(10_000);

    PayoutsImpl(Ctx ctx, Book book, RailGateway rails, Outbox outbox) {
        this.ctx = ctx;
        this.sweep = new LeasedSweep(ctx, "payouts", "payout_id", DUE, DUE_ORDER, "payout", true);
        this.book = book;
        this.rails = rails;
        this.outbox = outbox;
    }

    void profits(ProfitImpl profits) {
        this.profits = profits;
    }

    // ---------------------------------------------------------------- API

    @Override
    public Optional<Payout> payout(String payoutId) {
        return ctx.db.read(h -> load(h, payoutId));
    }

    @Override
    public List<Payout> byState(PayoutState state, int limit) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.payouts WHERE state = :s ORDER BY created_at, payout_id LIMIT :n")
                .bind("s", state.name()).bind("n", Math.max(1, limit)).map((rs, c) -> row(rs)).list());
    }

    @Override
    public List<Payout> byTicket(String ticketId) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.payouts WHERE ticket_id = :t ORDER BY created_at, payout_id")
                .bind("t", ticketId).map((rs, c) -> row(rs)).list());
    }

    @Override
    public Outcome<Payout> retryPayout(String payoutId, String actor) {
        Optional<Payout> found = payout(payoutId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PAYOUT, "no payout " + payoutId);
        }
        Payout p = found.get();
        if (p.state() == PayoutState.DONE) {
            return Outcome.ok(p);
        }
        if (p.state() != PayoutState.AWAITING_FUNDS && p.state() != PayoutState.MANUAL_REVIEW) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "payout " + payoutId + " is " + p.state()
                    + " and is being processed; only AWAITING_FUNDS or MANUAL_REVIEW payouts can be retried");
        }
        Platform platform = ctx.platform().orElseThrow();
        Optional<HoldStatus> hold = p.holdSequence().isPresent()
                ? ctx.journal.holdStatus(platform.ledger(), p.holdSequence().getAsLong()) : Optional.empty();
        String token = ctx.leaseToken();
        Instant now = ctx.now();
        boolean stillHeld = hold.isPresent() && hold.get() == HoldStatus.PENDING;
        boolean moved = ctx.db.tx(h -> {
            int n;
            if (stillHeld) {
                // The last outcome is unknown and the funds are still held: ask the rail about the same
                // request id again (a new window), never pay under a new id.
                n = h.createUpdate("UPDATE ticketing.payouts SET state = 'SENT', attempts = 0, window_ends_at = :window,"
                                + " next_attempt_at = :now, lease_owner = :tok, lease_until = :until, reason = NULL, updated_at = :now"
                                + " WHERE payout_id = :id AND state = :from")
                        .bind("window", Db.ts(now.plus(ctx.jobs.payoutRetryWindow())))
                        .bind("now", Db.ts(now)).bind("tok", token).bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                        .bind("id", payoutId).bind("from", p.state().name())
                        .execute();
            } else {
                // A new round (new hold) under the same request id (V32): a delayed copy of the
                // declined request may still be carried out, and must be this round's payment.
                n = h.createUpdate("UPDATE ticketing.payouts SET state = 'PENDING', round = round + 1,"
                                + " request_round = COALESCE(request_round, round), attempts = 0, window_ends_at = NULL,"
                                + " hold_sequence = NULL, next_attempt_at = :now, lease_owner = :tok,"
                                + " lease_until = :until, reason = NULL, updated_at = :now WHERE payout_id = :id AND state = :from")
                        .bind("now", Db.ts(now)).bind("tok", token).bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                        .bind("id", payoutId).bind("from", p.state().name())
                        .execute();
            }
            if (n == 1) {
                String to = stillHeld ? "SENT" : "PENDING";
                History.record(h, ctx, p.orderId(), "PAYOUT", p.id(), p.state().name(), to, "payout.retried",
                        "by " + actor + (stillHeld ? ", querying " + p.requestId() + " again" : ", new round " + (p.round() + 1) + " as " + p.requestId()));
                Audit.record(h, ctx, actor, "payout.retried", p.id(), p.state() + " -> " + to);
            }
            return n == 1;
        });
        if (!moved) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "payout " + payoutId + " changed state meanwhile; look again");
        }
        drive(payoutId, token);
        return Outcome.ok(payout(payoutId).orElseThrow());
    }

    // ---------------------------------------------------------------- creation (inside the caller's transaction)

    static Payout insert(Handle h, Ctx ctx, String payoutId, PayoutKind kind, Ticket t, String partyId, int accountVersion,
                         RailId rail, Money gross, Money fee) {
        Instant now = ctx.now();
        // RETURNING: the row as stored (defaults included), without reading it again.
        Payout inserted = h.createQuery("INSERT INTO ticketing.payouts (payout_id, kind, ticket_id, order_id, party_id,"
                        + " account_version, rail, gross_minor, fee_minor, net_minor, currency, state, next_attempt_at, created_at,"
                        + " updated_at) VALUES (:id, :kind, :t, :o, :p, :v, :rail, :gross, :fee, :net, :cur, 'PENDING', :now, :now,"
                        + " :now) RETURNING *")
                .bind("id", payoutId).bind("kind", kind.name()).bind("t", t.id()).bind("o", t.orderId()).bind("p", partyId)
                .bind("v", accountVersion).bind("rail", rail.value()).bind("gross", gross.minor()).bind("fee", fee.minor())
                .bind("net", gross.minus(fee).minor()).bind("cur", gross.currency().getCurrencyCode())
                .bind("now", Db.ts(now))
                .map((rs, c) -> row(rs)).one();
        History.record(h, ctx, t.orderId(), "PAYOUT", payoutId, null, "PENDING", "payout.created",
                kind + " to " + partyId + " on " + rail + ": " + gross.toDecimalString() + " − fee " + fee.toDecimalString());
        return inserted;
    }

    /** A payout of a profit share (inside the caller's transaction); the run id stands for ticket and order. */
    static void insertProfitShare(Handle h, Ctx ctx, String payoutId, String runId, String partyId, int accountVersion,
                                  RailId rail, Money amount) {
        Instant now = ctx.now();
        h.createUpdate("INSERT INTO ticketing.payouts (payout_id, kind, ticket_id, order_id, party_id, account_version, rail,"
                        + " gross_minor, fee_minor, net_minor, currency, state, next_attempt_at, created_at, updated_at)"
                        + " VALUES (:id, 'PROFIT_SHARE', :run, :run, :p, :v, :rail, :gross, 0, :gross, :cur, 'PENDING', :now, :now, :now)"
                        + " ON CONFLICT (kind, ticket_id, party_id) DO NOTHING")
                .bind("id", payoutId).bind("run", runId).bind("p", partyId).bind("v", accountVersion)
                .bind("rail", rail.value()).bind("gross", amount.minor()).bind("cur", amount.currency().getCurrencyCode())
                .bind("now", Db.ts(now))
                .execute();
        History.record(h, ctx, runId, "PAYOUT", payoutId, null, "PENDING", "payout.created",
                "PROFIT_SHARE to " + partyId + " on " + rail + ": " + amount.toDecimalString());
    }

    // ---------------------------------------------------------------- background

    int sweep() {
        // The claim returns the rows (RETURNING *): each is driven as claimed, without a second read.
        return sweep.run((rs, c) -> row(rs), Payout::id, this::drive, ctx.jobs.payoutBackoff(3));
    }

    // ---------------------------------------------------------------- the state machine

    private void drive(String payoutId, String token) {
        drive(payout(payoutId).orElseThrow(() -> new TicketingException("payout " + payoutId + " vanished")), token);
    }

    /** Drives {@code p}, a row as stored under {@code token}'s lease (nothing else changes it meanwhile). */
    private void drive(Payout p, String token) {
        Platform platform = ctx.platform().orElseThrow();
        // Whether the final state's UPDATE gave the lease back already.
        boolean released = false;
        switch (p.state()) {
            case PENDING: {
                bookSourceUnlessBooked(platform, p);
                if (p.net().isZero()) {
                    // The fee takes it all: nothing to send, book the fee.
                    Entry e = book.post(Book.standard(platform.ledger(), "payout:" + p.id() + ":fee-only", "payout")
                            .debit(payable(p), p.gross()).credit(Book.PAYOUT_FEE, p.gross()).meta("payout", p.id()).build());
                    released = done(p, "no rail payment (fee equals the amount); ledger entry " + e.sequence(), token);
                    break;
                }
                PostResult hold = book.tryPost(holdRequest(platform, p));
                if (hold instanceof PostResult.Rejected rej) {
                    if (rej.reason() == RejectionReason.INSUFFICIENT_BALANCE) {
                        awaitFunds(p, "the ledger balance of " + Book.settlement(p.rail()) + " is below "
                                + p.net().toDecimalString());
                        break;
                    }
                    throw new UnableToRecordEntryException("ledger refused the hold of payout " + p.id() + ": "
                            + rej.reason() + " " + rej.detail());
                }
                long seq = hold.acceptedEntry().orElseThrow().sequence();
                Optional<Payout> sent = markSent(p, seq);
                if (sent.isPresent()) {
                    released = handle(platform, sent.get(), send(sent.get()), token);
                }
                break;
            }
            case SENT:
            case RETRYING: {
                RailOutcome outcome = rails.query(p.rail(), InstructionType.PAYOUT, p.requestId());
                event(p, "payout.queried", p.requestId() + ": " + OrdersImpl.describe(outcome));
                if (outcome instanceof RailOutcome.NotFound) {
                    event(p, "payout.resending", "pay " + p.requestId() + " again");
                    outcome = send(p);
                }
                released = handle(platform, p, outcome, token);
                break;
            }
            default:
                break;
        }
        if (!released) {
            sweep.release(p.id(), token);
        }
    }

    /**
     * The SENT move after the hold, with its history row, in one statement (one durable commit, no
     * transaction around it: the statement is atomic, so both or neither are written). RETURNING:
     * the row as the rail call and the ledger requests are built from, as stored.
     */
    private Optional<Payout> markSent(Payout p, long holdSequence) {
        Instant now = ctx.now();
        String detail = "held as ledger entry " + holdSequence + "; pay " + p.net().toDecimalString() + " on " + p.rail()
                + " as " + p.requestId();
        return ctx.db.jdbc(c -> {
            try (PreparedStatement st = c.prepareStatement(SENT)) {
                st.setLong(1, holdSequence);
                st.setObject(2, Db.ts(now.plus(ctx.jobs.payoutRetryWindow())));
                st.setObject(3, Db.ts(now));
                st.setObject(4, Db.ts(now));
                st.setString(5, p.id());
                st.setString(6, detail);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    private static final String SENT = "WITH moved AS (UPDATE ticketing.payouts SET state = 'SENT', hold_sequence = ?,"
            + " attempts = attempts + 1, window_ends_at = COALESCE(window_ends_at, ?::timestamptz),"
            + " next_attempt_at = ?::timestamptz, updated_at = ?::timestamptz WHERE payout_id = ? AND state = 'PENDING' RETURNING *),"
            + " ev AS (INSERT INTO ticketing.events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)"
            + " SELECT order_id, 'PAYOUT', payout_id, 'PENDING', 'SENT', 'payout.sending', ?::text, updated_at FROM moved)"
            + " SELECT * FROM moved";

    private RailOutcome send(Payout p) {
        PartyAccount payee = payees.computeIfAbsent(p.partyId() + "#" + p.accountVersion(),
                k -> ctx.db.read(h -> PartiesImpl.accountVersion(h, p.partyId(), p.accountVersion())).account());
        String title = (p.kind() == PayoutKind.REFUND ? "Ticket refund "
                : p.kind() == PayoutKind.PROFIT_SHARE ? "Profit share " : "Ticket settlement ") + p.ticketId();
        return rails.payout(Instruction.payout(p.requestId(), payee, p.net(), title));
    }

    /** Acts on the rail's answer; returns whether the lease was given back with the new state. */
    private boolean handle(Platform platform, Payout p, RailOutcome outcome, String token) {
        if (outcome instanceof RailOutcome.Succeeded s) {
            if (!s.amount().equals(p.net())) {
                review(p, "the rail reported " + s.amount() + " paid for a payout of " + p.net() + " (txn "
                        + s.railTxnId() + ")");
                return false;
            }
            // The first txn id reported is the one kept (an answer after a crash may repeat it); the
            // ledger request is built from the row as stored, so every build of it is equal.
            Payout paid = ctx.db.jdbc(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE ticketing.payouts SET rail_txn_id = COALESCE(rail_txn_id, ?)"
                        + " WHERE payout_id = ? RETURNING *")) {
                    st.setString(1, s.railTxnId());
                    st.setString(2, p.id());
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("payout " + p.id() + " vanished");
                        }
                        return row(rs);
                    }
                }
            });
            Entry e = book.post(postRequest(platform, paid));
            return done(paid, p.requestId() + " paid " + s.amount().toDecimalString() + ", rail txn " + s.railTxnId()
                    + "; ledger entry " + e.sequence(), token);
        }
        if (outcome instanceof RailOutcome.Declined d) {
            book.post(EntryRequest.voidHold(platform.ledger(), "payout:" + p.id() + ":void:" + p.round(), "payout-void",
                    p.holdSequence().orElseThrow()));
            if (d.reason() == DeclineReason.INSUFFICIENT_FUNDS) {
                awaitFunds(p, "the platform's " + p.rail() + " balance is too low (" + d.rawCode() + ")");
            } else {
                review(p, "the rail declined " + p.requestId() + ": " + d.reason() + " " + d.rawCode() + " " + d.message());
            }
            return false;
        }
        if (outcome instanceof RailOutcome.Conflict c) {
            review(p, "request-id conflict at the rail for " + p.requestId() + ": " + c.rawCode() + " " + c.message());
            return false;
        }
        String cause = OrdersImpl.describe(outcome);
        Instant now = ctx.now();
        if (p.windowEndsAt().isPresent() && !now.isBefore(p.windowEndsAt().get())) {
            review(p, "no final answer from " + p.rail() + " for " + p.requestId() + " within the retry window (last: "
                    + cause + "); the funds stay held");
            return false;
        }
        int attempt = p.attempts() + 1;
        Instant next = now.plus(ctx.jobs.payoutBackoff(attempt));
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.payouts SET state = 'RETRYING', attempts = :a, next_attempt_at = :next,"
                            + " updated_at = :now WHERE payout_id = :id AND state IN ('SENT', 'RETRYING')")
                    .bind("a", attempt).bind("next", Db.ts(next)).bind("now", Db.ts(now)).bind("id", p.id()).execute();
            if (n == 1) {
                History.record(h, ctx, p.orderId(), "PAYOUT", p.id(), p.state().name(), "RETRYING", "payout.unknown",
                        p.requestId() + ": " + cause + "; attempt " + attempt + ", next at " + next);
            }
            return null;
        });
        return false;
    }

    /**
     * DONE, and the lease given back in the same UPDATE if it is still {@code token}'s (a lease
     * another worker took over after this one's ran out stays theirs); returns whether it moved.
     */
    private boolean done(Payout p, String detail, String token) {
        // One statement with its history row, like markSent.
        return ctx.db.jdbc(c -> {
            try (PreparedStatement st = c.prepareStatement(DONE)) {
                st.setObject(1, Db.ts(ctx.now()));
                st.setString(2, token);
                st.setString(3, token);
                st.setString(4, p.id());
                st.setString(5, p.state().name());
                st.setString(6, detail);
                return st.executeUpdate() == 1;
            }
        });
    }

    private static final String DONE = "WITH moved AS (UPDATE ticketing.payouts SET state = 'DONE', next_attempt_at = NULL,"
            + " reason = NULL, updated_at = ?::timestamptz,"
            + " lease_until = CASE WHEN lease_owner = ? THEN NULL ELSE lease_until END,"
            + " lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END"
            + " WHERE payout_id = ? AND state IN ('PENDING', 'SENT', 'RETRYING') RETURNING order_id, payout_id, updated_at)"
            + " INSERT INTO ticketing.events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)"
            + " SELECT order_id, 'PAYOUT', payout_id, ?::text, 'DONE', 'payout.done', ?::text, updated_at FROM moved";

    private void awaitFunds(Payout p, String reason) {
        Platform platform = ctx.platform().orElseThrow();
        String messageId = "payout:" + p.id() + ":funds:" + p.round();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.payouts SET state = 'AWAITING_FUNDS', reason = :why, next_attempt_at = NULL,"
                            + " updated_at = :now WHERE payout_id = :id AND state IN ('PENDING', 'SENT', 'RETRYING')")
                    .bind("why", reason).bind("now", Db.ts(ctx.now())).bind("id", p.id()).execute();
            if (n == 1) {
                History.record(h, ctx, p.orderId(), "PAYOUT", p.id(), p.state().name(), "AWAITING_FUNDS", "payout.awaiting-funds",
                        reason + "; SMS " + messageId);
                outbox.enqueue(h, messageId, platform.adminPhone(), "PLATFORM_FUNDS_REQUIRED",
                        "[TicketLedger] Payout " + p.id() + " of " + p.net().toDecimalString() + " on " + p.rail()
                                + " waits for funds: " + reason + ". Top up, then retry the payout.",
                        Map.of("payout", p.id(), "amount", p.net().toDecimalString(), "rail", p.rail().value()), p.id());
            }
            return n == 1;
        });
        if (moved) {
            dispatchQuietly(messageId);
        }
    }

    private void review(Payout p, String reason) {
        LOG.warn("payout {} needs manual review: {}", p.id(), reason);
        Platform platform = ctx.platform().orElseThrow();
        String messageId = "payout:" + p.id() + ":review:" + p.round() + ":" + p.attempts();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.payouts SET state = 'MANUAL_REVIEW', reason = :why, next_attempt_at = NULL,"
                            + " updated_at = :now WHERE payout_id = :id AND state IN ('PENDING', 'SENT', 'RETRYING')")
                    .bind("why", reason).bind("now", Db.ts(ctx.now())).bind("id", p.id()).execute();
            if (n == 1) {
                History.record(h, ctx, p.orderId(), "PAYOUT", p.id(), p.state().name(), "MANUAL_REVIEW", "payout.review", reason);
                outbox.enqueue(h, messageId, platform.adminPhone(), "PAYOUT_REVIEW",
                        "[TicketLedger] Payout " + p.id() + " needs review: " + reason, Map.of("payout", p.id()), p.id());
            }
            return n == 1;
        });
        if (moved) {
            dispatchQuietly(messageId);
        }
    }

    private void event(Payout p, String event, String detail) {
        ctx.db.tx(h -> {
            History.record(h, ctx, p.orderId(), "PAYOUT", p.id(), null, p.state().name(), event, detail);
            return null;
        });
    }

    private void dispatchQuietly(String messageId) {
        try {
            outbox.dispatch(messageId);
        } catch (TicketingException e) {
            LOG.warn("message {} stays queued: {}", messageId, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- ledger entries, rebuilt from rows

    /**
     * Books what the payout settles (the redemption, or the refund) if not booked yet. Idempotent by
     * key, so redeem/refund and the payout job may both call it.
     */
    void bookSource(Payout p) {
        if (p.kind() == PayoutKind.PROFIT_SHARE) {
            // The run's shares entry is the source; approval books it, this covers an interrupted approval.
            if (profits != null) {
                profits.bookFor(p.ticketId());
            }
            return;
        }
        Platform platform = ctx.platform().orElseThrow();
        Ticket t = ctx.db.read(h -> TicketsImpl.load(h, p.ticketId(), false)).orElseThrow();
        Optional<Long> comboMargin = p.kind() == PayoutKind.SCENIC_SETTLEMENT
                ? ctx.db.read(h -> h.createQuery("SELECT margin_minor FROM ticketing.ticket_spots WHERE ticket_id = :t"
                + " AND spot_id = :s").bind("t", t.id()).bind("s", p.partyId()).mapTo(Long.class).findOne())
                : Optional.empty();
        book.post(sourceRequest(platform, p, t, comboMargin));
    }

    /**
     * {@link #bookSource}, unless the ledger has its entry already, which it usually has: the
     * redemption queued it ({@link #bookSourceSoon}) or booked it. The key alone says so (an entry
     * under it can only be this request: requests are built from stored rows only), so neither the
     * ticket nor the entry is read ({@code hasEntry}: one probe of the ledger's key index) and no
     * duplicate is queued behind the ledger's durable commits. A source entry
     * written between this look and {@link #bookSource} makes that one a duplicate, as before.
     */
    private void bookSourceUnlessBooked(Platform platform, Payout p) {
        if (p.kind() != PayoutKind.PROFIT_SHARE && ctx.journal.hasEntry(platform.ledger(), sourceKey(p))) {
            return;
        }
        bookSource(p);
    }

    /** The idempotency key of the entry booking what {@code p} settles (not a profit share's). */
    private static String sourceKey(Payout p) {
        return p.kind() == PayoutKind.SCENIC_SETTLEMENT ? "ticket:" + p.ticketId() + ":redeemed:" + p.partyId()
                : "ticket:" + p.ticketId() + ":refunded";
    }

    /**
     * Queues the source entry of a redemption just committed, from what its transaction had at
     * hand, and returns without waiting for the ledger: the answer to the device does not wait on a
     * second durable commit. Nothing is lost or booked twice: the payout was committed PENDING with
     * the redemption, and the payout job books its source (same key, same request) before paying,
     * which is a duplicate if this one was written; if this one fails, or the process dies first,
     * the payout job's is the one written.
     */
    void bookSourceSoon(TicketsImpl.Redemption r) {
        Payout p = r.payout();
        EntryRequest request;
        try {
            request = sourceRequest(ctx.platform().orElseThrow(), p, r.ticket(), r.comboMarginMinor());
        } catch (RuntimeException e) {
            LOG.warn("redemption of {} booked later by the payout job: {}", p.ticketId(), e.toString());
            return;
        }
        book.postAsync(request).whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.warn("redemption of {} booked later by the payout job: {}", p.ticketId(), failure.toString());
            } else if (result instanceof PostResult.Rejected rej) {
                LOG.warn("redemption of {} booked later by the payout job: ledger refused {}: {} {}", p.ticketId(),
                        request.idempotencyKey(), rej.reason(), rej.detail());
            }
        });
    }

    /** The entry booking what {@code p} settles, built from stored rows only (so every build is equal). */
    private static EntryRequest sourceRequest(Platform platform, Payout p, Ticket t, Optional<Long> comboMargin) {
        EntryRequest.Builder b;
        if (p.kind() == PayoutKind.SCENIC_SETTLEMENT && comboMargin.isPresent()) {
            // Combo: S_k leaves "unredeemed" for the spot; the margin D − ΣS with the redemption that completed it.
            Money margin = Money.of(comboMargin.get(), p.gross().currency());
            b = Book.standard(platform.ledger(), sourceKey(p), "redemption")
                    .debit(Book.UNREDEEMED, p.gross().plus(margin))
                    .credit(Book.scenicPayable(p.partyId()), p.gross());
            if (margin.isPositive()) {
                b.credit(Book.MARGIN, margin);
            }
        } else if (p.kind() == PayoutKind.SCENIC_SETTLEMENT) {
            // Single ticket: the whole face value leaves "unredeemed"; S to the spot, the rest is margin.
            Money margin = t.faceValue().minus(p.gross());
            b = Book.standard(platform.ledger(), sourceKey(p), "redemption")
                    .debit(Book.UNREDEEMED, t.faceValue())
                    .credit(Book.scenicPayable(p.partyId()), p.gross());
            if (margin.isPositive()) {
                b.credit(Book.MARGIN, margin);
            }
        } else {
            Money feeBack = p.gross().minus(t.faceValue());
            b = Book.standard(platform.ledger(), sourceKey(p), "refund")
                    .debit(Book.UNREDEEMED, t.faceValue());
            if (feeBack.isPositive()) {
                b.debit(Book.ISSUANCE_FEE, feeBack);
            }
            b.credit(Book.refundPayable(p.partyId()), p.gross());
        }
        return b.meta("ticket", t.id()).meta("order", t.orderId()).meta("payout", p.id()).build();
    }

    private static AccountCode payable(Payout p) {
        switch (p.kind()) {
            case SCENIC_SETTLEMENT:
                return Book.scenicPayable(p.partyId());
            case PROFIT_SHARE:
                return Book.profitPayable(p.partyId());
            default:
                return Book.refundPayable(p.partyId());
        }
    }

    private EntryRequest holdRequest(Platform platform, Payout p) {
        EntryRequest.Builder b = EntryRequest.hold(platform.ledger(), "payout:" + p.id() + ":hold:" + p.round(), "payout-hold");
        postings(b, p);
        return b.meta("payout", p.id()).meta("request", p.requestId().value()).build();
    }

    private EntryRequest postRequest(Platform platform, Payout p) {
        EntryRequest.Builder b = Book.holdPost(platform.ledger(), "payout:" + p.id() + ":paid", "payout", p.holdSequence().orElseThrow());
        postings(b, p);
        return b.meta("payout", p.id()).meta("request", p.requestId().value())
                .meta("rail-txn", p.railTxnId().orElseThrow()).build();
    }

    private static void postings(EntryRequest.Builder b, Payout p) {
        b.debit(payable(p), p.gross()).credit(Book.settlement(p.rail()), p.net());
        if (p.fee().isPositive()) {
            b.credit(Book.PAYOUT_FEE, p.fee());
        }
    }

    static Optional<Payout> load(Handle h, String payoutId) {
        return h.createQuery("SELECT * FROM ticketing.payouts WHERE payout_id = :id").bind("id", payoutId)
                .map((rs, c) -> row(rs)).findOne();
    }

    /** A payout from a row of {@code ticketing.payouts} (or the same columns expanded from its row type). */
    static Payout row(ResultSet rs) throws SQLException {
        Currency cur = Currency.getInstance(rs.getString("currency"));
        long hold = rs.getLong("hold_sequence");
        OptionalLong holdSeq = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(hold);
        return new Payout(rs.getString("payout_id"), PayoutKind.valueOf(rs.getString("kind")), rs.getString("ticket_id"),
                rs.getString("order_id"), rs.getString("party_id"), rs.getInt("account_version"),
                RailId.of(rs.getString("rail")), Money.of(rs.getLong("gross_minor"), cur), Money.of(rs.getLong("fee_minor"), cur),
                Money.of(rs.getLong("net_minor"), cur), PayoutState.valueOf(rs.getString("state")), rs.getInt("round"),
                Db.requestRound(rs, "round"), rs.getInt("attempts"), Db.optInstant(rs, "next_attempt_at"), Db.optInstant(rs, "window_ends_at"),
                Db.optString(rs, "rail_txn_id"), Db.optString(rs, "reason"), Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"), holdSeq);
    }
}
