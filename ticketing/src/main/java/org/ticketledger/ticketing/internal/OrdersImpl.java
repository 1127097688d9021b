package org.ticketledger.ticketing.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.IssueRequest;
import org.ticketledger.ticketing.order.IssueResult;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.order.Orders;
import org.ticketledger.ticketing.order.Orders.WhenIssued;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.ProductKind;
import org.ticketledger.ticketing.ticket.Ticket;

/**
 * Orders and their state machine (ARCHITECTURE.md "State machines"):
 * RECEIVED → CHARGING → ISSUED | AWAITING_TOPUP | CHARGE_UNKNOWN | FAILED. A new order is stored
 * received and CHARGING in one transaction (both events in its history); RECEIVED rows remain only
 * from earlier releases and are driven as before.
 *
 * <p>Each step is committed before the next external call, so after a crash the stored state says
 * what may have happened: CHARGING means "a collection may have been sent", and the resumed drive
 * asks the rail ({@code query}) before sending the same request id again. A recorded rail
 * transaction id means "collected": the resumed drive books (a duplicate is harmless) and issues.
 * Rail calls never happen inside a database transaction.
 */
final class OrdersImpl implements Orders {

    private static final Logger LOG = LoggerFactory.getLogger(OrdersImpl.class);
    private static final String ACTIVE = "('RECEIVED', 'CHARGING', 'CHARGE_UNKNOWN')";
    /** An order the sweep may claim. The state list is exactly the predicate of {@code orders_due}. */
    static final String DUE = "state IN " + ACTIVE + " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)";
    /**
     * Oldest attempt first, in {@code orders_due}'s own order (ascending, nulls last), so the claim
     * reads that index in order and stops after a batch; NULLS FIRST made it read and sort every due
     * order. An active order always has a next attempt (placed, re-applied and unknown all set one),
     * so the nulls' place changes nothing.
     */
    static final String DUE_ORDER = "next_attempt_at";

    private final Ctx ctx;
    private final LeasedSweep sweep;
    private final Book book;
    private final RailGateway rails;
    private final Outbox outbox;
    private final PartiesImpl parties;
    private final FeesImpl fees;
    private final TicketsImpl tickets;
    private WealthImpl wealth;
    private final BoundedCache<String, Distributor> distributors = new BoundedCache<>(CACHED);
    private final BoundedCache<String, Product> products = new BoundedCache<>(CACHED);
    private final BoundedCache<String, FeeRule> issuanceFees = new BoundedCache<>(CACHED);
    /** Entries per cache of what orders are judged on (distributors, products, their issuance fee rules). */
    private static final int CACHED = 10_000;

    OrdersImpl(Ctx ctx, Book book, RailGateway rails, Outbox outbox, PartiesImpl parties, FeesImpl fees, TicketsImpl tickets) {
        this.ctx = ctx;
        this.sweep = new LeasedSweep(ctx, "orders", "order_id", DUE, DUE_ORDER, "order", true);
        this.book = book;
        this.rails = rails;
        this.outbox = outbox;
        this.parties = parties;
        this.fees = fees;
        this.tickets = tickets;
    }

    void wealth(WealthImpl wealth) {
        this.wealth = wealth;
    }

    // ---------------------------------------------------------------- API

    @Override
    public IssueResult issue(IssueRequest req) {
        return issue(req, NOTHING_MORE);
    }

    private static final WhenIssued NOTHING_MORE = (c, issued) -> {
    };

    @Override
    public IssueResult issue(IssueRequest req, WhenIssued whenIssued) {
        java.util.Objects.requireNonNull(req, "request");
        java.util.Objects.requireNonNull(whenIssued, "whenIssued");
        Optional<Problem> invalid = ctx.validation.check(req);
        if (invalid.isPresent()) {
            return new IssueResult.Refused(invalid.get());
        }
        Optional<Platform> platformOpt = ctx.platform();
        if (platformOpt.isEmpty()) {
            return refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
        }
        Platform platform = platformOpt.get();
        Optional<Problem> price = Amounts.positive("unitPrice", req.unitPrice(), platform.currency());
        if (price.isPresent()) {
            return new IssueResult.Refused(price.get());
        }
        String slot = req.slot().orElse("");
        String digest = digest(req);
        for (int attempt = 1; ; attempt++) {
            // The first attempt may judge with the cached distributor, product and fee rule; a
            // refusal is only ever given on what the database says now, so it is judged again fresh.
            boolean cached = attempt == 1;
            IssueResult r = charge(req, platform, slot, digest, cached, whenIssued);
            if (r == null) {
                // Nothing inserted: the distributor order id is taken (a replay, or a concurrent
                // request won), or something the order was judged on changed since it was read.
                Optional<IssueResult> replay = replay(req, digest);
                if (replay.isPresent()) {
                    return replay.get();
                }
                if (attempt >= 3) {
                    throw new TicketingException("order " + req.distributorOrderId() + " of " + req.distributorId()
                            + ": its product, payment account or fee rule kept changing while it was placed; retry");
                }
            } else if (r instanceof IssueResult.Refused && !cached) {
                // A stored order with this distributor order id answers, whatever would refuse a new one now.
                return replay(req, digest).orElse(r);
            } else if (!(r instanceof IssueResult.Refused)) {
                return r;
            }
        }
    }

