package org.ticketledger.ticketing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.HoldStatus;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;
import org.ticketledger.payment.WealthInstruction;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.UnableToRecordEntryException;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketSpot;
import org.ticketledger.ticketing.wealth.BulkRetry;
import org.ticketledger.ticketing.wealth.InstructionKind;
import org.ticketledger.ticketing.wealth.InstructionPurpose;
import org.ticketledger.ticketing.wealth.InstructionState;
import org.ticketledger.ticketing.wealth.PlanInstruction;
import org.ticketledger.ticketing.wealth.PlanState;
import org.ticketledger.ticketing.wealth.TicketYield;
import org.ticketledger.ticketing.wealth.Wealth;
import org.ticketledger.ticketing.wealth.WealthPlan;

/**
 * Wealth plans: invest and withdraw instructions, and each plan's close at expiry.
 *
 * <p>Instructions follow the payout state machine. An invest first holds D × quantity in the
 * ledger against the platform's settlement account at the wealth rail (Dr wealth / Cr settlement),
 * so a short account waits (AWAITING_FUNDS, admin SMS) before the rail is asked and concurrent
 * payouts cannot spend the same money; the rail's answer posts or voids the hold. A withdraw moves
 * a spot's price back once its ticket's invest is done. Unknown outcomes are queried, and the same
 * request id is re-sent only when the rail never saw it.
 *
 * <p>The plan close is the combo expiry job: at {@code expires_at} the plan turns CLOSING under a
 * row lock that redemption and issuance also take (so nothing new is created for it), instructions
 * not yet sent are cancelled, its tickets expire; once no instruction is in flight the plan is
 * redeemed in full (the only operation that pays yield), the principal is checked against the
 * books, the yield is booked and attributed to tickets.
 */
final class WealthImpl implements Wealth {

    private static final Logger LOG = LoggerFactory.getLogger(WealthImpl.class);
    private static final String ACTIVE = "('PENDING', 'SENT', 'RETRYING')";

    private final Ctx ctx;
    private final LeasedSweep instructionSweep;
    private final LeasedSweep planSweep;
    private final Book book;
    private final RailGateway rails;
    private final Outbox outbox;
    private final ExpiryImpl expiry;

    WealthImpl(Ctx ctx, Book book, RailGateway rails, Outbox outbox, ExpiryImpl expiry) {
        this.ctx = ctx;
        // One row at a time: concurrent drives of one plan's instructions and its close are not reasoned
        // about yet (orders and payouts are driven from API threads concurrently anyway).
        this.instructionSweep = new LeasedSweep(ctx, "plan_instructions", "instruction_id",
                "state IN " + ACTIVE + " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)",
                "next_attempt_at NULLS FIRST, created_at", "wealth instruction", false);
        this.planSweep = new LeasedSweep(ctx, "wealth_plans", "plan_id",
                "(state = 'OPEN' AND expires_at <= :now) OR (state = 'CLOSING' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))",
                "expires_at", "plan", false);
        this.book = book;
        this.rails = rails;
        this.outbox = outbox;
        this.expiry = expiry;
    }

    // ================================================================ hooks inside callers' transactions

    /** The plan a product is invested in, if it is a combo. */
    static Optional<String> planOf(Handle h, String productId) {
        return h.createQuery("SELECT plan_id FROM ticketing.combo_products WHERE product_id = :p")
                .bind("p", productId).mapTo(String.class).findOne();
    }

    /**
     * For a combo ticket: locks its plan (shared, against the close) and refuses when the plan is
     * no longer open. Empty for a single ticket.
     */
    static Optional<String> lockOpenPlan(Handle h, Ticket t) {
        Optional<String> plan = planOf(h, t.productId());
        if (plan.isPresent()) {
            String state = h.createQuery("SELECT state FROM ticketing.wealth_plans WHERE plan_id = :p FOR SHARE")
                    .bind("p", plan.get()).mapTo(String.class).one();
            if (!state.equals(PlanState.OPEN.name())) {
                throw new Db.Refusal(Problem.of(ErrorCode.TICKET_EXPIRED, "combo ticket " + t.number()
                        + " has expired: its combo's wealth plan " + plan.get() + " is " + state
                        + "; what was not redeemed is breakage"));
            }
        }
        return plan;
    }

    /** Queues the invest of a combo order's distributor prices (once per order). */
    static void insertInvest(Handle h, Ctx ctx, Order o, String planId) {
        String id = Ids.next("wi", ctx.clock);
        Money amount = o.unitPrice().times(o.quantity());
        int n = insert(h, ctx, id, InstructionKind.INVEST, InstructionPurpose.ISSUANCE, planId, o.id(), null, null, amount);
        if (n == 1) {
            History.record(h, ctx, o.id(), "INVEST", id, null, "PENDING", "invest.created",
                    "subscribe " + amount.toDecimalString() + " into plan " + planId);
        }
    }

    /**
     * After a combo redemption (inside its transaction): records the margin the redemption
     * recognises (D − ΣS when it completes the ticket) and queues the withdraw of the spot's price.
     * Returns the margin recorded, in minor units.
     */
    static long onRedeemed(Handle h, Ctx ctx, Ticket t, String spotId, boolean completes, String planId) {
        TicketSpot spot = t.spots().stream().filter(s -> s.spotId().equals(spotId)).findFirst().orElseThrow();
        long margin = 0;
        if (completes) {
            long scenic = t.spots().stream().mapToLong(s -> s.scenicPrice().minor()).sum();
            margin = Math.max(0, t.faceValue().minor() - scenic);
        }
        h.createUpdate("UPDATE ticketing.ticket_spots SET margin_minor = :m WHERE ticket_id = :t AND spot_id = :s")
                .bind("m", margin).bind("t", t.id()).bind("s", spotId).execute();
        insertWithdraw(h, ctx, t, planId, spotId, spot.scenicPrice(), InstructionPurpose.REDEMPTION);
        return margin;
    }

    /** Queues a withdraw for a ticket (a spot's price after a redemption, or D after a refund). */
    static void insertWithdraw(Handle h, Ctx ctx, Ticket t, String planId, String spotId, Money amount,
                               InstructionPurpose purpose) {
        String id = Ids.next("wi", ctx.clock);
        int n = insert(h, ctx, id, InstructionKind.WITHDRAW, purpose, planId, t.orderId(), t.id(), spotId, amount);
        if (n == 1) {
            History.record(h, ctx, t.orderId(), "WITHDRAW", id, null, "PENDING", "withdraw.created",
                    "redeem " + amount.toDecimalString() + " from plan " + planId + " for ticket " + t.number()
                            + (spotId == null ? " (refund)" : " at " + spotId));
        }
    }

