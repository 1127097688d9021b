package org.ticketledger.ticketing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.TicketingException;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRefundPolicy;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.party.AccountVersion;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutKind;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.ProductKind;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.spi.TicketClaims;
import org.ticketledger.ticketing.ticket.RedeemRequest;
import org.ticketledger.ticketing.ticket.RedeemResult;
import org.ticketledger.ticketing.ticket.RefundRequest;
import org.ticketledger.ticketing.ticket.RefundResult;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketSpot;
import org.ticketledger.ticketing.ticket.TicketState;
import org.ticketledger.ticketing.ticket.Tickets;
import org.ticketledger.ticketing.wealth.InstructionPurpose;
import org.ticketledger.verify.TicketCodec;

/**
 * Tickets. Redemption and refund lock the ticket row, check, write the new state and the payout
 * row in one transaction, then book the ledger entry (idempotent; the payout job books it again
 * before paying if this process dies in between). A device's redemption does not wait for that
 * entry ({@link #bookSoon}).
 */
final class TicketsImpl implements Tickets {

    private static final Logger LOG = LoggerFactory.getLogger(TicketsImpl.class);

    private final Ctx ctx;
    private final FeesImpl fees;
    private PayoutsImpl payouts;

    TicketsImpl(Ctx ctx, FeesImpl fees) {
        this.ctx = ctx;
        this.fees = fees;
    }

    void payouts(PayoutsImpl payouts) {
        this.payouts = payouts;
    }

    @Override
    public List<Ticket> byOrder(String orderId) {
        return ctx.db.read(h -> byOrder(h, orderId));
    }

    /** The order's tickets, read on {@code h} (inside the caller's transaction, if any). */
    static List<Ticket> byOrder(Handle h, String orderId) {
        List<Ticket> out = new ArrayList<>();
        for (Ticket t : h.createQuery("SELECT * FROM ticketing.tickets WHERE order_id = :o ORDER BY unit_index")
                .bind("o", orderId).map((rs, c) -> row(rs, List.of())).list()) {
            out.add(withSpots(h, t));
        }
        return out;
    }

    @Override
    public Optional<Ticket> ticket(String idOrNumber) {
        return ctx.db.read(h -> load(h, idOrNumber, false));
    }