    /**
     * Judges and places a new order, marks it CHARGING and collects; null if nothing was inserted
     * (the distributor order id is taken, or the distributor's account version, the product's
     * change sequence or the fee rule the order was judged on is no longer the current one: the
     * insert checks all three in the same statement, which is what lets them come from caches).
     */
    private IssueResult charge(IssueRequest req, Platform platform, String slot, String digest, boolean cached,
                               WhenIssued whenIssued) {
        Optional<Distributor> distributor = distributor(req.distributorId(), cached);
        if (distributor.isEmpty()) {
            return refused(ErrorCode.UNKNOWN_DISTRIBUTOR, "no distributor " + req.distributorId());
        }
        Optional<Product> productOpt = product(req.productId(), cached);
        if (productOpt.isEmpty()) {
            return refused(ErrorCode.UNKNOWN_PRODUCT, "no product " + req.productId());
        }
        Product product = productOpt.get();
        if (!product.published()) {
            return refused(ErrorCode.PRODUCT_UNPUBLISHED, "product " + product.id() + " is not on sale (unpublished)");
        }
        if (product.kind() == ProductKind.COMBO) {
            Optional<Problem> closed = wealth.checkSellable(product.id());
            if (closed.isPresent()) {
                return new IssueResult.Refused(closed.get());
            }
        }
        if (!product.distributorPrice().equals(req.unitPrice())) {
            return refused(ErrorCode.PRICE_CHANGED, "the distributor price of " + product.id() + " is now "
                    + product.distributorPrice().toDecimalString() + " (version " + product.version() + "), not "
                    + req.unitPrice().toDecimalString() + "; sync the pool and retry");
        }
        LocalDate today = LocalDate.ofInstant(ctx.now(), platform.timeZone());
        if (req.visitDate().isBefore(today) || req.visitDate().isBefore(product.validFrom())
                || req.visitDate().isAfter(product.validUntil())) {
            return refused(ErrorCode.VISIT_DATE_OUT_OF_RANGE, "visit date " + req.visitDate() + " is outside "
                    + product.validFrom() + ".." + product.validUntil() + " or in the past (today is " + today + ")");
        }
        Optional<String> noCodes = ctx.minter.cannotMintUntil(TicketsImpl.validUntil(req.visitDate(), product, platform.timeZone()));
        if (noCodes.isPresent()) {
            if (!cached) {
                LOG.error("order of {} refused before charging: {}", req.distributorId(), noCodes.get());
            }
            return refused(ErrorCode.TICKET_CODES_UNAVAILABLE, "tickets valid that long cannot be issued now: " + noCodes.get());
        }
        PartyAccount payer = distributor.get().paymentAccount().account();
        if (!platform.settlesOn(payer.rail()) || ctx.rails.find(payer.rail()).isEmpty()) {
            return refused(ErrorCode.UNSUPPORTED_RAIL, "the distributor pays on " + payer.rail()
                    + ", which the platform cannot collect on now");
        }
        FeeRule feeRule = issuanceFee(req.distributorId(), cached);
        Money subtotal;
        Money fee;
        Money total;
        try {
            subtotal = req.unitPrice().times(req.quantity());
            fee = feeRule.feeOn(subtotal);
            total = subtotal.plus(fee);
        } catch (ArithmeticException e) {
            return new IssueResult.Refused(Amounts.outOfRange("the order total (" + req.quantity() + " × "
                    + req.unitPrice().toDecimalString() + " plus fee)"));
        }
        String orderId = Ids.next("o", ctx.clock);
        String token = ctx.leaseToken();
        Instant now = ctx.now();
        int accountVersion = distributor.get().paymentAccount().version();
        Placed charging;
        try {
            // Received and marked CHARGING in one transaction: nothing is sent before it commits, and
            // a CHARGING order found after a crash is queried at the rail before anything is resent.
            // One statement inserts the order with both its events and reads the date's capacity rows.
            charging = ctx.db.tx(h -> {
                Optional<Placed> placed = h.createQuery(PLACE)
                        .bind("id", orderId)
                        .bind("d", req.distributorId())
                        .bind("ref", req.distributorOrderId())
                        .bind("digest", digest)
                        .bind("p", product.id())
                        .bind("pv", product.version())
                        .bind("seq", product.changeSeq())
                        .bind("visit", req.visitDate())
                        .bind("slot", slot)
                        .bind("q", req.quantity())
                        .bind("unit", req.unitPrice().minor())
                        .bind("fee", fee.minor())
                        .bind("total", total.minor())
                        .bind("cur", total.currency().getCurrencyCode())
                        .bind("rail", payer.rail().value())
                        .bind("acct", accountVersion)
                        .bind("round", FIRST_ROUND)
                        .bind("now", Db.ts(now))
                        .bind("tok", token)
                        .bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                        .bind("feeKind", FeeKind.ISSUANCE.name())
                        .bind("feeRule", FeesImpl.key(feeRule))
                        .bind("noFee", FeesImpl.key(FeeRule.NONE))
                        .bind("received", req.quantity() + " × " + req.unitPrice().toDecimalString() + " + fee "
                                + fee.toDecimalString() + " = " + total.toDecimalString() + " on " + payer.rail()
                                + " (distributor order " + req.distributorOrderId() + ")")
                        .bind("sending", "collect " + total.toDecimalString() + " on " + payer.rail() + " as "
                                + Order.collectRequestId(orderId, FIRST_ROUND))
                        .map((rs, c) -> new Placed(row(rs), List.of((String[]) rs.getArray("slots").getArray()),
                                List.of((Long[]) rs.getArray("ticket_numbers").getArray())))
                        .findOne();
                if (placed.isEmpty()) {
                    return null;
                }
                List<String> slots = placed.get().slots();
                List<String> limited = slots.contains(slot) ? List.of() : slots;
                if (!limited.isEmpty()) {
                    String why = "product " + product.id() + " has capacity on " + req.visitDate() + " only for "
                            + (limited.contains("") ? "the whole day" : "slots " + limited)
                            + (slot.isEmpty() ? "; name one of them" : ", not for slot " + slot);
                    throw new Db.Refusal(new Problem(ErrorCode.VALIDATION_FAILED, why, List.of(new Problem.FieldError("slot", why))));
                }
                // No capacity rows for the date: unlimited, nothing to reserve (saves two statements).
                if (!slots.isEmpty() && !InventoryImpl.reserve(h, product.id(), req.visitDate(), slot, req.quantity())) {
                    throw new Db.Refusal(Problem.of(ErrorCode.SOLD_OUT, "product " + product.id() + " is sold out for "
                            + req.visitDate() + (slot.isEmpty() ? "" : " slot " + slot)));
                }
                return placed.get();
            });
        } catch (Db.Refusal r) {
            return new IssueResult.Refused(r.problem());
        }
        if (charging == null) {
            return null;
        }
        Order o = charging.order();
        RailOutcome outcome = rails.collect(Instruction.collect(o.collectRequestId(), payer, o.total(), "Tickets order " + o.id()));
        return handle(o, outcome, token, new AtHand(Optional.of(product), charging.ticketNumbers(), whenIssued));
    }