    private static int insert(Handle h, Ctx ctx, String id, InstructionKind kind, InstructionPurpose purpose, String planId,
                              String orderId, String ticketId, String spotId, Money amount) {
        Instant now = ctx.now();
        return h.createUpdate("INSERT INTO ticketing.plan_instructions (instruction_id, kind, purpose, plan_id, order_id,"
                        + " ticket_id, spot_id, amount_minor, currency, state, next_attempt_at, created_at, updated_at)"
                        + " VALUES (:id, :kind, :purpose, :plan, :o, :t, :s, :amount, :cur, 'PENDING', :now, :now, :now)"
                        + " ON CONFLICT DO NOTHING")
                .bind("id", id).bind("kind", kind.name()).bind("purpose", purpose.name()).bind("plan", planId)
                .bind("o", orderId).bind("t", ticketId).bind("s", spotId).bind("amount", amount.minor())
                .bind("cur", amount.currency().getCurrencyCode()).bind("now", Db.ts(now))
                .execute();
    }

    /** Whether a combo product can be sold now: its plan is open and not yet expired. */
    Optional<Problem> checkSellable(String productId) {
        Optional<WealthPlan> plan = ctx.db.read(h -> planOf(h, productId).flatMap(p -> loadPlan(h, p)));
        if (plan.isEmpty()) {
            return Optional.of(Problem.of(ErrorCode.UNKNOWN_PRODUCT, "product " + productId + " is not a combo"));
        }
        WealthPlan p = plan.get();
        if (p.state() != PlanState.OPEN || !ctx.now().isBefore(p.expiresAt())) {
            return Optional.of(Problem.of(ErrorCode.PLAN_NOT_OPEN, "combo " + productId + " expired at " + p.expiresAt()
                    + " (its wealth plan " + p.plan() + " is " + p.state() + ")"));
        }
        return Optional.empty();
    }

    // ================================================================ API

    @Override
    public Optional<WealthPlan> plan(String planId) {
        return ctx.db.read(h -> loadPlan(h, planId));
    }

    @Override
    public List<WealthPlan> plans() {
        return ctx.db.read(h -> {
            List<WealthPlan> out = new ArrayList<>();
            for (String id : h.createQuery("SELECT plan_id FROM ticketing.wealth_plans ORDER BY expires_at, plan_id")
                    .mapTo(String.class).list()) {
                loadPlan(h, id).ifPresent(out::add);
            }
            return out;
        });
    }

    @Override
    public Optional<PlanInstruction> instruction(String instructionId) {
        return ctx.db.read(h -> load(h, instructionId));
    }

    @Override
    public List<PlanInstruction> byPlan(String planId) {
        return list("plan_id = :v", planId);
    }

    @Override
    public List<PlanInstruction> byOrder(String orderId) {
        return list("order_id = :v", orderId);
    }

