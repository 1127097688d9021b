package org.ticketledger.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.ticketledger.alipay.sandbox.SandboxTransaction;
import org.ticketledger.bench.http.PlatformClient;
import org.ticketledger.bench.http.Sandboxes;
import org.ticketledger.cli.LedgerCli;
import org.ticketledger.huijinbao.sandbox.SandboxOrder;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;

/**
 * The verdict of a run: the platform's records (its database, read-only, and its admin API)
 * against the rails' own books (the sandboxes' transaction lists) and the journal's hash chain
 * (ledger-cli). Each check is independent; a run passes when all do.
 */
public final class Audit {

    /** One check and what it found. */
    public record Check(String name, boolean ok, String detail) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private static final Pattern COLLECT = Pattern.compile("col-(.+)-([0-9]+)");
    private static final Pattern PAYOUT = Pattern.compile("pay-(.+)-([0-9]+)");
    private static final Pattern WEALTH = Pattern.compile("(?:inv|wdr)-(.+)-([0-9]+)");
    private static final int SHOW = 5;

    record OrderRow(String id, String state, long totalMinor, String rail) {
    }

    record InstructionRow(String id, String kind, String purpose, String orderId, String ticketId, String spotId,
                          long amountMinor, String state, String planId) {
    }

    record PayoutRow(String id, String kind, String ticketId, String partyId, String state, long netMinor, String rail) {
    }

    /** A movement on a rail under one of our request ids. */
    record Movement(String rail, String requestId, long amountMinor) {
    }

    private final DataSource db;
    private final PlatformClient api;
    private final Sandboxes rails;
    private final Driver driver;
    private final String jdbcUrl;
    private final String dbUser;
    final List<Check> checks = new ArrayList<>();
    final Map<String, Object> figures = new TreeMap<>();

    private final List<String> gateTrouble;

    Audit(DataSource db, PlatformClient api, Sandboxes rails, Driver driver, List<String> gateTrouble, String jdbcUrl, String dbUser) {
        this.gateTrouble = List.copyOf(gateTrouble);
        this.db = db;
        this.api = api;
        this.rails = rails;
        this.driver = driver;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
    }

    boolean passed() {
        return checks.stream().allMatch(Check::ok);
    }