    /** The round a new order's first collection belongs to. */
    private static final int FIRST_ROUND = 1;

    /**
     * Inserts a new order CHARGING with its two events, only if the distributor's account version,
     * the product's change sequence (bumped by every publish and unpublish) and the issuance fee
     * rule in force are the ones it was judged on; returns the order and the date's capacity rows.
     * Typed casts: parameters in a SELECT list are not typed by the target columns.
     */
    private static final String PLACE = "WITH placed AS (INSERT INTO ticketing.orders (order_id, distributor_id,"
            + " distributor_order_id, request_digest, product_id, product_version, visit_date, slot, quantity, unit_price_minor,"
            + " fee_minor, total_minor, currency, rail, payer_account_version, state, charge_round, next_attempt_at,"
            + " lease_owner, lease_until, created_at, updated_at)"
            + " SELECT :id, :d, :ref, :digest, :p, CAST(:pv AS int), CAST(:visit AS date), :slot, CAST(:q AS int),"
            + " CAST(:unit AS bigint), CAST(:fee AS bigint), CAST(:total AS bigint), :cur, :rail, CAST(:acct AS int), 'CHARGING',"
            + " CAST(:round AS int), CAST(:now AS timestamptz), :tok, CAST(:until AS timestamptz), CAST(:now AS timestamptz),"
            + " CAST(:now AS timestamptz)"
            + " WHERE EXISTS (SELECT 1 FROM ticketing.parties WHERE party_id = :d AND kind = 'DISTRIBUTOR'"
            + " AND account_version = CAST(:acct AS int))"
            + " AND EXISTS (SELECT 1 FROM ticketing.products WHERE product_id = :p AND status = 'PUBLISHED'"
            + " AND current_version = CAST(:pv AS int) AND change_seq = CAST(:seq AS bigint))"
            + " AND " + FeesImpl.ruleKeySql("feeKind", "d", "noFee") + " = :feeRule"
            + " ON CONFLICT (distributor_id, distributor_order_id) DO NOTHING RETURNING *),"
            + " events AS (INSERT INTO ticketing.events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)"
            + " SELECT placed.order_id, 'ORDER', placed.order_id, e.from_state, e.to_state, e.event, e.detail,"
            + " CAST(:now AS timestamptz) FROM placed CROSS JOIN (VALUES (1, NULL, 'RECEIVED', 'order.received', CAST(:received AS text)),"
            + " (2, 'RECEIVED', 'CHARGING', 'charge.sending', CAST(:sending AS text))) AS e (n, from_state, to_state, event, detail)"
            + " ORDER BY e.n)"
            + " SELECT placed.*, ARRAY(SELECT slot FROM ticketing.inventory WHERE product_id = :p"
            + " AND visit_date = CAST(:visit AS date) ORDER BY slot) AS slots,"
            + " ARRAY(SELECT nextval('ticketing.ticket_no_seq') FROM generate_series(1, placed.quantity)) AS ticket_numbers FROM placed";

    /** A placed order, the capacity rows of its date (none: unlimited) and the numbers its tickets will have. */
    private record Placed(Order order, List<String> slots, List<Long> ticketNumbers) {
    }