    @Override
    public RedeemResult redeem(RedeemRequest req) {
        Objects.requireNonNull(req, "request");
        Optional<Problem> invalid = ctx.validation.check(req);
        if (invalid.isPresent()) {
            return new RedeemResult.Refused(invalid.get());
        }
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return new RedeemResult.Refused(Problem.of(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first"));
        }
        Instant now = ctx.now();
        Optional<AccountVersion> spotAccount = ctx.db.read(h -> h.createQuery("SELECT account_version FROM ticketing.parties"
                        + " WHERE party_id = :id AND kind = 'SCENIC_SPOT'")
                .bind("id", req.spotId()).mapTo(Integer.class).findOne()
                .map(v -> PartiesImpl.accountVersion(h, req.spotId(), v)));
        if (spotAccount.isEmpty()) {
            return new RedeemResult.Refused(Problem.of(ErrorCode.UNKNOWN_SCENIC_SPOT, "no scenic spot " + req.spotId()));
        }
        String payoutId = Ids.next("po", ctx.clock);
        // Read before the transaction: a second connection inside it could starve the pool under load.
        FeeRule payoutFee = fees.effective(FeeKind.PAYOUT, req.spotId());
        Payout payout;
        Ticket redeemed;
        try {
            payout = ctx.db.tx(h -> {
                Ticket t = load(h, req.ticket(), true).orElseThrow(() -> refusal(ErrorCode.UNKNOWN_TICKET, "no ticket " + req.ticket()));
                Optional<TicketSpot> spot = t.spots().stream().filter(s -> s.spotId().equals(req.spotId())).findFirst();
                if (spot.isEmpty()) {
                    throw refusal(ErrorCode.WRONG_SCENIC_SPOT, "ticket " + t.number() + " is not valid at " + req.spotId()
                            + "; it is valid at " + t.spots().stream().map(TicketSpot::spotId).collect(Collectors.joining(", ")));
                }
                if (t.state() == TicketState.REFUNDED) {
                    throw refusal(ErrorCode.TICKET_REFUNDED, "ticket " + t.number() + " was refunded");
                }
                if (spot.get().redeemed()) {
                    throw refusal(ErrorCode.ALREADY_REDEEMED, "ticket " + t.number() + " was redeemed at " + req.spotId()
                            + " on " + spot.get().redeemedAt().get() + " by " + spot.get().redeemedBy().orElse("?"));
                }
                if (t.state() == TicketState.EXPIRED || !now.isBefore(t.validUntil())) {
                    throw refusal(ErrorCode.TICKET_EXPIRED, "ticket " + t.number() + " expired at " + t.validUntil());
                }
                if (now.isBefore(t.validFrom())) {
                    throw refusal(ErrorCode.TICKET_NOT_YET_VALID, "ticket " + t.number() + " is valid from " + t.validFrom());
                }
                Optional<String> comboPlan = WealthImpl.lockOpenPlan(h, t);
                return recordRedemption(h, ctx, t, spot.get(), now, req.operator(), Optional.empty(), comboPlan,
                        spotAccount.get(), payoutFee, payoutId).payout();
            });
        } catch (Db.Refusal r) {
            return new RedeemResult.Refused(r.problem());
        }
        redeemed = ticket(payout.ticketId()).orElseThrow();
        try {
            payouts.bookSource(payout);
        } catch (TicketingException e) {
            LOG.warn("redemption of {} booked later by the payout job: {}", redeemed.id(), e.getMessage());
        }
        return new RedeemResult.Redeemed(redeemed, payout);
    }

    /**
     * A redemption just recorded: its payout, the ticket as it was before (its spots may be left
     * out: booking reads none), and the spot's combo margin (what booking its source entry needs,
     * so that it can be built without reading again).
     */
    record Redemption(Payout payout, Ticket ticket, Optional<Long> comboMarginMinor) {
        Redemption {
            Objects.requireNonNull(payout, "payout");
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(comboMarginMinor, "comboMarginMinor");
        }
    }

    /**
     * Redeems the ticket at the spot inside the caller's transaction (ticket row locked, checks
     * done): marks the spot redeemed and creates its payout. The caller books the payout's source
     * entry after commit ({@link PayoutsImpl#bookSource} or {@link PayoutsImpl#bookSourceSoon}).
     */
    static Redemption recordRedemption(Handle h, Ctx ctx, Ticket t, TicketSpot spot, Instant at, String by,
                                       Optional<String> recordId, Optional<String> comboPlan, AccountVersion account,
                                       FeeRule payoutFee, String payoutId) {
        Instant now = ctx.now();
        // The margin comes back with the update: the source entry needs it and the row is at hand.
        List<Optional<Long>> margin = h.createQuery("UPDATE ticketing.ticket_spots SET redeemed_at = :at, redeemed_by = :by,"
                        + " redeemed_record_id = :rec WHERE ticket_id = :t AND spot_id = :s AND redeemed_at IS NULL"
                        + " RETURNING margin_minor")
                .bind("at", Db.ts(at)).bind("by", by).bind("rec", recordId.orElse(null)).bind("t", t.id())
                .bind("s", spot.spotId())
                .map((rs, c) -> Optional.ofNullable(rs.getObject("margin_minor", Long.class))).list();
        boolean allRedeemed = t.spots().stream().allMatch(s -> s.redeemed() || s.spotId().equals(spot.spotId()));
        // A combo's redemption records its margin on the row; any other keeps what the row had.
        Optional<Long> comboMargin = comboPlan.isPresent()
                ? Optional.of(WealthImpl.onRedeemed(h, ctx, t, spot.spotId(), allRedeemed, comboPlan.get()))
                : margin.size() == 1 ? margin.get(0)
                : Optional.ofNullable(h.createQuery("SELECT margin_minor FROM ticketing.ticket_spots WHERE ticket_id = :t"
                        + " AND spot_id = :s").bind("t", t.id()).bind("s", spot.spotId()).mapTo(Long.class).findOne().orElse(null));
        if (allRedeemed) {
            h.createUpdate("UPDATE ticketing.tickets SET state = 'REDEEMED', updated_at = :now WHERE ticket_id = :t")
                    .bind("now", Db.ts(now)).bind("t", t.id()).execute();
        }
        History.record(h, ctx, t.orderId(), "TICKET", t.id(), t.state().name(),
                allRedeemed ? "REDEEMED" : t.state().name(), "ticket.redeemed", redeemedDetail(spot.spotId(), by, recordId));
        Money gross = spot.scenicPrice();
        Money fee = payoutFee.feeOn(gross);
        if (fee.isGreaterThan(gross)) {
            fee = gross;
        }
        Payout payout = PayoutsImpl.insert(h, ctx, payoutId, PayoutKind.SCENIC_SETTLEMENT, t, spot.spotId(), account.version(),
                account.account().rail(), gross, fee);
        return new Redemption(payout, t, comboMargin);
    }

    /** The history detail of a redemption at {@code spotId} by {@code by} (a device, or whoever redeemed at the desk). */
    static String redeemedDetail(String spotId, String by, Optional<String> recordId) {
        return "at " + spotId + " by " + by + recordId.map(r -> " (scan record " + r + ")").orElse("");
    }

    /** Books a device redemption's source entry without waiting for it ({@link PayoutsImpl#bookSourceSoon}). */
    void bookSoon(Redemption r) {
        payouts.bookSourceSoon(r);
    }

    @Override
    public RefundResult refund(RefundRequest req) {
        Objects.requireNonNull(req, "request");
        Optional<Problem> invalid = ctx.validation.check(req);
        if (invalid.isPresent()) {
            return new RefundResult.Refused(invalid.get());
        }
        if (ctx.platform().isEmpty()) {
            return new RefundResult.Refused(Problem.of(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first"));
        }
        Instant now = ctx.now();
        String payoutId = Ids.next("po", ctx.clock);
        Payout payout;
        try {
            payout = ctx.db.tx(h -> {
                Ticket t = load(h, req.ticket(), true).orElseThrow(() -> refusal(ErrorCode.UNKNOWN_TICKET, "no ticket " + req.ticket()));
                if (!t.distributorId().equals(req.distributorId())) {
                    throw refusal(ErrorCode.WRONG_DISTRIBUTOR, "ticket " + t.number() + " was bought by another distributor");
                }
                if (t.state() == TicketState.REFUNDED) {
                    throw refusal(ErrorCode.TICKET_REFUNDED, "ticket " + t.number() + " was refunded already");
                }
                if (t.state() == TicketState.REDEEMED || t.spots().stream().anyMatch(TicketSpot::redeemed)) {
                    throw refusal(ErrorCode.NOT_REFUNDABLE, "ticket " + t.number() + " was redeemed and cannot be refunded");
                }
                if (t.state() == TicketState.EXPIRED || !now.isBefore(t.validUntil())) {
                    throw refusal(ErrorCode.TICKET_EXPIRED, "ticket " + t.number() + " expired at " + t.validUntil());
                }
                Order o = OrdersImpl.load(h, t.orderId()).orElseThrow();
                Optional<String> comboPlan = WealthImpl.lockOpenPlan(h, t);
                h.createUpdate("UPDATE ticketing.tickets SET state = 'REFUNDED', updated_at = :now WHERE ticket_id = :t")
                        .bind("now", Db.ts(now)).bind("t", t.id()).execute();
                // A refunded combo's distributor price comes back out of its wealth plan.
                comboPlan.ifPresent(plan -> WealthImpl.insertWithdraw(h, ctx, t, plan, null, t.faceValue(),
                        InstructionPurpose.REFUND));
                InventoryImpl.release(h, o.productId(), o.visitDate(), o.slot(), 1);
                History.record(h, ctx, t.orderId(), "TICKET", t.id(), t.state().name(), "REFUNDED", "ticket.refunded",
                        req.reason());
                // Devices must refuse the code from now on, offline too.
                CodesImpl.revoke(h, ctx, t, "REFUNDED");
                Money gross = ctx.feeRefundPolicy == FeeRefundPolicy.REFUND_FEE ? t.faceValue().plus(t.feeShare()) : t.faceValue();
                return PayoutsImpl.insert(h, ctx, payoutId, PayoutKind.REFUND, t, t.distributorId(), o.payerAccountVersion(),
                        o.rail(), gross, Money.zero(gross.currency()));
            });
        } catch (Db.Refusal r) {
            return new RefundResult.Refused(r.problem());
        }
        try {
            payouts.bookSource(payout);
        } catch (TicketingException e) {
            LOG.warn("refund of {} booked later by the payout job: {}", payout.ticketId(), e.getMessage());
        }
        return new RefundResult.Refunded(ticket(payout.ticketId()).orElseThrow(), payout);
    }

    /** When a ticket for {@code visitDate} stops being valid: its validity days, at most the product's last day. */
    static Instant validUntil(LocalDate visitDate, Product p, ZoneId zone) {
        LocalDate end = visitDate.plusDays(p.validDays());
        LocalDate productEnd = p.validUntil().plusDays(1);
        return (end.isAfter(productEnd) ? productEnd : end).atStartOfDay(zone).toInstant();
    }

    /**
     * A ticket made ready to be stored: its id, number and signed code. Preparing needs no
     * transaction (ticket numbers come from a sequence, which never rolls back anyway), so the order
     * flow does it while it waits for the ledger; a prepared ticket that is never stored only
     * leaves a gap in the numbers.
     */
    record PreparedTicket(int unitIndex, String id, String number, String code, Optional<Integer> codeKeyId) {
        PreparedTicket {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(codeKeyId, "codeKeyId");
        }
    }

    /**
     * Numbers and signs one ticket per unit of the order (one statement for all the numbers, no
     * transaction). Throws {@link TicketingException} if no code can be minted.
     */
    static List<PreparedTicket> prepareTickets(Ctx ctx, Order o, Product p, ZoneId zone, Optional<List<Long>> ticketNumbers) {
        Instant validFrom = o.visitDate().atStartOfDay(zone).toInstant();
        Instant validUntil = validUntil(o.visitDate(), p, zone);
        List<String> spots = p.spots().stream().map(SpotPrice::spotId).toList();
        record Numbers(List<Long> tickets, List<Long> spots, long product) {
        }
        // With the ticket numbers taken when the order was placed and the code numbers remembered,
        // no statement (nor connection) is needed here.
        Numbers numbers = ticketNumbers.isPresent() && ctx.codeNumbers.known(p.id(), spots)
                ? new Numbers(ticketNumbers.get(), spots.stream().map(sp -> ctx.codeNumbers.spot(null, sp)).toList(),
                        ctx.codeNumbers.product(null, p.id()))
                : ctx.db.read(h -> new Numbers(ticketNumbers.orElseGet(() ->
                        h.createQuery("SELECT nextval('ticketing.ticket_no_seq') FROM generate_series(1, :n)")
                                .bind("n", o.quantity()).mapTo(Long.class).list()),
                        spots.stream().map(sp -> ctx.codeNumbers.spot(h, sp)).toList(),
                        ctx.codeNumbers.product(h, p.id())));
        List<PreparedTicket> out = new ArrayList<>(o.quantity());
        for (int i = 0; i < o.quantity(); i++) {
            String id = Ids.next("t", ctx.clock);
            String number = Ids.ticketNumber(numbers.tickets().get(i));
            String code = ctx.minter.mint(new TicketClaims(id, number, p.id(), p.version(), numbers.product(), spots,
                    numbers.spots(), validFrom, validUntil, 1));
            Optional<Integer> keyId = TicketCodec.decode(code).ticketCode().map(tc -> tc.payload().keyId());
            out.add(new PreparedTicket(i, id, number, code, keyId));
        }
        return out;
    }

    /**
     * Stores the order's prepared tickets inside the caller's transaction (units already issued
     * are kept, their prepared twins dropped) and adds a {@code ticket.issued} event per stored
     * ticket to {@code events}. Returns the order's tickets: as stored, built from what was
     * written (no read-back) unless some units were issued before. One statement writes the
     * tickets and their spots.
     */
    static List<Ticket> insertTickets(Handle h, Ctx ctx, Order o, Product p, ZoneId zone, List<PreparedTicket> prepared,
                                      History.Batch events) {
        Statement st = statement(h, ctx, o, p, zone, prepared, Optional.empty());
        java.util.Set<Integer> stored = new java.util.HashSet<>(st.query().mapTo(Integer.class).list());
        for (PreparedTicket t : prepared) {
            if (stored.contains(t.unitIndex())) {
                events.add(o.id(), "TICKET", t.id(), null, "ISSUED", "ticket.issued", issuedDetail(t, st.validFrom(), st.validUntil()));
            }
        }
        return stored.size() == prepared.size() ? st.built() : byOrder(h, o.id());
    }

    /**
     * What runs first in the tickets statement when the same statement also issues the order
     * (OrdersImpl): {@code ctes}, CTEs placed before the tickets' own; {@code source}, a CTE of at
     * most one row the tickets are inserted for (none: none inserted); {@code firstEvents} and
     * {@code lastEvents}, SELECTs of event rows (g, n, order_id, subject_type, subject_id,
     * from_state, to_state, event, detail; g 0 and 2) around the {@code ticket.issued} ones (g 1);
     * {@code select}, the statement's answer (the tickets it stored are the CTE {@code t}).
     */
    record Lead(String ctes, String source, String firstEvents, String lastEvents, String select) {
    }

    /** The tickets statement, bound but not run, and the tickets as they will be if all are stored. */
    record Statement(org.jdbi.v3.core.statement.Query query, List<Ticket> built, Instant validFrom, Instant validUntil) {
    }

    /**
     * Builds the statement that stores {@code prepared} (see {@link #insertTickets}); with a
     * {@code lead}, it also inserts the lead's events around the {@code ticket.issued} ones and
     * answers the lead's select instead of the stored unit indexes.
     */
    static Statement statement(Handle h, Ctx ctx, Order o, Product p, ZoneId zone, List<PreparedTicket> prepared,
                               Optional<Lead> lead) {
        if (prepared.size() != o.quantity()) {
            throw new TicketingException("prepared " + prepared.size() + " tickets for an order of " + o.quantity());
        }
        long feeEach = o.fee().minor() / o.quantity();
        long feeRest = o.fee().minor() % o.quantity();
        Instant validFrom = o.visitDate().atStartOfDay(zone).toInstant();
        Instant validUntil = validUntil(o.visitDate(), p, zone);
        // As stored (timestamptz keeps microseconds), so the answer equals a later read.
        Instant now = ctx.now().truncatedTo(ChronoUnit.MICROS);
        List<SpotPrice> spots = p.spots().stream().sorted(java.util.Comparator.comparing(SpotPrice::spotId)).toList();
        StringBuilder sql = new StringBuilder("WITH ");
        lead.ifPresent(l -> sql.append(l.ctes()).append(", "));
        // Typed: the rows are a SELECT (from the lead's row, if any), whose parameters no target column types.
        sql.append("t AS (INSERT INTO ticketing.tickets (ticket_id, ticket_no, order_id, unit_index,"
                + " product_id, product_version, distributor_id, state, face_minor, fee_share_minor, currency, valid_from, valid_until,"
                + " code, code_key_id, issued_at, updated_at, combo) SELECT v.* FROM ");
        lead.ifPresent(l -> sql.append(l.source()).append(" CROSS JOIN "));
        sql.append("(VALUES ");
        for (int i = 0; i < prepared.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(CAST(:id").append(i).append(" AS text), CAST(:no").append(i)
                    .append(" AS text), CAST(:o AS text), CAST(:i").append(i).append(" AS int), CAST(:p AS text), CAST(:pv AS int),"
                            + " CAST(:d AS text), 'ISSUED', CAST(:face AS bigint), CAST(:fee").append(i)
                    .append(" AS bigint), CAST(:cur AS text), CAST(:from AS timestamptz), CAST(:until AS timestamptz), CAST(:code")
                    .append(i).append(" AS text), CAST(:kid").append(i).append(" AS int), CAST(:now AS timestamptz),"
                            + " CAST(:now AS timestamptz), CAST(:combo AS boolean))");
        }
        // WHERE true: "ON" after the FROM list would be read as a join's condition.
        sql.append(") AS v WHERE true ON CONFLICT (order_id, unit_index) DO NOTHING RETURNING ticket_id, unit_index)");
        if (!spots.isEmpty()) {
            sql.append(", s AS (INSERT INTO ticketing.ticket_spots (ticket_id, spot_id, scenic_price_minor)"
                    + " SELECT t.ticket_id, v.spot_id, v.price FROM t CROSS JOIN (VALUES ");
            for (int j = 0; j < spots.size(); j++) {
                sql.append(j == 0 ? "" : ", ").append("(:sp").append(j).append(", :price").append(j).append(")");
            }
            sql.append(") AS v (spot_id, price))");
        }
        if (lead.isPresent()) {
            sql.append(", e AS (INSERT INTO ticketing.events (order_id, subject_type, subject_id, from_state, to_state, event,"
                    + " detail, at) SELECT x.order_id, x.subject_type, x.subject_id, x.from_state, x.to_state, x.event, x.detail,"
                    + " CAST(:evat AS timestamptz) FROM (");
            sql.append(lead.get().firstEvents()).append(" UNION ALL ");
            sql.append("SELECT 1, t.unit_index, CAST(:o AS text), 'TICKET', t.ticket_id, CAST(NULL AS text), 'ISSUED', 'ticket.issued',"
                    + " td.detail FROM t JOIN (VALUES ");
            for (int i = 0; i < prepared.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(CAST(:i").append(i).append(" AS int), CAST(:td").append(i).append(" AS text))");
            }
            sql.append(") AS td (unit_index, detail) ON td.unit_index = t.unit_index");
            sql.append(" UNION ALL ").append(lead.get().lastEvents());
            sql.append(") AS x ORDER BY x.g, x.n)");
        }
        sql.append(lead.map(l -> " " + l.select()).orElse(" SELECT unit_index FROM t"));
        var insert = h.createQuery(sql.toString())
                .bind("o", o.id()).bind("p", p.id()).bind("pv", p.version()).bind("d", o.distributorId())
                .bind("face", o.unitPrice().minor()).bind("cur", o.unitPrice().currency().getCurrencyCode())
                .bind("from", Db.ts(validFrom)).bind("until", Db.ts(validUntil)).bind("now", Db.ts(now))
                // Which expiry branch the ticket belongs to (V31): a combo's waits for its plan.
                .bind("combo", p.kind() == ProductKind.COMBO);
        List<Ticket> built = new ArrayList<>(prepared.size());
        List<TicketSpot> ticketSpots = spots.stream()
                .map(s -> new TicketSpot(s.spotId(), s.scenicPrice(), Optional.empty(), Optional.empty())).toList();
        for (PreparedTicket t : prepared) {
            int i = t.unitIndex();
            // The first unit carries the fee's remainder so the shares add up to the order's fee exactly.
            long feeShare = feeEach + (i == 0 ? feeRest : 0);
            insert.bind("id" + i, t.id()).bind("no" + i, t.number()).bind("i" + i, i).bind("fee" + i, feeShare)
                    .bind("code" + i, t.code()).bind("kid" + i, t.codeKeyId().orElse(null));
            built.add(new Ticket(t.id(), t.number(), o.id(), i, p.id(), p.version(), o.distributorId(), TicketState.ISSUED,
                    o.unitPrice(), Money.of(feeShare, o.unitPrice().currency()), validFrom, validUntil, t.code(), ticketSpots,
                    now, now));
        }
        for (int j = 0; j < spots.size(); j++) {
            insert.bind("sp" + j, spots.get(j).spotId()).bind("price" + j, spots.get(j).scenicPrice().minor());
        }
        if (lead.isPresent()) {
            for (PreparedTicket t : prepared) {
                insert.bind("td" + t.unitIndex(), issuedDetail(t, validFrom, validUntil));
            }
            insert.bind("evat", Db.ts(ctx.now()));
        }
        return new Statement(insert, built, validFrom, validUntil);
    }

    private static String issuedDetail(PreparedTicket t, Instant validFrom, Instant validUntil) {
        return "number " + t.number() + ", valid " + validFrom + " to " + validUntil;
    }

    static Optional<Ticket> load(Handle h, String idOrNumber, boolean forUpdate) {
        Optional<Ticket> t = h.createQuery("SELECT * FROM ticketing.tickets WHERE ticket_id = :r OR ticket_no = :r"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .bind("r", idOrNumber)
                .map((rs, c) -> row(rs, List.of()))
                .findOne();
        return t.map(x -> withSpots(h, x));
    }

    private static Ticket withSpots(Handle h, Ticket t) {
        Currency cur = t.faceValue().currency();
        List<TicketSpot> spots = h.createQuery("SELECT * FROM ticketing.ticket_spots WHERE ticket_id = :t ORDER BY spot_id")
                .bind("t", t.id())
                .map((rs, c) -> new TicketSpot(rs.getString("spot_id"), Money.of(rs.getLong("scenic_price_minor"), cur),
                        Db.optInstant(rs, "redeemed_at"), Db.optString(rs, "redeemed_by")))
                .list();
        return new Ticket(t.id(), t.number(), t.orderId(), t.unitIndex(), t.productId(), t.productVersion(), t.distributorId(),
                t.state(), t.faceValue(), t.feeShare(), t.validFrom(), t.validUntil(), t.code(), spots, t.issuedAt(),
                t.updatedAt());
    }

    private static Ticket row(ResultSet rs, List<TicketSpot> spots) throws SQLException {
        return row(rs, "", spots);
    }

    /** The columns {@link #row(ResultSet, String)} reads, each {@code from + column AS prefix + column}. */
    static String columnsOf(String from, String prefix) {
        return ROW_COLUMNS.stream().map(c -> from + c + " AS " + prefix + c).collect(Collectors.joining(", "));
    }

    private static final List<String> ROW_COLUMNS = List.of("ticket_id", "ticket_no", "order_id", "unit_index", "product_id",
            "product_version", "distributor_id", "state", "face_minor", "fee_share_minor", "currency", "valid_from",
            "valid_until", "code", "issued_at", "updated_at");

    /**
     * A ticket from columns named {@code prefix + column} (see {@link #columnsOf}), without its
     * spots: for a caller that has them at hand or does not need them.
     */
    static Ticket row(ResultSet rs, String prefix) throws SQLException {
        return row(rs, prefix, List.of());
    }

    private static Ticket row(ResultSet rs, String prefix, List<TicketSpot> spots) throws SQLException {
        Currency cur = Currency.getInstance(rs.getString(prefix + "currency"));
        return new Ticket(rs.getString(prefix + "ticket_id"), rs.getString(prefix + "ticket_no"), rs.getString(prefix + "order_id"),
                rs.getInt(prefix + "unit_index"), rs.getString(prefix + "product_id"), rs.getInt(prefix + "product_version"),
                rs.getString(prefix + "distributor_id"), TicketState.valueOf(rs.getString(prefix + "state")),
                Money.of(rs.getLong(prefix + "face_minor"), cur), Money.of(rs.getLong(prefix + "fee_share_minor"), cur),
                Db.instant(rs, prefix + "valid_from"), Db.instant(rs, prefix + "valid_until"), rs.getString(prefix + "code"), spots,
                Db.instant(rs, prefix + "issued_at"), Db.instant(rs, prefix + "updated_at"));
    }

    private static Db.Refusal refusal(ErrorCode code, String message) {
        return new Db.Refusal(Problem.of(code, message));
    }
}