    void run() throws SQLException {
        Map<String, OrderRow> orders = new HashMap<>();
        Map<String, PayoutRow> payouts = new HashMap<>();
        Map<String, String> ticketStates = new HashMap<>();
        Map<String, Integer> redeemedSpots = new HashMap<>(); // ticket id -> spots redeemed
        Set<String> redeemedKeys = new java.util.HashSet<>(); // ticket|spot
        Map<String, InstructionRow> instructions = new HashMap<>();
        Map<String, Long> comboOrders = new HashMap<>(); // issued combo order -> principal to invest
        Set<String> comboTickets = new java.util.HashSet<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT order_id, state, total_minor, rail FROM ticketing.orders")) {
                while (rs.next()) {
                    orders.put(rs.getString(1), new OrderRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT payout_id, kind, ticket_id, party_id, state, net_minor, rail FROM ticketing.payouts")) {
                while (rs.next()) {
                    payouts.put(rs.getString(1), new PayoutRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7)));
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT instruction_id, kind, purpose, order_id, ticket_id, spot_id, amount_minor, state, plan_id
                      FROM ticketing.plan_instructions""")) {
                while (rs.next()) {
                    instructions.put(rs.getString(1), new InstructionRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9)));
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT o.order_id, o.total_minor - o.fee_minor FROM ticketing.orders o
                      JOIN ticketing.combo_products c ON c.product_id = o.product_id WHERE o.state = 'ISSUED'""")) {
                while (rs.next()) {
                    comboOrders.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT t.ticket_id FROM ticketing.tickets t JOIN ticketing.combo_products c ON c.product_id = t.product_id""")) {
                while (rs.next()) {
                    comboTickets.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT ticket_id, state FROM ticketing.tickets")) {
                while (rs.next()) {
                    ticketStates.put(rs.getString(1), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT ticket_id, spot_id FROM ticketing.ticket_spots WHERE redeemed_at IS NOT NULL")) {
                while (rs.next()) {
                    redeemedSpots.merge(rs.getString(1), 1, Integer::sum);
                    redeemedKeys.add(rs.getString(1) + "|" + rs.getString(2));
                }
            }
        }
        List<Movement> collections = new ArrayList<>();
        List<Movement> paid = new ArrayList<>();
        List<String> strange = new ArrayList<>();
        List<Movement> wealthMoves = new ArrayList<>();
        for (SandboxTransaction t : rails.alipay().transactions()) {
            Movement m = new Movement("ALIPAY", t.outNo(), t.amount().minor());
            if (t.kind() == SandboxTransaction.Kind.TRADE) {
                collections.add(m);
            } else {
                paid.add(m);
            }
        }
        for (SandboxOrder o : rails.huijinbao().orders()) {
            Movement m = new Movement("HUIJINBAO", o.requestId().value(), o.amount().minor());
            if (o.type() == InstructionType.COLLECT) {
                collections.add(m);
            } else if (o.type() == InstructionType.PAYOUT) {
                paid.add(m);
            } else {
                wealthMoves.add(m);
            }
        }

        // --- orders and collections
        Map<String, List<Movement>> chargesByOrder = new HashMap<>();
        List<String> orphanCharges = new ArrayList<>();
        for (Movement m : collections) {
            Matcher x = COLLECT.matcher(m.requestId());
            if (x.matches() && orders.containsKey(x.group(1))) {
                chargesByOrder.computeIfAbsent(x.group(1), k -> new ArrayList<>()).add(m);
            } else {
                orphanCharges.add(m.rail() + " " + m.requestId());
            }
        }
        List<String> notOnce = new ArrayList<>();
        List<String> chargedButNotIssued = new ArrayList<>();
        long issued = 0;
        long failed = 0;
        Map<String, Long> orderStates = new TreeMap<>();
        for (OrderRow o : orders.values()) {
            orderStates.merge(o.state(), 1L, Long::sum);
            List<Movement> charges = chargesByOrder.getOrDefault(o.id(), List.of());
            if (o.state().equals("ISSUED")) {
                issued++;
                if (charges.size() != 1 || charges.get(0).amountMinor() != o.totalMinor() || !charges.get(0).rail().equals(o.rail())) {
                    notOnce.add(o.id() + " charged " + charges);
                }
            } else {
                failed += o.state().equals("FAILED") ? 1 : 0;
                if (!charges.isEmpty()) {
                    chargedButNotIssued.add(o.id() + " " + o.state() + " charged " + charges);
                }
            }
        }
        figures.put("orders_in_db", orders.size());
        figures.put("orders_issued", issued);
        figures.put("orders_failed", failed);
        figures.put("rail_collections", collections.size());
        List<String> lostAcks = new ArrayList<>();
        List<String> unknownToPlatform = new ArrayList<>();
        for (Driver.Track t : driver.tracks.values()) {
            OrderRow row = t.orderId == null ? null : orders.get(t.orderId);
            if (row == null) {
                unknownToPlatform.add(t.ref + " (" + t.orderId + ")");
            } else if (t.acknowledgedIssued && !row.state().equals("ISSUED")) {
                lostAcks.add(t.ref + " " + t.orderId + " now " + row.state());
            }
        }
        check("every order placed is known to the platform", unknownToPlatform, driver.tracks.size() + " orders placed");
        check("every order answered ISSUED is still issued", lostAcks,
                driver.tracks.values().stream().filter(t -> t.acknowledgedIssued).count() + " acknowledged");
        check("every issued order charged exactly once, for its total", notOnce, issued + " issued, " + failed + " failed");
        check("no charge for an order that is not issued", chargedButNotIssued, orderStates.toString());
        check("no charge without an order", orphanCharges, collections.size() + " collections on the rails");

        // --- payouts
        Map<String, List<Movement>> paidByPayout = new HashMap<>();
        List<String> orphanPayouts = new ArrayList<>();
        for (Movement m : paid) {
            Matcher x = PAYOUT.matcher(m.requestId());
            if (x.matches() && payouts.containsKey(x.group(1))) {
                paidByPayout.computeIfAbsent(x.group(1), k -> new ArrayList<>()).add(m);
            } else {
                orphanPayouts.add(m.rail() + " " + m.requestId());
            }
        }
        List<String> payoutNotOnce = new ArrayList<>();
        List<String> payoutWithoutCause = new ArrayList<>();
        Map<String, Long> payoutStates = new TreeMap<>();
        Map<String, Integer> settlementsByKey = new HashMap<>();
        Map<String, Integer> refundsByTicket = new HashMap<>();
        for (PayoutRow p : payouts.values()) {
            payoutStates.merge(p.kind() + ":" + p.state(), 1L, Long::sum);
            List<Movement> ms = paidByPayout.getOrDefault(p.id(), List.of());
            boolean done = p.state().equals("DONE");
            if (done ? ms.size() != 1 || ms.get(0).amountMinor() != p.netMinor() || !ms.get(0).rail().equals(p.rail())
                    : !ms.isEmpty()) {
                payoutNotOnce.add(p.id() + " " + p.state() + " paid " + ms);
            }
            if (p.kind().equals("REFUND")) {
                refundsByTicket.merge(p.ticketId(), 1, Integer::sum);
                if (!"REFUNDED".equals(ticketStates.get(p.ticketId()))) {
                    payoutWithoutCause.add(p.id() + " refunds " + p.ticketId() + " which is " + ticketStates.get(p.ticketId()));
                }
            } else {
                settlementsByKey.merge(p.ticketId() + "|" + p.partyId(), 1, Integer::sum);
                if (!redeemedKeys.contains(p.ticketId() + "|" + p.partyId())) {
                    payoutWithoutCause.add(p.id() + " settles " + p.ticketId() + " at " + p.partyId() + ", not redeemed there");
                }
            }
        }
        for (Movement m : paid) {
            Matcher x = PAYOUT.matcher(m.requestId());
            // a rail payout whose payout row is not DONE is counted above; orphans too
            if (x.matches() && payouts.containsKey(x.group(1)) && !payouts.get(x.group(1)).state().equals("DONE")) {
                payoutWithoutCause.add(m.requestId() + " paid on the rail, payout is " + payouts.get(x.group(1)).state());
            }
        }
        List<String> redeemedNotPaidOnce = new ArrayList<>();
        for (String key : redeemedKeys) {
            int n = settlementsByKey.getOrDefault(key, 0);
            if (n != 1) {
                redeemedNotPaidOnce.add(key + " has " + n + " settlement payouts");
            }
        }
        List<String> refundedNotOnce = new ArrayList<>();
        long refundedTickets = 0;
        for (Map.Entry<String, String> t : ticketStates.entrySet()) {
            if (t.getValue().equals("REFUNDED")) {
                refundedTickets++;
                if (refundsByTicket.getOrDefault(t.getKey(), 0) != 1) {
                    refundedNotOnce.add(t.getKey() + " has " + refundsByTicket.getOrDefault(t.getKey(), 0) + " refund payouts");
                }
            }
        }
        figures.put("tickets", ticketStates.size());
        figures.put("tickets_refunded", refundedTickets);
        figures.put("spots_redeemed", redeemedKeys.size());
        figures.put("rail_payouts", paid.size());
        check("every payout done is paid exactly once, for its net amount; none paid otherwise", payoutNotOnce, payoutStates.toString());
        check("every redeemed ticket paid to its spot exactly once", redeemedNotPaidOnce, redeemedKeys.size() + " redemptions");
        List<String> admittedNotRedeemed = new ArrayList<>();
        for (String key : driver.admitted) {
            if (!redeemedKeys.contains(key)) {
                admittedNotRedeemed.add(key);
            }
        }
        admittedNotRedeemed.addAll(gateTrouble);
        check("every visitor a gate admitted is a redemption of the platform", admittedNotRedeemed,
                driver.admitted.size() + " admitted at the gates");
        check("every refunded ticket refunded exactly once", refundedNotOnce, refundedTickets + " refunded tickets");
        List<String> noCause = new ArrayList<>(orphanPayouts);
        noCause.addAll(payoutWithoutCause);
        noCause.addAll(strange);
        check("no payout without a redemption or refund", noCause, paid.size() + " payouts on the rails");

        // --- wealth plan (combos)
        Map<String, List<Movement>> movesByInstruction = new HashMap<>();
        List<String> orphanWealth = new ArrayList<>();
        for (Movement m : wealthMoves) {
            Matcher x = WEALTH.matcher(m.requestId());
            if (x.matches() && instructions.containsKey(x.group(1))) {
                movesByInstruction.computeIfAbsent(x.group(1), k -> new ArrayList<>()).add(m);
            } else {
                orphanWealth.add(m.requestId());
            }
        }
        List<String> instructionNotOnce = new ArrayList<>();
        Map<String, Long> instructionStates = new TreeMap<>();
        Map<String, Integer> investsByOrder = new HashMap<>();
        Map<String, Integer> withdrawsByKey = new HashMap<>();
        for (InstructionRow i : instructions.values()) {
            instructionStates.merge(i.kind() + ":" + i.state(), 1L, Long::sum);
            List<Movement> ms = movesByInstruction.getOrDefault(i.id(), List.of());
            boolean done = i.state().equals("DONE");
            if (done ? ms.size() != 1 || ms.get(0).amountMinor() != i.amountMinor() : !ms.isEmpty()) {
                instructionNotOnce.add(i.id() + " " + i.kind() + " " + i.state() + " moved " + ms);
            }
            if (i.kind().equals("INVEST") && done) {
                investsByOrder.merge(i.orderId(), 1, Integer::sum);
                if (comboOrders.containsKey(i.orderId()) && comboOrders.get(i.orderId()) != i.amountMinor()) {
                    instructionNotOnce.add(i.id() + " invests " + i.amountMinor() + " for an order of " + comboOrders.get(i.orderId()));
                }
            }
            if (i.kind().equals("WITHDRAW") && i.purpose().equals("REDEMPTION") && done) {
                withdrawsByKey.merge(i.ticketId() + "|" + i.spotId(), 1, Integer::sum);
            }
        }
        List<String> notInvested = new ArrayList<>();
        for (String orderId : comboOrders.keySet()) {
            if (investsByOrder.getOrDefault(orderId, 0) != 1) {
                notInvested.add(orderId + " invested " + investsByOrder.getOrDefault(orderId, 0) + " times");
            }
        }
        List<String> notWithdrawn = new ArrayList<>();
        for (String key : redeemedKeys) {
            if (comboTickets.contains(key.substring(0, key.indexOf('|'))) && withdrawsByKey.getOrDefault(key, 0) != 1) {
                notWithdrawn.add(key + " withdrawn " + withdrawsByKey.getOrDefault(key, 0) + " times");
            }
        }
        figures.put("combo_orders_issued", comboOrders.size());
        figures.put("wealth_movements", wealthMoves.size());
        check("every issued combo order invested exactly once, its principal", notInvested, comboOrders.size() + " combo orders");
        check("every combo redemption withdrawn from the plan exactly once", notWithdrawn, "combo spots redeemed");
        check("every wealth instruction done moved exactly once, for its amount; none moved otherwise", instructionNotOnce,
                instructionStates.toString());
        check("no wealth movement without an instruction", orphanWealth, wealthMoves.size() + " subscribes and redeems");

        // --- stuck work
        List<String> stuck = new ArrayList<>();
        long manual = 0;
        for (OrderRow o : orders.values()) {
            if (!o.state().equals("ISSUED") && !o.state().equals("FAILED")) {
                stuck.add("order " + o.id() + " " + o.state());
            }
        }
        for (InstructionRow i : instructions.values()) {
            if (i.state().equals("MANUAL_REVIEW") || i.state().equals("AWAITING_FUNDS")) {
                manual++;
            } else if (!i.state().equals("DONE") && !i.state().equals("CANCELLED")) {
                stuck.add("wealth instruction " + i.id() + " " + i.state());
            }
        }
        for (PayoutRow p : payouts.values()) {
            if (p.state().equals("MANUAL_REVIEW") || p.state().equals("AWAITING_FUNDS")) {
                manual++;
            } else if (!p.state().equals("DONE")) {
                stuck.add("payout " + p.id() + " " + p.state());
            }
        }
        figures.put("work_in_manual_states", manual);
        check("nothing stuck outside a documented manual state", stuck,
                manual + " payouts or wealth instructions in MANUAL_REVIEW/AWAITING_FUNDS (documented manual states)");

        // --- books
        JsonNode tb = api.admin("GET", "/admin/v1/trial-balance", null).expect(200).json();
        boolean balanced = tb.path("balanced").asBoolean(false)
                && tb.path("totalDebits").asText().equals(tb.path("totalCredits").asText());
        checks.add(new Check("trial balance zero", balanced,
                "debits " + tb.path("totalDebits").asText() + " = credits " + tb.path("totalCredits").asText()));
        JsonNode rec = api.admin("GET", "/admin/v1/reconciliation", null).expect(200).json();
        List<String> differences = new ArrayList<>();
        StringBuilder detail = new StringBuilder();
        for (JsonNode line : rec.path("lines")) {
            String rail = line.path("rail").asText();
            Money ledger = Money.parseCny(line.path("ledgerBalance").asText());
            Money onRail = rail.equals("ALIPAY") ? rails.alipay().platformBalance() : rails.huijinbao().platformBalance();
            long diff = onRail.minor() - ledger.minor();
            detail.append(rail).append(" ledger ").append(ledger.toDecimalString()).append(" rail ")
                    .append(onRail.toDecimalString()).append("; ");
            if (diff != 0 || !line.path("agrees").asBoolean(false)) {
                differences.add(rail + " differs by " + Money.cny(diff).toDecimalString() + " fen-exact (platform says "
                        + line.path("difference").asText("no answer") + ")");
            }
        }
        for (JsonNode w : rec.path("wealth")) {
            if (w.has("planId")) {
                Money ledger = Money.parseCny(w.path("ledger").asText());
                Money onRail = rails.huijinbao().position(org.ticketledger.payment.PlanId.of(w.path("planId").asText())).principal();
                detail.append("plan ").append(w.path("planId").asText()).append(" ledger ").append(ledger.toDecimalString())
                        .append(" rail ").append(onRail.toDecimalString()).append("; ");
                if (ledger.minor() != onRail.minor() || !w.path("agrees").asBoolean(false)) {
                    differences.add("plan " + w.path("planId").asText() + " differs by "
                            + Money.cny(onRail.minor() - ledger.minor()).toDecimalString() + " (platform says " + w.path("difference").asText("no answer") + ")");
                }
            }
        }
        if (rec.path("lines").size() != 2) {
            differences.add("expected 2 rails in the reconciliation, got " + rec.path("lines").size());
        }
        check("ledger and rail balances differ by 0 fen", differences, detail.toString().trim());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LedgerCli.execute(new String[] {"verify", "--db-url", jdbcUrl, "--user", dbUser, "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), false);
        String said = (out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).strip().replace('\n', ' ');
        checks.add(new Check("hash chain verifies (ledger-cli verify)", code == 0,
                "exit " + code + ": " + (said.length() > 300 ? said.substring(0, 300) + "..." : said)));
        check("the rail sandboxes conserved money", rails.huijinbao().isConserved() ? List.of() : List.of("huijinbao"), "huijinbao");
        check("every answer was one a distributor can act on", driver.unexpected, "unexpected answers");
    }

    private void check(String name, List<String> findings, String detail) {
        if (findings.isEmpty()) {
            checks.add(new Check(name, true, detail));
        } else {
            List<String> shown = findings.subList(0, Math.min(SHOW, findings.size()));
            checks.add(new Check(name, false, findings.size() + " violations, e.g. " + shown + " (" + detail + ")"));
        }
    }
}