    // The caches below are hints: PLACE inserts nothing unless what an order was judged on is still
    // current (in the same statement, so no change can slip in between), and then the order is
    // judged again on fresh reads, which refill them. Bounded: a miss costs one read.

    private Optional<Distributor> distributor(String id, boolean cached) {
        Distributor kept = cached ? distributors.get(id) : null;
        if (kept != null) {
            return Optional.of(kept);
        }
        Optional<Distributor> read = parties.distributor(id);
        read.ifPresentOrElse(d -> distributors.put(id, d), () -> distributors.remove(id));
        return read;
    }

    private Optional<Product> product(String id, boolean cached) {
        Product kept = cached ? products.get(id) : null;
        if (kept != null) {
            return Optional.of(kept);
        }
        Optional<Product> read = ctx.db.read(h -> PoolImpl.load(h, id, Optional.empty()));
        read.ifPresentOrElse(p -> products.put(id, p), () -> products.remove(id));
        return read;
    }

    private FeeRule issuanceFee(String distributorId, boolean cached) {
        FeeRule kept = cached ? issuanceFees.get(distributorId) : null;
        if (kept != null) {
            return kept;
        }
        FeeRule read = fees.effective(FeeKind.ISSUANCE, distributorId);
        issuanceFees.put(distributorId, read);
        return read;
    }

    @Override
    public IssueResult reapply(String distributorId, String orderId) {
        Optional<Order> found = order(orderId);
        if (found.isEmpty()) {
            return refused(ErrorCode.UNKNOWN_ORDER, "no order " + orderId);
        }
        Order o = found.get();
        if (!o.distributorId().equals(distributorId)) {
            return refused(ErrorCode.WRONG_DISTRIBUTOR, "order " + orderId + " belongs to another distributor");
        }
        if (o.state() == OrderState.FAILED) {
            return refused(ErrorCode.INVALID_STATE, "order " + orderId + " failed and cannot be re-applied: "
                    + o.failureReason().orElse(""));
        }
        if (o.state() != OrderState.AWAITING_TOPUP) {
            return result(o);
        }
        String token = ctx.leaseToken();
        Instant now = ctx.now();
        boolean moved = ctx.db.tx(h -> {
            // The new round sends the same request id (V32): a delayed copy of the declined one may
            // still be carried out, and the rail's idempotency makes the two one collection.
            int n = h.createUpdate("UPDATE ticketing.orders SET state = 'CHARGING', charge_round = charge_round + 1,"
                            + " request_round = COALESCE(request_round, charge_round), attempts = 0,"
                            + " next_attempt_at = :now, lease_owner = :tok, lease_until = :until, failure_reason = NULL,"
                            + " updated_at = :now WHERE order_id = :id AND state = 'AWAITING_TOPUP'")
                    .bind("now", Db.ts(now))
                    .bind("tok", token)
                    .bind("until", Db.ts(now.plus(ctx.jobs.lease())))
                    .bind("id", orderId)
                    .execute();
            if (n == 1) {
                History.record(h, ctx, orderId, "ORDER", orderId, "AWAITING_TOPUP", "CHARGING", "order.reapplied",
                        "round " + (o.chargeRound() + 1) + ": collect again as " + o.collectRequestId());
            }
            return n == 1;
        });
        if (!moved) {
            return result(order(orderId).orElseThrow());
        }
        return drive(orderId, token, true);
    }

    @Override
    public Optional<Order> order(String orderId) {
        return ctx.db.read(h -> load(h, orderId));
    }