    @Override
    public List<PlanInstruction> byState(InstructionState state, int limit) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.plan_instructions WHERE state = :s"
                        + " ORDER BY created_at, instruction_id LIMIT :n")
                .bind("s", state.name()).bind("n", Math.max(1, limit)).map((rs, c) -> row(rs)).list());
    }

    private List<PlanInstruction> list(String where, String value) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.plan_instructions WHERE " + where
                        + " ORDER BY created_at, instruction_id")
                .bind("v", value).map((rs, c) -> row(rs)).list());
    }

    @Override
    public Outcome<PlanInstruction> retry(String instructionId, String actor) {
        Optional<PlanInstruction> found = instruction(instructionId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_WEALTH_INSTRUCTION, "no invest or withdraw instruction " + instructionId);
        }
        PlanInstruction i = found.get();
        if (i.state() == InstructionState.DONE) {
            return Outcome.ok(i);
        }
        if (i.state() != InstructionState.AWAITING_FUNDS && i.state() != InstructionState.MANUAL_REVIEW) {
            return Outcome.refused(ErrorCode.INVALID_STATE, i.kind() + " " + instructionId + " is " + i.state()
                    + "; only AWAITING_FUNDS or MANUAL_REVIEW instructions can be retried");
        }
        WealthPlan plan = plan(i.plan().value()).orElseThrow();
        if (plan.state() == PlanState.CLOSED) {
            return Outcome.refused(ErrorCode.PLAN_NOT_OPEN, "plan " + plan.plan() + " is closed; " + instructionId
                    + " can no longer be sent");
        }
        Platform platform = ctx.platform().orElseThrow();
        // An invest whose hold is still pending may have moved money: ask about the same request id again,
        // never move money under a new one. A withdraw keeps its request id for good (it holds nothing), so
        // it is always asked about first; a withdraw the rail never saw is simply sent.
        boolean mayHaveMoved = i.kind() == InstructionKind.WITHDRAW
                || i.holdSequence().isPresent()
                && ctx.journal.holdStatus(platform.ledger(), i.holdSequence().getAsLong()).orElse(null) == HoldStatus.PENDING;
        String token = ctx.leaseToken();
        Instant now = ctx.now();
        boolean moved = ctx.db.tx(h -> {
            int n;
            if (mayHaveMoved) {
                n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'SENT', attempts = 0, window_ends_at = :window,"
                                + " next_attempt_at = :now, lease_owner = :tok, lease_until = :until, reason = NULL, updated_at = :now"
                                + " WHERE instruction_id = :id AND state = :from")
                        .bind("window", Db.ts(now.plus(ctx.jobs.payoutRetryWindow()))).bind("now", Db.ts(now))
                        .bind("tok", token).bind("until", Db.ts(now.plus(ctx.jobs.lease()))).bind("id", i.id())
                        .bind("from", i.state().name()).execute();
            } else {
                // A new round (new hold) under the same request id (V32): a delayed copy of the
                // declined request may still be carried out, and must be this round's.
                n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'PENDING', round = round + 1,"
                                + " request_round = COALESCE(request_round, round), attempts = 0, window_ends_at = NULL,"
                                + " hold_sequence = NULL, next_attempt_at = :now, lease_owner = :tok,"
                                + " lease_until = :until, reason = NULL, updated_at = :now WHERE instruction_id = :id AND state = :from")
                        .bind("now", Db.ts(now)).bind("tok", token).bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                        .bind("id", i.id()).bind("from", i.state().name()).execute();
            }
            if (n == 1) {
                String to = mayHaveMoved ? "SENT" : "PENDING";
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), i.state().name(), to, "wealth.retried",
                        "by " + actor + (mayHaveMoved ? ", querying " + i.requestId() + " again" : ", sending again"));
                Audit.record(h, ctx, actor, "wealth.retried", i.id(), i.state() + " -> " + to);
            }
            return n == 1;
        });
        if (!moved) {
            return Outcome.refused(ErrorCode.INVALID_STATE, instructionId + " changed state meanwhile; look again");
        }
        drive(i.id(), token);
        return Outcome.ok(instruction(i.id()).orElseThrow());
    }

    @Override
    public BulkRetry retryAwaitingFunds(String actor, Optional<Money> approvalLimit) {
        Objects.requireNonNull(approvalLimit, "approvalLimit");
        int n = 0;
        List<String> needApproval = new ArrayList<>();
        for (PlanInstruction i : byState(InstructionState.AWAITING_FUNDS, 10_000)) {
            if (approvalLimit.isPresent() && i.amount().isGreaterThan(approvalLimit.get())) {
                needApproval.add(i.id());
            } else if (retry(i.id(), actor).isOk()) {
                n++;
            }
        }
        return new BulkRetry(n, needApproval);
    }

    @Override
    public Outcome<WealthPlan> retryClose(String planId, String actor) {
        Optional<WealthPlan> found = plan(planId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PLAN, "no wealth plan " + planId);
        }
        WealthPlan p = found.get();
        if (p.state() == PlanState.CLOSED) {
            return Outcome.ok(p);
        }
        if (p.state() != PlanState.MANUAL_REVIEW) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "plan " + planId + " is " + p.state()
                    + "; only a plan in MANUAL_REVIEW can be retried");
        }
        String token = ctx.leaseToken();
        Instant now = ctx.now();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.wealth_plans SET state = 'CLOSING', attempts = 0, window_ends_at = NULL,"
                            + " next_attempt_at = :now, lease_owner = :tok, lease_until = :until, reason = NULL, updated_at = :now"
                            + " WHERE plan_id = :id AND state = 'MANUAL_REVIEW'")
                    .bind("now", Db.ts(now)).bind("tok", token).bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                    .bind("id", planId).execute();
            if (n == 1) {
                History.record(h, ctx, planId, "PLAN", planId, "MANUAL_REVIEW", "CLOSING", "plan.retried", "by " + actor);
                Audit.record(h, ctx, actor, "plan.retried", planId, "MANUAL_REVIEW -> CLOSING");
            }
            return n == 1;
        });
        if (!moved) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "plan " + planId + " changed state meanwhile; look again");
        }
        drivePlan(planId, token);
        return Outcome.ok(plan(planId).orElseThrow());
    }

    @Override
    public Outcome<WealthPlan> acceptRailPrincipal(String planId, String actor, String reason) {
        Optional<WealthPlan> found = plan(planId);
        if (found.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PLAN, "no wealth plan " + planId);
        }
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: reason must have 1-200 characters",
                    List.of(new Problem.FieldError("reason", "must have 1-200 characters"))));
        }
        WealthPlan p = found.get();
        if (p.state() != PlanState.MANUAL_REVIEW || !sent(planId)) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "plan " + planId + " is " + p.state()
                    + "; only a plan in review after its redeem-all can accept the rail's principal");
        }
        RailOutcome outcome = rails.query(ctx.wealthRail, InstructionType.REDEEM_ALL, p.closeRequestId());
        if (!(outcome instanceof RailOutcome.Succeeded s)) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "the rail reports no completed redeem-all for " + p.closeRequestId()
                    + " (" + OrdersImpl.describe(outcome) + "); use retryClose");
        }
        Platform platform = ctx.platform().orElseThrow();
        Money principal = s.amount().minus(s.yield().orElse(Money.zero(s.amount().currency())));
        Money diff = principal.minus(p.invested());
        if (!diff.isZero()) {
            Money abs = diff.isNegative() ? diff.negate() : diff;
            EntryRequest.Builder b = Book.standard(platform.ledger(), "plan:" + planId + ":adjusted", "wealth-adjustment");
            if (diff.isNegative()) {
                b.debit(Book.settlement(ctx.wealthRail), abs).credit(Book.wealth(ctx.wealthRail), abs);
            } else {
                b.debit(Book.wealth(ctx.wealthRail), abs).credit(Book.settlement(ctx.wealthRail), abs);
            }
            book.post(b.meta("plan", planId).meta("actor", actor).meta("reason", reason).build());
        }
        String token = ctx.leaseToken();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.wealth_plans SET state = 'CLOSING', adjustment_minor = :adj, lease_owner = :tok,"
                            + " lease_until = :until, reason = NULL, updated_at = :now WHERE plan_id = :p AND state = 'MANUAL_REVIEW'")
                    .bind("adj", diff.minor()).bind("tok", token).bind("until", Db.ts(ctx.now().plus(ctx.jobs.lease())))
                    .bind("now", Db.ts(ctx.now())).bind("p", planId).execute();
            if (n == 1) {
                History.record(h, ctx, planId, "PLAN", planId, "MANUAL_REVIEW", "CLOSING", "plan.principal-accepted",
                        "by " + actor + ": the rail's principal " + principal.toDecimalString() + " accepted against the books' "
                                + p.invested().toDecimalString() + " (" + reason + ")");
                Audit.record(h, ctx, actor, "plan.principal-accepted", planId, diff.toDecimalString() + ": " + reason);
            }
            return n == 1;
        });
        if (!moved) {
            return Outcome.refused(ErrorCode.INVALID_STATE, "plan " + planId + " changed state meanwhile; look again");
        }
        handleClose(platform, plan(planId).orElseThrow(), outcome);
        planSweep.release(planId, token);
        return Outcome.ok(plan(planId).orElseThrow());
    }

    @Override
    public List<TicketYield> yields(String planId) {
        return ctx.db.read(h -> h.createQuery("SELECT y.* FROM ticketing.ticket_yields y JOIN ticketing.tickets t"
                        + " ON t.ticket_id = y.ticket_id WHERE y.plan_id = :p ORDER BY t.issued_at, t.ticket_id")
                .bind("p", planId)
                .map((rs, c) -> new TicketYield(rs.getString("ticket_id"), PlanId.of(rs.getString("plan_id")),
                        rs.getBigDecimal("weight").toBigIntegerExact(),
                        Money.of(rs.getLong("yield_minor"), Currency.getInstance(rs.getString("currency")))))
                .list());
    }

    // ================================================================ background: instructions

    /** Drives due, unleased instructions; returns how many were driven. */
    int sweepInstructions() {
        return instructionSweep.run(this::drive, ctx.jobs.payoutBackoff(3));
    }

    private void drive(String id, String token) {
        PlanInstruction i = instruction(id).orElseThrow(() -> new TicketingException("instruction " + id + " vanished"));
        Platform platform = ctx.platform().orElseThrow();
        switch (i.state()) {
            case PENDING:
                drivePending(platform, i);
                break;
            case SENT:
            case RETRYING: {
                RailOutcome outcome = rails.query(ctx.wealthRail, type(i), i.requestId());
                event(i, i.kind().name().toLowerCase() + ".queried", i.requestId() + ": " + OrdersImpl.describe(outcome));
                if (outcome instanceof RailOutcome.NotFound) {
                    // The rail never saw this request id: sending it now cannot move money twice.
                    event(i, i.kind().name().toLowerCase() + ".resending", "send " + i.requestId() + " again");
                    outcome = send(i);
                }
                handle(platform, i, outcome);
                break;
            }
            default:
                break;
        }
        instructionSweep.release(id, token);
    }

    private void drivePending(Platform platform, PlanInstruction i) {
        PlanState planState = plan(i.plan().value()).orElseThrow().state();
        if (planState != PlanState.OPEN) {
            cancel(platform, i, "plan " + i.plan() + " is " + planState + " before this was sent; the redeem-all at expiry"
                    + " settles its money");
            return;
        }
        if (i.kind() == InstructionKind.WITHDRAW) {
            PlanInstruction invest = ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.plan_instructions"
                            + " WHERE kind = 'INVEST' AND order_id = :o").bind("o", i.orderId()).map((rs, c) -> row(rs)).one());
            if (invest.state() == InstructionState.CANCELLED) {
                cancel(platform, i, "the ticket's money was never invested (invest " + invest.id() + " was cancelled)");
                return;
            }
            if (invest.state() != InstructionState.DONE) {
                // Principal the ticket has not put in cannot come out; the invest's completion wakes this up.
                waitFor(i, "waits for invest " + invest.id() + " (" + invest.state() + ")");
                return;
            }
        }
        OptionalLong hold = OptionalLong.empty();
        if (i.kind() == InstructionKind.INVEST) {
            PostResult r = book.tryPost(holdRequest(platform, i));
            if (r instanceof PostResult.Rejected rej) {
                if (rej.reason() == RejectionReason.INSUFFICIENT_BALANCE) {
                    awaitFunds(platform, i, "the ledger balance of " + Book.settlement(ctx.wealthRail) + " is below "
                            + i.amount().toDecimalString() + " (a combo paid on another rail is invested from the platform's "
                            + ctx.wealthRail + " account)");
                    return;
                }
                throw new UnableToRecordEntryException("ledger refused the hold of invest " + i.id() + ": " + rej.reason()
                        + " " + rej.detail());
            }
            hold = OptionalLong.of(r.acceptedEntry().orElseThrow().sequence());
        }
        OptionalLong held = hold;
        Instant now = ctx.now();
        boolean moved = ctx.db.tx(h -> {
            // The plan lock orders this against the close: once it is CLOSING, nothing new reaches the rail.
            String state = h.createQuery("SELECT state FROM ticketing.wealth_plans WHERE plan_id = :p FOR SHARE")
                    .bind("p", i.plan().value()).mapTo(String.class).one();
            if (!state.equals(PlanState.OPEN.name())) {
                return false;
            }
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'SENT', hold_sequence = :seq,"
                            + " attempts = attempts + 1, window_ends_at = COALESCE(window_ends_at, :window), next_attempt_at = :now,"
                            + " updated_at = :now WHERE instruction_id = :id AND state = 'PENDING'")
                    .bind("seq", held.isPresent() ? held.getAsLong() : null)
                    .bind("window", Db.ts(now.plus(ctx.jobs.payoutRetryWindow()))).bind("now", Db.ts(now)).bind("id", i.id())
                    .execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), "PENDING", "SENT", i.kind().name().toLowerCase()
                        + ".sending", (held.isPresent() ? "held as ledger entry " + held.getAsLong() + "; " : "")
                        + verb(i) + " " + i.amount().toDecimalString() + " as " + i.requestId());
            }
            return n == 1;
        });
        if (!moved) {
            PlanInstruction now2 = instruction(i.id()).orElseThrow();
            if (now2.state() == InstructionState.PENDING || now2.state() == InstructionState.CANCELLED) {
                cancel(platform, now2, "plan " + i.plan() + " closed before this was sent");
            }
            return;
        }
        PlanInstruction sent = instruction(i.id()).orElseThrow();
        handle(platform, sent, send(sent));
    }

    private RailOutcome send(PlanInstruction i) {
        WealthInstruction w = new WealthInstruction(i.requestId(), i.plan(), i.amount());
        return i.kind() == InstructionKind.INVEST ? rails.subscribe(ctx.wealthRail, w) : rails.redeem(ctx.wealthRail, w);
    }

    private void handle(Platform platform, PlanInstruction i, RailOutcome outcome) {
        if (outcome instanceof RailOutcome.Succeeded s) {
            if (!s.amount().equals(i.amount())) {
                review(platform, i, "the rail reported " + s.amount() + " for " + i.amount() + " (txn " + s.railTxnId() + ")");
                return;
            }
            ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.plan_instructions SET rail_txn_id = :txn, rail_at = :at"
                            + " WHERE instruction_id = :id AND rail_txn_id IS NULL")
                    .bind("txn", s.railTxnId()).bind("at", Db.ts(s.at())).bind("id", i.id()).execute());
            PlanInstruction moved = instruction(i.id()).orElseThrow();
            Entry e = book.post(i.kind() == InstructionKind.INVEST ? investPost(platform, moved) : withdrawEntry(platform, moved));
            done(moved, i.requestId() + " " + verb(i) + " " + s.amount().toDecimalString() + ", rail txn " + s.railTxnId()
                    + "; ledger entry " + e.sequence());
            return;
        }
        if (outcome instanceof RailOutcome.Declined d) {
            if (i.kind() == InstructionKind.INVEST) {
                voidHold(platform, i);
                if (d.reason() == DeclineReason.INSUFFICIENT_FUNDS) {
                    awaitFunds(platform, i, "the platform's " + ctx.wealthRail + " balance is too low (" + d.rawCode() + ")");
                } else if (d.reason() == DeclineReason.PLAN_CLOSED) {
                    // Temporarily closed: a refusal binds nothing at the rail; a new round (new hold, same
                    // request id) later.
                    nextRound(i, "plan " + i.plan() + " is temporarily closed at the rail (" + d.rawCode() + ")");
                } else {
                    review(platform, i, "the rail declined " + i.requestId() + ": " + d.reason() + " " + d.rawCode() + " "
                            + d.message());
                }
            } else if (d.reason() == DeclineReason.PLAN_CLOSED) {
                retrying(platform, i, "plan " + i.plan() + " is temporarily closed at the rail (" + d.rawCode() + ")");
            } else {
                review(platform, i, "the rail declined " + i.requestId() + ": " + d.reason() + " " + d.rawCode() + " "
                        + d.message());
            }
            return;
        }
        if (outcome instanceof RailOutcome.Conflict c) {
            review(platform, i, "request-id conflict at the rail for " + i.requestId() + ": " + c.rawCode() + " " + c.message());
            return;
        }
        retrying(platform, i, OrdersImpl.describe(outcome));
    }

    private void retrying(Platform platform, PlanInstruction i, String cause) {
        Instant now = ctx.now();
        PlanInstruction current = instruction(i.id()).orElseThrow();
        Optional<Instant> window = ctx.db.read(h -> h.createQuery("SELECT window_ends_at FROM ticketing.plan_instructions"
                + " WHERE instruction_id = :id").bind("id", i.id()).map((rs, c) -> Db.optInstant(rs, "window_ends_at")).one());
        if (window.isPresent() && !now.isBefore(window.get())) {
            review(platform, current, "no final answer from " + ctx.wealthRail + " for " + i.requestId()
                    + " within the retry window (last: " + cause + ")");
            return;
        }
        int attempt = current.attempts() + 1;
        Instant next = now.plus(ctx.jobs.payoutBackoff(attempt));
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'RETRYING', attempts = :a,"
                            + " next_attempt_at = :next, updated_at = :now WHERE instruction_id = :id AND state IN ('SENT', 'RETRYING')")
                    .bind("a", attempt).bind("next", Db.ts(next)).bind("now", Db.ts(now)).bind("id", i.id()).execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), current.state().name(), "RETRYING",
                        i.kind().name().toLowerCase() + ".unknown", i.requestId() + ": " + cause + "; attempt " + attempt
                                + ", next at " + next);
            }
            return null;
        });
    }

    private void nextRound(PlanInstruction i, String reason) {
        Instant now = ctx.now();
        Instant next = now.plus(ctx.jobs.payoutBackoff(i.attempts() + 1));
        ctx.db.tx(h -> {
            // Same request id in the new round (V32), as in retry above.
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'PENDING', round = round + 1,"
                            + " request_round = COALESCE(request_round, round), hold_sequence = NULL, window_ends_at = NULL,"
                            + " next_attempt_at = :next, reason = :why, updated_at = :now"
                            + " WHERE instruction_id = :id AND state IN ('SENT', 'RETRYING')")
                    .bind("next", Db.ts(next)).bind("why", reason).bind("now", Db.ts(now)).bind("id", i.id()).execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), i.state().name(), "PENDING",
                        i.kind().name().toLowerCase() + ".declined", reason + "; new round " + (i.round() + 1) + " as " + i.requestId() + " at " + next);
            }
            return null;
        });
    }

    private void waitFor(PlanInstruction i, String reason) {
        Instant now = ctx.now();
        ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.plan_instructions SET reason = :why, next_attempt_at = :next,"
                        + " updated_at = :now WHERE instruction_id = :id AND state = 'PENDING'")
                .bind("why", reason).bind("next", Db.ts(now.plus(ctx.jobs.payoutRetryWindow().dividedBy(10))))
                .bind("now", Db.ts(now)).bind("id", i.id()).execute());
    }

    private void done(PlanInstruction i, String detail) {
        Instant now = ctx.now();
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'DONE', next_attempt_at = NULL, reason = NULL,"
                            + " updated_at = :now WHERE instruction_id = :id AND state IN " + ACTIVE)
                    .bind("now", Db.ts(now)).bind("id", i.id()).execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), i.state().name(), "DONE",
                        i.kind().name().toLowerCase() + ".done", detail);
                if (i.kind() == InstructionKind.INVEST) {
                    // Wake the withdraws that waited for this money to be in the plan.
                    h.createUpdate("UPDATE ticketing.plan_instructions SET next_attempt_at = :now, reason = NULL"
                                    + " WHERE kind = 'WITHDRAW' AND order_id = :o AND state = 'PENDING'")
                            .bind("now", Db.ts(now)).bind("o", i.orderId()).execute();
                }
            }
            return null;
        });
    }

    private void awaitFunds(Platform platform, PlanInstruction i, String reason) {
        String messageId = "wealth:" + i.id() + ":funds:" + i.round();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'AWAITING_FUNDS', reason = :why,"
                            + " next_attempt_at = NULL, updated_at = :now WHERE instruction_id = :id AND state IN " + ACTIVE)
                    .bind("why", reason).bind("now", Db.ts(ctx.now())).bind("id", i.id()).execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), i.state().name(), "AWAITING_FUNDS",
                        "invest.awaiting-funds", reason + "; SMS " + messageId);
                outbox.enqueue(h, messageId, platform.adminPhone(), "PLATFORM_FUNDS_REQUIRED",
                        "[TicketLedger] Invest " + i.id() + " of " + i.amount().toDecimalString() + " into plan " + i.plan()
                                + " waits for funds on " + ctx.wealthRail + ": " + reason
                                + ". Top up, record the funding, then retry the invest.",
                        Map.of("instruction", i.id(), "amount", i.amount().toDecimalString(), "rail", ctx.wealthRail.value(),
                                "plan", i.plan().value()), i.id());
            }
            return n == 1;
        });
        if (moved) {
            dispatchQuietly(messageId);
        }
    }

    private void review(Platform platform, PlanInstruction i, String reason) {
        LOG.warn("wealth instruction {} needs manual review: {}", i.id(), reason);
        String messageId = "wealth:" + i.id() + ":review:" + i.round() + ":" + i.attempts();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'MANUAL_REVIEW', reason = :why,"
                            + " next_attempt_at = NULL, updated_at = :now WHERE instruction_id = :id AND state IN " + ACTIVE)
                    .bind("why", reason).bind("now", Db.ts(ctx.now())).bind("id", i.id()).execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), i.state().name(), "MANUAL_REVIEW",
                        i.kind().name().toLowerCase() + ".review", reason);
                outbox.enqueue(h, messageId, platform.adminPhone(), "WEALTH_REVIEW",
                        "[TicketLedger] " + i.kind() + " " + i.id() + " on plan " + i.plan() + " needs review: " + reason,
                        Map.of("instruction", i.id(), "plan", i.plan().value()), i.id());
            }
            return n == 1;
        });
        if (moved) {
            dispatchQuietly(messageId);
        }
    }

    /** Cancels an instruction not sent in its round (the plan closed) and releases its hold. */
    private void cancel(Platform platform, PlanInstruction i, String reason) {
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.plan_instructions SET state = 'CANCELLED', reason = :why,"
                            + " next_attempt_at = NULL, updated_at = :now WHERE instruction_id = :id"
                            + " AND state IN ('PENDING', 'AWAITING_FUNDS')")
                    .bind("why", reason).bind("now", Db.ts(ctx.now())).bind("id", i.id()).execute();
            if (n == 1) {
                History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), i.state().name(), "CANCELLED",
                        i.kind().name().toLowerCase() + ".cancelled", reason);
            }
            return null;
        });
        voidHold(platform, instruction(i.id()).orElseThrow());
    }

    /** Voids the current round's hold of an invest, if one was posted and is still pending (idempotent). */
    private void voidHold(Platform platform, PlanInstruction i) {
        if (i.kind() != InstructionKind.INVEST) {
            return;
        }
        Optional<Entry> hold = ctx.journal.entryByKey(platform.ledger(), holdKey(i));
        if (hold.isEmpty()) {
            return;
        }
        Optional<HoldStatus> status = ctx.journal.holdStatus(platform.ledger(), hold.get().sequence());
        if (status.isPresent() && status.get() == HoldStatus.PENDING) {
            book.post(EntryRequest.voidHold(platform.ledger(), "wealth:" + i.id() + ":void:" + i.round(), "invest-void",
                    hold.get().sequence()));
        }
    }

    private void event(PlanInstruction i, String event, String detail) {
        ctx.db.tx(h -> {
            History.record(h, ctx, i.orderId(), i.kind().name(), i.id(), null, i.state().name(), event, detail);
            return null;
        });
    }

    // ================================================================ background: plan close (the expiry job)

    /** Drives due plans: those past expiry and those closing whose next attempt is due. */
    int sweepPlans() {
        return planSweep.run(this::drivePlan, ctx.jobs.payoutBackoff(3));
    }

    private void drivePlan(String planId, String token) {
        Platform platform = ctx.platform().orElseThrow();
        WealthPlan p = plan(planId).orElseThrow(() -> new TicketingException("plan " + planId + " vanished"));
        if (p.state() == PlanState.OPEN && !ctx.now().isBefore(p.expiresAt())) {
            startClosing(p);
            p = plan(planId).orElseThrow();
        }
        if (p.state() == PlanState.CLOSING) {
            closeStep(platform, p);
        }
        planSweep.release(planId, token);
    }

    private void startClosing(WealthPlan p) {
        Instant now = ctx.now();
        ctx.db.tx(h -> {
            String state = h.createQuery("SELECT state FROM ticketing.wealth_plans WHERE plan_id = :p FOR UPDATE")
                    .bind("p", p.plan().value()).mapTo(String.class).one();
            if (!state.equals(PlanState.OPEN.name())) {
                return null;
            }
            h.createUpdate("UPDATE ticketing.wealth_plans SET state = 'CLOSING', next_attempt_at = :now, updated_at = :now"
                            + " WHERE plan_id = :p")
                    .bind("now", Db.ts(now)).bind("p", p.plan().value()).execute();
            History.record(h, ctx, p.plan().value(), "PLAN", p.plan().value(), "OPEN", "CLOSING", "plan.closing",
                    "expired at " + p.expiresAt() + "; its tickets expire, unsent instructions are cancelled");
            return null;
        });
    }

    private void closeStep(Platform platform, WealthPlan p) {
        String planId = p.plan().value();
        // Instructions never sent in their round are settled by the redeem-all instead; their holds go.
        for (PlanInstruction i : ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.plan_instructions WHERE plan_id = :p"
                        + " AND (state IN ('PENDING', 'AWAITING_FUNDS') OR (state = 'CANCELLED' AND kind = 'INVEST'))"
                        + " AND (lease_until IS NULL OR lease_until < :now)")
                .bind("p", planId).bind("now", Db.ts(ctx.now())).map((rs, c) -> row(rs)).list())) {
            cancel(platform, i, "plan " + planId + " expired before this was sent; the redeem-all at expiry settles its money");
        }
        expiry.expirePlanTickets(planId);
        List<PlanInstruction> busy = ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.plan_instructions WHERE plan_id = :p"
                        + " AND (state NOT IN ('DONE', 'CANCELLED') OR lease_until >= :now) ORDER BY created_at")
                .bind("p", planId).bind("now", Db.ts(ctx.now())).map((rs, c) -> row(rs)).list());
        if (!busy.isEmpty()) {
            // A redeem-all now could cross a subscribe or redeem still in flight; settle those first.
            String what = busy.size() + " instruction(s) in flight, e.g. " + busy.get(0).id() + " " + busy.get(0).state();
            deferPlan(p, "waits for " + what);
            return;
        }
        RequestId rid = p.closeRequestId();
        RailOutcome outcome;
        if (!sent(planId)) {
            Instant now = ctx.now();
            ctx.db.tx(h -> {
                h.createUpdate("UPDATE ticketing.wealth_plans SET sent = true, attempts = attempts + 1,"
                                + " window_ends_at = COALESCE(window_ends_at, :window), reason = NULL, updated_at = :now WHERE plan_id = :p")
                        .bind("window", Db.ts(now.plus(ctx.jobs.payoutRetryWindow()))).bind("now", Db.ts(now)).bind("p", planId)
                        .execute();
                History.record(h, ctx, planId, "PLAN", planId, null, "CLOSING", "plan.redeeming",
                        "redeem all of plan " + planId + " as " + rid + "; books say " + p.invested().toDecimalString() + " principal");
                return null;
            });
            outcome = rails.redeemAll(ctx.wealthRail, rid, p.plan());
        } else {
            outcome = rails.query(ctx.wealthRail, InstructionType.REDEEM_ALL, rid);
            planEvent(p, "plan.queried", rid + ": " + OrdersImpl.describe(outcome));
            if (outcome instanceof RailOutcome.NotFound) {
                planEvent(p, "plan.resending", "redeem all again as " + rid);
                outcome = rails.redeemAll(ctx.wealthRail, rid, p.plan());
            }
        }
        handleClose(platform, plan(planId).orElseThrow(), outcome);
    }

    private void handleClose(Platform platform, WealthPlan p, RailOutcome outcome) {
        String planId = p.plan().value();
        if (outcome instanceof RailOutcome.Succeeded s) {
            Money yield = s.yield().orElse(Money.zero(s.amount().currency()));
            Money principal = s.amount().minus(yield);
            if (!principal.equals(p.invested())) {
                reviewPlan(platform, p, "the redeem-all " + s.railTxnId() + " returned principal " + principal.toDecimalString()
                        + " but the books hold " + p.invested().toDecimalString() + " in plan " + planId);
                return;
            }
            ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.wealth_plans SET rail_txn_id = :txn, rail_at = :at,"
                            + " principal_minor = :pr, yield_minor = :y WHERE plan_id = :p AND rail_txn_id IS NULL")
                    .bind("txn", s.railTxnId()).bind("at", Db.ts(s.at())).bind("pr", principal.minor()).bind("y", yield.minor())
                    .bind("p", planId).execute());
            Optional<Entry> entry = Optional.empty();
            if (s.amount().isPositive()) {
                EntryRequest.Builder b = Book.standard(platform.ledger(), "plan:" + planId + ":redeemed-all", "wealth-close")
                        .debit(Book.settlement(ctx.wealthRail), s.amount());
                if (principal.isPositive()) {
                    b.credit(Book.wealth(ctx.wealthRail), principal);
                }
                if (yield.isPositive()) {
                    b.credit(Book.INVESTMENT_YIELD, yield);
                }
                entry = Optional.of(book.post(b.meta("plan", planId).meta("request", p.closeRequestId().value())
                        .meta("rail-txn", s.railTxnId()).build()));
            }
            List<Lot> lots = lots(planId, s.at());
            List<Long> shares = attribute(yield.minor(), lots);
            String detail = p.closeRequestId() + " returned " + principal.toDecimalString() + " + yield " + yield.toDecimalString()
                    + ", rail txn " + s.railTxnId() + entry.map(e -> "; ledger entry " + e.sequence()).orElse("")
                    + "; yield attributed to " + lots.size() + " ticket(s)";
            Instant now = ctx.now();
            ctx.db.tx(h -> {
                for (int k = 0; k < lots.size(); k++) {
                    h.createUpdate("INSERT INTO ticketing.ticket_yields (ticket_id, plan_id, weight, yield_minor, currency)"
                                    + " VALUES (:t, :p, :w, :y, :cur) ON CONFLICT DO NOTHING")
                            .bind("t", lots.get(k).ticketId()).bind("p", planId).bind("w", new BigDecimal(lots.get(k).weight()))
                            .bind("y", shares.get(k)).bind("cur", yield.currency().getCurrencyCode()).execute();
                }
                int n = h.createUpdate("UPDATE ticketing.wealth_plans SET state = 'CLOSED', closed_at = :now, next_attempt_at = NULL,"
                                + " reason = NULL, updated_at = :now WHERE plan_id = :p AND state = 'CLOSING'")
                        .bind("now", Db.ts(now)).bind("p", planId).execute();
                if (n == 1) {
                    History.record(h, ctx, planId, "PLAN", planId, "CLOSING", "CLOSED", "plan.closed", detail);
                }
                return null;
            });
            return;
        }
        if (outcome instanceof RailOutcome.Declined d && d.reason() == DeclineReason.PLAN_CLOSED) {
            // Refused and not recorded: the same request id goes again later.
            ctx.db.tx(h -> h.createUpdate("UPDATE ticketing.wealth_plans SET sent = false WHERE plan_id = :p")
                    .bind("p", planId).execute());
            deferPlan(p, "plan " + planId + " is temporarily closed at the rail (" + d.rawCode() + ")");
            return;
        }
        if (outcome instanceof RailOutcome.Declined d) {
            reviewPlan(platform, p, "the rail declined the redeem-all " + p.closeRequestId() + ": " + d.reason() + " "
                    + d.rawCode() + " " + d.message());
            return;
        }
        if (outcome instanceof RailOutcome.Conflict c) {
            reviewPlan(platform, p, "request-id conflict at the rail for " + p.closeRequestId() + ": " + c.rawCode());
            return;
        }
        Optional<Instant> window = ctx.db.read(h -> h.createQuery("SELECT window_ends_at FROM ticketing.wealth_plans"
                + " WHERE plan_id = :p").bind("p", planId).map((rs, c) -> Db.optInstant(rs, "window_ends_at")).one());
        if (window.isPresent() && !ctx.now().isBefore(window.get())) {
            reviewPlan(platform, p, "no final answer for the redeem-all " + p.closeRequestId() + " within the retry window (last: "
                    + OrdersImpl.describe(outcome) + ")");
            return;
        }
        deferPlan(p, "redeem-all " + p.closeRequestId() + ": " + OrdersImpl.describe(outcome) + "; querying again");
    }

    private void deferPlan(WealthPlan p, String reason) {
        Instant now = ctx.now();
        int attempt = p.attempts() + 1;
        Instant next = now.plus(ctx.jobs.payoutBackoff(attempt));
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.wealth_plans SET attempts = :a, next_attempt_at = :next, reason = :why,"
                            + " updated_at = :now WHERE plan_id = :p AND state = 'CLOSING' AND reason IS DISTINCT FROM :why")
                    .bind("a", attempt).bind("next", Db.ts(next)).bind("why", reason).bind("now", Db.ts(now))
                    .bind("p", p.plan().value()).execute();
            if (n == 1) {
                History.record(h, ctx, p.plan().value(), "PLAN", p.plan().value(), null, "CLOSING", "plan.waiting",
                        reason + "; next at " + next);
            } else {
                h.createUpdate("UPDATE ticketing.wealth_plans SET next_attempt_at = :next WHERE plan_id = :p AND state = 'CLOSING'")
                        .bind("next", Db.ts(next)).bind("p", p.plan().value()).execute();
            }
            return null;
        });
    }

    private void reviewPlan(Platform platform, WealthPlan p, String reason) {
        LOG.warn("plan {} needs manual review: {}", p.plan(), reason);
        String planId = p.plan().value();
        String messageId = "plan:" + planId + ":review:" + p.round() + ":" + p.attempts();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.wealth_plans SET state = 'MANUAL_REVIEW', reason = :why, next_attempt_at = NULL,"
                            + " updated_at = :now WHERE plan_id = :p AND state = 'CLOSING'")
                    .bind("why", reason).bind("now", Db.ts(ctx.now())).bind("p", planId).execute();
            if (n == 1) {
                History.record(h, ctx, planId, "PLAN", planId, "CLOSING", "MANUAL_REVIEW", "plan.review", reason);
                outbox.enqueue(h, messageId, platform.adminPhone(), "PLAN_REVIEW",
                        "[TicketLedger] Closing wealth plan " + planId + " needs review: " + reason, Map.of("plan", planId), planId);
            }
            return n == 1;
        });
        if (moved) {
            dispatchQuietly(messageId);
        }
    }

    private void planEvent(WealthPlan p, String event, String detail) {
        ctx.db.tx(h -> {
            History.record(h, ctx, p.plan().value(), "PLAN", p.plan().value(), null, p.state().name(), event, detail);
            return null;
        });
    }

    private boolean sent(String planId) {
        return ctx.db.read(h -> h.createQuery("SELECT sent FROM ticketing.wealth_plans WHERE plan_id = :p")
                .bind("p", planId).mapTo(Boolean.class).one());
    }

    // ================================================================ yield attribution

    /** A ticket's lot in a plan: the principal it had there over time, as fen × daily closes. */
    private record Lot(String ticketId, BigInteger weight, long face) {
    }

    private record Move(Instant at, long amount) {
    }

    private record TicketRow(String ticketId, String orderId, long face) {
    }

    private static BigInteger fenDays(long amount, long closes) {
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(closes));
    }

    /**
     * The tickets' lots, ordered by issue time: a ticket's D enters at its order's invest (rail value
     * time) and leaves by its withdraws; what is left stays until the redeem-all at {@code closedAt}.
     */
    private List<Lot> lots(String planId, Instant closedAt) {
        return ctx.db.read(h -> {
            Map<String, Instant> investedAt = new HashMap<>();
            h.createQuery("SELECT order_id, rail_at FROM ticketing.plan_instructions WHERE plan_id = :p AND kind = 'INVEST'"
                            + " AND state = 'DONE'")
                    .bind("p", planId).map((rs, c) -> Map.entry(rs.getString(1), Db.instant(rs, "rail_at")))
                    .forEach(e -> investedAt.put(e.getKey(), e.getValue()));
            Map<String, List<Move>> withdrawn = new HashMap<>();
            h.createQuery("SELECT ticket_id, rail_at, amount_minor FROM ticketing.plan_instructions WHERE plan_id = :p"
                            + " AND kind = 'WITHDRAW' AND state = 'DONE' ORDER BY rail_at, instruction_id")
                    .bind("p", planId)
                    .map((rs, c) -> Map.entry(rs.getString(1), new Move(Db.instant(rs, "rail_at"), rs.getLong(3))))
                    .forEach(e -> withdrawn.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            java.time.ZoneId zone = ctx.platform().orElseThrow().timeZone();
            List<Lot> lots = new ArrayList<>();
            List<TicketRow> tickets = h.createQuery("SELECT t.ticket_id, t.order_id, t.face_minor FROM ticketing.tickets t"
                            + " JOIN ticketing.combo_products c ON c.product_id = t.product_id WHERE c.plan_id = :p"
                            + " ORDER BY t.issued_at, t.ticket_id")
                    .bind("p", planId)
                    .map((rs, c) -> new TicketRow(rs.getString(1), rs.getString(2), rs.getLong(3)))
                    .list();
            for (TicketRow t : tickets) {
                Instant start = investedAt.get(t.orderId());
                if (start == null) {
                    lots.add(new Lot(t.ticketId(), BigInteger.ZERO, 0));
                    continue;
                }
                BigInteger w = BigInteger.ZERO;
                long amount = t.face();
                for (Move m : withdrawn.getOrDefault(t.ticketId(), List.of())) {
                    w = w.add(fenDays(amount, YieldAllocation.closes(start, m.at(), zone)));
                    amount -= m.amount();
                    start = m.at();
                }
                w = w.add(fenDays(amount, YieldAllocation.closes(start, closedAt, zone)));
                lots.add(new Lot(t.ticketId(), w, t.face()));
            }
            return lots;
        });
    }

    /** Shares of {@code yield}; by the amounts invested when no lot spans a daily close (a rare corner). */
    private static List<Long> attribute(long yield, List<Lot> lots) {
        List<Long> shares = YieldAllocation.allocate(yield, lots.stream().map(Lot::weight).toList());
        if (yield > 0 && shares.stream().mapToLong(Long::longValue).sum() != yield) {
            shares = YieldAllocation.allocate(yield, lots.stream().map(l -> BigInteger.valueOf(l.face())).toList());
        }
        return shares;
    }

    // ================================================================ ledger entries, rebuilt from rows

    private static String holdKey(PlanInstruction i) {
        return "wealth:" + i.id() + ":hold:" + i.round();
    }

    private EntryRequest holdRequest(Platform platform, PlanInstruction i) {
        return EntryRequest.hold(platform.ledger(), holdKey(i), "invest-hold")
                .debit(Book.wealth(ctx.wealthRail), i.amount())
                .credit(Book.settlement(ctx.wealthRail), i.amount())
                .meta("instruction", i.id()).meta("plan", i.plan().value()).meta("order", i.orderId())
                .meta("request", i.requestId().value())
                .build();
    }

    private EntryRequest investPost(Platform platform, PlanInstruction i) {
        return Book.holdPost(platform.ledger(), "wealth:" + i.id() + ":invested", "invest", i.holdSequence().orElseThrow())
                .debit(Book.wealth(ctx.wealthRail), i.amount())
                .credit(Book.settlement(ctx.wealthRail), i.amount())
                .meta("instruction", i.id()).meta("plan", i.plan().value()).meta("order", i.orderId())
                .meta("request", i.requestId().value()).meta("rail-txn", i.railTxnId().orElseThrow())
                .build();
    }

    private EntryRequest withdrawEntry(Platform platform, PlanInstruction i) {
        EntryRequest.Builder b = Book.standard(platform.ledger(), "wealth:" + i.id() + ":withdrawn", "withdraw")
                .debit(Book.settlement(ctx.wealthRail), i.amount())
                .credit(Book.wealth(ctx.wealthRail), i.amount())
                .meta("instruction", i.id()).meta("plan", i.plan().value()).meta("order", i.orderId())
                .meta("request", i.requestId().value()).meta("rail-txn", i.railTxnId().orElseThrow());
        i.ticketId().ifPresent(t -> b.meta("ticket", t));
        i.spotId().ifPresent(s -> b.meta("spot", s));
        return b.build();
    }

    // ================================================================ rows and helpers

    private static InstructionType type(PlanInstruction i) {
        return i.kind() == InstructionKind.INVEST ? InstructionType.SUBSCRIBE : InstructionType.REDEEM;
    }

    private static String verb(PlanInstruction i) {
        return i.kind() == InstructionKind.INVEST ? "subscribe" : "redeem";
    }

    private void dispatchQuietly(String messageId) {
        try {
            outbox.dispatch(messageId);
        } catch (TicketingException e) {
            LOG.warn("message {} stays queued: {}", messageId, e.getMessage());
        }
    }

    static Optional<PlanInstruction> load(Handle h, String id) {
        return h.createQuery("SELECT * FROM ticketing.plan_instructions WHERE instruction_id = :id").bind("id", id)
                .map((rs, c) -> row(rs)).findOne();
    }

    static Optional<WealthPlan> loadPlan(Handle h, String planId) {
        Optional<Long> invested = h.createQuery("SELECT COALESCE(SUM(CASE WHEN kind = 'INVEST' THEN amount_minor"
                        + " ELSE -amount_minor END), 0) FROM ticketing.plan_instructions WHERE plan_id = :p AND state = 'DONE'")
                .bind("p", planId).mapTo(Long.class).findOne();
        return h.createQuery("SELECT * FROM ticketing.wealth_plans WHERE plan_id = :p").bind("p", planId)
                .map((rs, c) -> {
                    Currency cur = Currency.getInstance(rs.getString("currency"));
                    PlanState state = PlanState.valueOf(rs.getString("state"));
                    long principal = rs.getLong("principal_minor");
                    Optional<Money> pr = rs.wasNull() ? Optional.empty() : Optional.of(Money.of(principal, cur));
                    long y = rs.getLong("yield_minor");
                    Optional<Money> yield = rs.wasNull() ? Optional.empty() : Optional.of(Money.of(y, cur));
                    // Once closed the plan holds nothing by the books: the redeem-all took the rest.
                    Money books = state == PlanState.CLOSED ? Money.zero(cur)
                            : Money.of(Math.addExact(invested.orElse(0L), rs.getLong("adjustment_minor")), cur);
                    int round = rs.getInt("round");
                    return new WealthPlan(PlanId.of(rs.getString("plan_id")), RailId.of(rs.getString("rail")),
                            Db.instant(rs, "expires_at"), state, books, round, rs.getInt("attempts"),
                            Db.optInstant(rs, "next_attempt_at"), pr, yield, Db.optString(rs, "rail_txn_id"),
                            Db.optInstant(rs, "rail_at"), Db.optString(rs, "reason"),
                            RequestId.of(rs.getString("close_id") + "-" + round));
                })
                .findOne();
    }

    static PlanInstruction row(ResultSet rs) throws SQLException {
        Currency cur = Currency.getInstance(rs.getString("currency"));
        long hold = rs.getLong("hold_sequence");
        OptionalLong holdSeq = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(hold);
        return new PlanInstruction(rs.getString("instruction_id"), InstructionKind.valueOf(rs.getString("kind")),
                InstructionPurpose.valueOf(rs.getString("purpose")), PlanId.of(rs.getString("plan_id")), rs.getString("order_id"),
                Db.optString(rs, "ticket_id"), Db.optString(rs, "spot_id"), Money.of(rs.getLong("amount_minor"), cur),
                InstructionState.valueOf(rs.getString("state")), rs.getInt("round"),
                Db.requestRound(rs, "round"), rs.getInt("attempts"),
                Db.optInstant(rs, "next_attempt_at"), Db.optString(rs, "rail_txn_id"), Db.optInstant(rs, "rail_at"),
                Db.optString(rs, "reason"), holdSeq, Db.instant(rs, "created_at"), Db.instant(rs, "updated_at"));
    }
}