    @Override
    public Optional<Order> order(String distributorId, String distributorOrderId) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.orders WHERE distributor_id = :d AND distributor_order_id = :r")
                .bind("d", distributorId)
                .bind("r", distributorOrderId)
                .map((rs, c) -> row(rs))
                .findOne());
    }

    @Override
    public List<Order> byState(OrderState state, int limit) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.orders WHERE state = :s ORDER BY created_at, order_id LIMIT :n")
                .bind("s", state.name())
                .bind("n", Math.max(1, limit))
                .map((rs, c) -> row(rs))
                .list());
    }

    @Override
    public List<HistoryEvent> history(String orderId) {
        return History.forOrder(ctx, orderId);
    }

    // ---------------------------------------------------------------- background

    /** Drives due, unleased orders; returns how many were driven. */
    int sweep() {
        return sweep.run((id, token) -> drive(id, token, false), ctx.jobs.chargeBackoffMax());
    }

    // ---------------------------------------------------------------- the state machine

    /**
     * Drives the order as far as it goes now. The caller holds the lease ({@code token}).
     * {@code afterDecline}: the caller just started a new round after the rail declined the request
     * id, a final answer, so it is sent again at once; asking first is for unknown outcomes, and a
     * copy carried out meanwhile is answered by the re-send itself (idempotent by request id).
     */
    private IssueResult drive(String orderId, String token, boolean afterDecline) {
        Order o = order(orderId).orElseThrow(() -> new TicketingException("order " + orderId + " vanished"));
        switch (o.state()) {
            case RECEIVED: {
                boolean moved = ctx.db.tx(h -> {
                    int n = h.createUpdate("UPDATE ticketing.orders SET state = 'CHARGING', updated_at = :now"
                                    + " WHERE order_id = :id AND state = 'RECEIVED'")
                            .bind("now", Db.ts(ctx.now()))
                            .bind("id", orderId)
                            .execute();
                    if (n == 1) {
                        History.record(h, ctx, orderId, "ORDER", orderId, "RECEIVED", "CHARGING", "charge.sending",
                                "collect " + o.total().toDecimalString() + " on " + o.rail() + " as " + o.collectRequestId());
                    }
                    return n == 1;
                });
                if (!moved) {
                    return finish(orderId, token);
                }
                Order charging = order(orderId).orElseThrow();
                return handle(charging, send(charging), token, AtHand.NOTHING);
            }
            case CHARGING:
            case CHARGE_UNKNOWN: {
                if (o.railTxnId().isPresent()) {
                    // Recorded by an earlier release before booking; issue with it.
                    return complete(o, o.railTxnId().get(), token, AtHand.NOTHING);
                }
                RailOutcome outcome;
                if (afterDecline) {
                    outcome = send(o);
                } else {
                    outcome = rails.query(o.rail(), InstructionType.COLLECT, o.collectRequestId());
                    event(o, "charge.queried", o.collectRequestId() + ": " + describe(outcome));
                    if (outcome instanceof RailOutcome.NotFound) {
                        // The rail never saw this request id: sending it now cannot charge twice.
                        event(o, "charge.resending", "collect " + o.collectRequestId() + " again");
                        outcome = send(o);
                    }
                }
                return handle(o, outcome, token, AtHand.NOTHING);
            }
            default:
                return finish(orderId, token);
        }
    }

    private RailOutcome send(Order o) {
        PartyAccount payer = ctx.db.read(h -> PartiesImpl.accountVersion(h, o.distributorId(), o.payerAccountVersion())).account();
        Instruction collect = Instruction.collect(o.collectRequestId(), payer, o.total(), "Tickets order " + o.id());
        return rails.collect(collect);
    }

    /**
     * What the caller of {@link #handle} or {@link #complete} has at hand for the order: its product
     * (saves reading it again), ticket numbers taken for it (saves a statement), and the work that
     * commits with its issuing.
     */
    private record AtHand(Optional<Product> product, List<Long> ticketNumbers, WhenIssued whenIssued) {
        static final AtHand NOTHING = new AtHand(Optional.empty(), List.of(), NOTHING_MORE);
    }

    private IssueResult handle(Order o, RailOutcome outcome, String token, AtHand atHand) {
        if (outcome instanceof RailOutcome.Succeeded s) {
            if (!s.amount().equals(o.total())) {
                return fail(o, "the rail reported " + s.amount() + " collected for a charge of " + o.total()
                        + " (txn " + s.railTxnId() + "); needs manual review", true);
            }
            // Nothing is written between the collection and the issuing transaction: the order stays
            // CHARGING until then, and a CHARGING order is resumed by asking the rail, which answers
            // with this same transaction id. So a crash in between loses nothing, and the rail
            // transaction id goes in with the tickets (one durable commit instead of two).
            return complete(o, s.railTxnId(), token, atHand);
        }
        if (outcome instanceof RailOutcome.Declined d) {
            if (d.reason() == DeclineReason.INSUFFICIENT_FUNDS) {
                return awaitTopUp(o, d);
            }
            return fail(o, "the rail declined " + o.collectRequestId() + ": " + d.reason() + " " + d.rawCode() + " "
                    + d.message(), false);
        }
        if (outcome instanceof RailOutcome.Conflict c) {
            return fail(o, "the rail reports a request-id conflict for " + o.collectRequestId() + ": " + c.rawCode()
                    + " " + c.message() + "; needs manual review", true);
        }
        return unknown(o, describe(outcome));
    }

    /**
     * Books the collection (idempotent) and issues the tickets; the transaction that issues them
     * also records the rail transaction id, gives up the lease and reads the answer back, so no
     * further round trip is needed. The order is ISSUED only once its entry is durable, so an issued
     * order is always booked; while the entry's group commit runs, the tickets are numbered and
     * signed (no transaction held meanwhile).
     */
    private IssueResult complete(Order o, String railTxnId, String token, AtHand atHand) {
        Platform platform = ctx.platform().orElseThrow();
        EntryRequest booking = issuanceEntry(platform, o, railTxnId);
        java.util.concurrent.CompletableFuture<org.ticketledger.ledger.PostResult> posting = book.postAsync(booking);
        Product product = atHand.product().filter(p -> p.id().equals(o.productId()) && p.version() == o.productVersion())
                .orElseGet(() -> ctx.db.read(h -> PoolImpl.load(h, o.productId(), Optional.of(o.productVersion()))).orElseThrow());
        List<TicketsImpl.PreparedTicket> prepared = TicketsImpl.prepareTickets(ctx, o, product, platform.timeZone(),
                atHand.ticketNumbers().size() == o.quantity() ? Optional.of(atHand.ticketNumbers()) : Optional.empty());
        Entry entry = book.await(booking, posting);
        Optional<IssueResult> issued = ctx.db.tx(h -> {
            if (product.kind() != ProductKind.COMBO) {
                return issueWithTickets(h, o, railTxnId, token, product, platform, prepared, entry, atHand);
            }
            // A combo's tickets and investment follow the issuing in this transaction.
            Optional<Issuing> issuing = h.createQuery("WITH " + ISSUE_ORDER + " SELECT * FROM u")
                    .bind("txn", railTxnId)
                    .bind("updated", Db.ts(ctx.now()))
                    .bind("o", o.id())
                    .map((rs, c) -> new Issuing(row(rs), rs.getString("before_state"), rs.getBoolean("before_unrecorded")))
                    .findOne();
            if (issuing.isEmpty()) {
                releaseLease(h, o.id(), token);
                return Optional.<IssueResult>empty();
            }
            Order done = issuing.get().done();
            String state = issuing.get().stateBefore();
            History.Batch events = new History.Batch();
            if (issuing.get().txnUnrecordedBefore()) {
                events.add(o.id(), "ORDER", o.id(), null, state, "charge.succeeded", succeededDetail(o, railTxnId));
            }
            String issuedDetail = issuedDetail(o, entry);
            List<Ticket> issuedTickets = TicketsImpl.insertTickets(h, ctx, o, product, platform.timeZone(), prepared, events);
            // The investment records its own events: keep the history in the order things happened.
            events.insert(h, ctx);
            // A combo's money goes into its wealth plan, unless the plan closed meanwhile (a collection
            // resolved after expiry): then the tickets expire with the plan and nothing is invested.
            // Only combos have a plan (combo_products is written with the COMBO product).
            Optional<String> plan = WealthImpl.planOf(h, o.productId());
            if (plan.isPresent() && h.createQuery("SELECT state FROM ticketing.wealth_plans WHERE plan_id = :p FOR SHARE")
                    .bind("p", plan.get()).mapTo(String.class).one().equals("OPEN")) {
                WealthImpl.insertInvest(h, ctx, o, plan.get());
            }
            events.add(o.id(), "ORDER", o.id(), state, "ISSUED", "order.issued", issuedDetail).insert(h, ctx);
            return Optional.<IssueResult>of(answered(h, new IssueResult.Issued(done, issuedTickets), atHand));
        });
        return issued.orElseGet(() -> result(order(o.id()).orElseThrow()));
    }

    /**
     * Issues an order of a single product: one statement locks the row and marks it ISSUED (the
     * state before goes into the history, as another drive may have moved it since it was read),
     * writes the tickets, their spots and every event; nothing if it was ISSUED already (then the
     * lease is given up). The work that commits with the issuing follows in the same transaction.
     */
    private Optional<IssueResult> issueWithTickets(Handle h, Order o, String railTxnId, String token, Product product,
                                                   Platform platform, List<TicketsImpl.PreparedTicket> prepared, Entry entry,
                                                   AtHand atHand) {
        TicketsImpl.Statement st = TicketsImpl.statement(h, ctx, o, product, platform.timeZone(), prepared, Optional.of(ISSUING));
        Optional<Issuing> issuing = st.query()
                .bind("txn", railTxnId)
                .bind("updated", Db.ts(ctx.now()))
                .bind("succeeded", succeededDetail(o, railTxnId))
                .bind("issued", issuedDetail(o, entry))
                .map((rs, c) -> new Issuing(row(rs), rs.getString("before_state"), rs.getBoolean("before_unrecorded"),
                        ((Integer[]) rs.getArray("stored_units").getArray()).length))
                .findOne();
        if (issuing.isEmpty()) {
            releaseLease(h, o.id(), token);
            return Optional.empty();
        }
        List<Ticket> tickets = issuing.get().storedTickets() == prepared.size() ? st.built() : TicketsImpl.byOrder(h, o.id());
        return Optional.of(answered(h, new IssueResult.Issued(issuing.get().done(), tickets), atHand));
    }

    /**
     * Locks order {@code :o} and marks it ISSUED with rail transaction {@code :txn} at
     * {@code :updated}, unless it is ISSUED already; CTE {@code u} is the order as updated with the
     * state before ({@code before_state}, {@code before_unrecorded}), which the history records: a
     * drive may have read the order before another one moved it. Both issuing paths use it.
     */
    private static final String ISSUE_ORDER =
            "before AS (SELECT order_id, state, rail_txn_id FROM ticketing.orders WHERE order_id = :o FOR UPDATE),"
                    + " u AS (UPDATE ticketing.orders o SET state = 'ISSUED', rail_txn_id = COALESCE(o.rail_txn_id, :txn),"
                    + " next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = CAST(:updated AS timestamptz)"
                    + " FROM before WHERE o.order_id = before.order_id AND before.state <> 'ISSUED' RETURNING o.*,"
                    + " before.state AS before_state, before.rail_txn_id IS NULL AS before_unrecorded)";

    /** The issuing of {@link #issueWithTickets}, run first in the tickets statement (parameters o, txn, updated, succeeded, issued). */
    private static final TicketsImpl.Lead ISSUING = new TicketsImpl.Lead(
            ISSUE_ORDER,
            "u",
            "SELECT 0 AS g, 0 AS n, u.order_id, CAST('ORDER' AS text) AS subject_type, u.order_id AS subject_id,"
                    + " CAST(NULL AS text) AS from_state, u.before_state AS to_state, CAST('charge.succeeded' AS text) AS event,"
                    + " CAST(:succeeded AS text) AS detail FROM u WHERE u.before_unrecorded",
            "SELECT 2, 0, u.order_id, 'ORDER', u.order_id, u.before_state, 'ISSUED', 'order.issued', CAST(:issued AS text) FROM u",
            "SELECT u.*, ARRAY(SELECT unit_index FROM t) AS stored_units FROM u");

    private static String succeededDetail(Order o, String railTxnId) {
        return o.collectRequestId() + " collected " + o.total().toDecimalString() + ", rail txn " + railTxnId;
    }

    private static String issuedDetail(Order o, Entry entry) {
        return o.quantity() + " ticket(s); ledger entry " + entry.sequence();
    }

    /** Runs the work that commits with the issuing (inside its transaction) and gives the answer. */
    private static IssueResult.Issued answered(Handle h, IssueResult.Issued answer, AtHand atHand) {
        try {
            atHand.whenIssued().run(h.getConnection(), answer);
        } catch (java.sql.SQLException e) {
            throw new TicketingException("the work that commits with order " + answer.order().id() + "'s issuing failed: "
                    + e.getMessage(), e);
        }
        return answer;
    }

    /** The issuing transaction's order as updated, and what it was before. */
    private record Issuing(Order done, String stateBefore, boolean txnUnrecordedBefore, int storedTickets) {
        Issuing(Order done, String stateBefore, boolean txnUnrecordedBefore) {
            this(done, stateBefore, txnUnrecordedBefore, 0);
        }
    }

    private IssueResult awaitTopUp(Order o, RailOutcome.Declined d) {
        Distributor distributor = parties.distributor(o.distributorId()).orElseThrow();
        String messageId = "order:" + o.id() + ":topup:" + o.chargeRound();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.orders SET state = 'AWAITING_TOPUP', failure_reason = :why,"
                            + " next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE order_id = :id AND state IN ('CHARGING', 'CHARGE_UNKNOWN')")
                    .bind("why", "insufficient balance on " + o.rail() + " (" + d.rawCode() + ")")
                    .bind("now", Db.ts(ctx.now()))
                    .bind("id", o.id())
                    .execute();
            if (n == 1) {
                History.record(h, ctx, o.id(), "ORDER", o.id(), o.state().name(), "AWAITING_TOPUP", "charge.declined",
                        o.collectRequestId() + ": insufficient funds (" + d.rawCode() + "); SMS " + messageId);
                outbox.enqueue(h, messageId, distributor.contactPhone(), "TOPUP_REQUIRED",
                        "[TicketLedger] Your " + o.rail() + " balance is too low for order " + o.distributorOrderId()
                                + " (" + o.total().toDecimalString() + " " + o.total().currency().getCurrencyCode()
                                + "). Please top up and re-apply.",
                        Map.of("order", o.id(), "distributorOrder", o.distributorOrderId(),
                                "amount", o.total().toDecimalString(), "rail", o.rail().value()),
                        o.id());
            }
            return n == 1;
        });
        if (moved) {
            dispatchQuietly(messageId);
        }
        return result(order(o.id()).orElseThrow());
    }

    private IssueResult fail(Order o, String reason, boolean alertAdmin) {
        LOG.warn("order {} failed: {}", o.id(), reason);
        String messageId = "order:" + o.id() + ":review:" + o.chargeRound();
        Platform platform = ctx.platform().orElseThrow();
        boolean moved = ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.orders SET state = 'FAILED', failure_reason = :why, next_attempt_at = NULL,"
                            + " lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE order_id = :id AND state IN ('CHARGING', 'CHARGE_UNKNOWN')")
                    .bind("why", reason)
                    .bind("now", Db.ts(ctx.now()))
                    .bind("id", o.id())
                    .execute();
            if (n == 1) {
                InventoryImpl.release(h, o.productId(), o.visitDate(), o.slot(), o.quantity());
                History.record(h, ctx, o.id(), "ORDER", o.id(), o.state().name(), "FAILED", "order.failed", reason);
                if (alertAdmin) {
                    outbox.enqueue(h, messageId, platform.adminPhone(), "ORDER_REVIEW",
                            "[TicketLedger] Order " + o.id() + " needs review: " + reason,
                            Map.of("order", o.id()), o.id());
                }
            }
            return n == 1;
        });
        if (moved && alertAdmin) {
            dispatchQuietly(messageId);
        }
        return result(order(o.id()).orElseThrow());
    }

    private IssueResult unknown(Order o, String cause) {
        Instant now = ctx.now();
        int attempt = o.attempts() + 1;
        Instant next = now.plus(ctx.jobs.chargeBackoff(attempt));
        ctx.db.tx(h -> {
            int n = h.createUpdate("UPDATE ticketing.orders SET state = 'CHARGE_UNKNOWN', attempts = :a, next_attempt_at = :next,"
                            + " lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE order_id = :id AND state IN ('CHARGING', 'CHARGE_UNKNOWN') AND rail_txn_id IS NULL")
                    .bind("a", attempt)
                    .bind("next", Db.ts(next))
                    .bind("now", Db.ts(now))
                    .bind("id", o.id())
                    .execute();
            if (n == 1) {
                History.record(h, ctx, o.id(), "ORDER", o.id(), o.state().name(), "CHARGE_UNKNOWN", "charge.unknown",
                        o.collectRequestId() + ": " + cause + "; attempt " + attempt + ", next at " + next);
            }
            return null;
        });
        return result(order(o.id()).orElseThrow());
    }

    /** Releases the lease (if still ours) and answers with the stored state. */
    private IssueResult finish(String orderId, String token) {
        ctx.db.tx(h -> releaseLease(h, orderId, token));
        return result(order(orderId).orElseThrow());
    }

    private static int releaseLease(Handle h, String orderId, String token) {
        return h.createUpdate("UPDATE ticketing.orders SET lease_owner = NULL, lease_until = NULL"
                        + " WHERE order_id = :id AND lease_owner = :tok")
                .bind("id", orderId).bind("tok", token).execute();
    }

    private IssueResult result(Order o) {
        switch (o.state()) {
            case ISSUED:
                return new IssueResult.Issued(o, tickets.byOrder(o.id()));
            case AWAITING_TOPUP:
                return new IssueResult.AwaitingTopUp(o);
            case FAILED:
                return new IssueResult.Failed(o);
            default:
                return new IssueResult.InProgress(o);
        }
    }

    private Optional<IssueResult> replay(IssueRequest req, String digest) {
        Optional<String> stored = ctx.db.read(h -> h.createQuery("SELECT request_digest FROM ticketing.orders"
                        + " WHERE distributor_id = :d AND distributor_order_id = :r")
                .bind("d", req.distributorId())
                .bind("r", req.distributorOrderId())
                .mapTo(String.class)
                .findOne());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().equals(digest)) {
            return Optional.of(refused(ErrorCode.IDEMPOTENCY_CONFLICT, "distributor order id " + req.distributorOrderId()
                    + " was used before for a different request"));
        }
        return Optional.of(result(order(req.distributorId(), req.distributorOrderId()).orElseThrow()));
    }

    /** The collection's entry, built from the stored order and the rail's transaction id (what a resumed drive rebuilds). */
    private EntryRequest issuanceEntry(Platform platform, Order o, String railTxnId) {
        Money subtotal = o.unitPrice().times(o.quantity());
        EntryRequest.Builder b = Book.standard(platform.ledger(), "order:" + o.id() + ":collected", "issuance")
                .debit(Book.settlement(o.rail()), o.total())
                .credit(Book.UNREDEEMED, subtotal);
        if (o.fee().isPositive()) {
            b.credit(Book.ISSUANCE_FEE, o.fee());
        }
        return b.meta("order", o.id())
                .meta("distributor", o.distributorId())
                .meta("request", o.collectRequestId().value())
                .meta("rail-txn", railTxnId)
                .build();
    }

    private void event(Order o, String event, String detail) {
        ctx.db.tx(h -> {
            History.record(h, ctx, o.id(), "ORDER", o.id(), null, o.state().name(), event, detail);
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

    static String describe(RailOutcome o) {
        if (o instanceof RailOutcome.Succeeded s) {
            return "succeeded " + s.amount().toDecimalString() + " txn " + s.railTxnId();
        }
        if (o instanceof RailOutcome.Declined d) {
            return "declined " + d.reason() + " " + d.rawCode();
        }
        if (o instanceof RailOutcome.Conflict c) {
            return "conflict " + c.rawCode();
        }
        if (o instanceof RailOutcome.Pending p) {
            return "pending: " + p.detail();
        }
        if (o instanceof RailOutcome.Unknown u) {
            return "unknown: " + u.cause();
        }
        return "not found";
    }

    private static IssueResult refused(ErrorCode code, String message) {
        return new IssueResult.Refused(Problem.of(code, message));
    }

    private static String digest(IssueRequest r) {
        String canonical = r.productId() + "|" + r.visitDate() + "|" + r.slot().orElse("") + "|" + r.quantity() + "|"
                + r.unitPrice().minor() + "|" + r.unitPrice().currency().getCurrencyCode();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    static Optional<Order> load(Handle h, String orderId) {
        return h.createQuery("SELECT * FROM ticketing.orders WHERE order_id = :id")
                .bind("id", orderId)
                .map((rs, c) -> row(rs))
                .findOne();
    }

    static Order row(ResultSet rs) throws SQLException {
        Currency cur = Currency.getInstance(rs.getString("currency"));
        return new Order(rs.getString("order_id"), rs.getString("distributor_id"), rs.getString("distributor_order_id"),
                rs.getString("product_id"), rs.getInt("product_version"), Db.date(rs, "visit_date"), rs.getString("slot"),
                rs.getInt("quantity"), Money.of(rs.getLong("unit_price_minor"), cur), Money.of(rs.getLong("fee_minor"), cur),
                Money.of(rs.getLong("total_minor"), cur), RailId.of(rs.getString("rail")), rs.getInt("payer_account_version"),
                OrderState.valueOf(rs.getString("state")), rs.getInt("charge_round"), Db.requestRound(rs, "charge_round"),
                rs.getInt("attempts"),
                Db.optInstant(rs, "next_attempt_at"), Db.optString(rs, "rail_txn_id"), Db.optString(rs, "failure_reason"),
                Db.instant(rs, "created_at"), Db.instant(rs, "updated_at"));
    }
}
