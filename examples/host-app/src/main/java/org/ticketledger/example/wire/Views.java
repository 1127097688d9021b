package org.ticketledger.example.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ticketledger.example.http.Json;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.party.AccountVersion;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.pool.Overlay;
import org.ticketledger.ticketing.pool.PoolItem;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SpotPrice;
import org.ticketledger.ticketing.reconcile.RailLine;
import org.ticketledger.ticketing.reconcile.ReconciliationReport;
import org.ticketledger.ticketing.ticket.Ticket;
import org.ticketledger.ticketing.ticket.TicketSpot;

/**
 * The JSON shapes of the domain on the wire: camelCase, money as decimal strings with a
 * {@code currency} beside them, instants and dates as ISO-8601 strings, and nothing that is
 * internal (lease owners, agreement numbers, secrets). Thread-safe (stateless).
 */
public final class Views {

    private Views() {
    }

    /** {@code "101.00"}. */
    public static String money(Money m) {
        return m.toDecimalString();
    }

    /** A party's account as shown: rail, identity type, identity, holder; never the agreement number. */
    public static ObjectNode account(PartyAccount a) {
        ObjectNode n = Json.object().put("rail", a.rail().value()).put("identityType", a.identityType().name())
                .put("identity", a.identity());
        a.holderName().ifPresent(h -> n.put("holderName", h));
        n.put("agreement", a.agreementNo().isPresent());
        return n;
    }

    /** A versioned account setting. */
    public static ObjectNode accountVersion(AccountVersion v) {
        ObjectNode n = account(v.account());
        n.put("version", v.version()).put("changedAt", v.changedAt().toString());
        return n;
    }

    public static ObjectNode platform(Platform p) {
        ObjectNode n = Json.object().put("name", p.name()).put("ledger", p.ledger().value())
                .put("currency", p.currency().getCurrencyCode()).put("timeZone", p.timeZone().getId())
                .put("createdAt", p.createdAt().toString());
        ArrayNode accounts = n.putArray("settlementAccounts");
        p.settlementAccounts().values().forEach(a -> accounts.add(account(a)));
        return n;
    }

    public static ObjectNode scenicSpot(ScenicSpot s) {
        ObjectNode n = Json.object().put("id", s.id()).put("name", s.name()).put("contactPhone", s.contactPhone())
                .put("createdAt", s.createdAt().toString());
        n.set("receivingAccount", accountVersion(s.receivingAccount()));
        return n;
    }

    public static ObjectNode distributor(Distributor d) {
        ObjectNode n = Json.object().put("id", d.id()).put("name", d.name()).put("contactPhone", d.contactPhone())
                .put("createdAt", d.createdAt().toString());
        d.parentId().ifPresent(p -> n.put("parentId", p));
        n.set("paymentAccount", accountVersion(d.paymentAccount()));
        return n;
    }

    public static ObjectNode product(Product p) {
        ObjectNode n = Json.object().put("id", p.id()).put("kind", p.kind().name()).put("status", p.status().name())
                .put("version", p.version()).put("name", p.name()).put("description", p.description())
                .put("distributorPrice", money(p.distributorPrice()))
                .put("currency", p.distributorPrice().currency().getCurrencyCode())
                .put("validFrom", p.validFrom().toString()).put("validUntil", p.validUntil().toString())
                .put("validDays", p.validDays()).put("usageRules", p.usageRules())
                .put("publishedAt", p.publishedAt().toString());
        ArrayNode spots = n.putArray("spots");
        for (SpotPrice s : p.spots()) {
            spots.addObject().put("spotId", s.spotId()).put("scenicPrice", money(s.scenicPrice()));
        }
        return n;
    }

    /** A product as a distributor sees it: without the scenic settlement prices (the platform's business). */
    public static ObjectNode productForDistributor(Product p) {
        ObjectNode n = product(p);
        ArrayNode spots = n.putArray("spots");
        p.spots().forEach(s -> spots.addObject().put("spotId", s.spotId()));
        return n;
    }

    public static ObjectNode overlay(Overlay o) {
        return Json.object().put("name", o.name()).put("description", o.description())
                .put("retailPrice", money(o.retailPrice())).put("updatedAt", o.updatedAt().toString());
    }

    public static ObjectNode poolItem(PoolItem i) {
        ObjectNode n = productForDistributor(i.product());
        i.overlay().ifPresent(o -> n.set("overlay", overlay(o)));
        return n;
    }

    public static ObjectNode order(Order o) {
        ObjectNode n = Json.object().put("id", o.id()).put("distributorId", o.distributorId())
                .put("distributorOrderId", o.distributorOrderId()).put("productId", o.productId())
                .put("productVersion", o.productVersion()).put("visitDate", o.visitDate().toString())
                .put("quantity", o.quantity()).put("unitPrice", money(o.unitPrice())).put("fee", money(o.fee()))
                .put("total", money(o.total())).put("currency", o.total().currency().getCurrencyCode())
                .put("rail", o.rail().value()).put("state", o.state().name()).put("chargeRound", o.chargeRound())
                .put("createdAt", o.createdAt().toString()).put("updatedAt", o.updatedAt().toString());
        if (!o.slot().isEmpty()) {
            n.put("slot", o.slot());
        }
        o.failureReason().ifPresent(r -> n.put("failureReason", r));
        o.railTxnId().ifPresent(t -> n.put("railTxnId", t));
        return n;
    }

    public static ObjectNode orderWithTickets(Order o, List<Ticket> tickets) {
        ObjectNode n = order(o);
        ArrayNode t = n.putArray("tickets");
        tickets.forEach(x -> t.add(ticket(x)));
        return n;
    }

    public static ObjectNode ticket(Ticket t) {
        ObjectNode n = Json.object().put("id", t.id()).put("number", t.number()).put("orderId", t.orderId())
                .put("productId", t.productId()).put("productVersion", t.productVersion())
                .put("distributorId", t.distributorId()).put("state", t.state().name())
                .put("faceValue", money(t.faceValue())).put("feeShare", money(t.feeShare()))
                .put("currency", t.faceValue().currency().getCurrencyCode())
                .put("validFrom", t.validFrom().toString()).put("validUntil", t.validUntil().toString())
                .put("code", t.code()).put("issuedAt", t.issuedAt().toString()).put("updatedAt", t.updatedAt().toString());
        n.put("spotsRedeemed", t.spots().stream().filter(TicketSpot::redeemed).count()).put("spotsTotal", t.spots().size());
        ArrayNode spots = n.putArray("spots");
        for (TicketSpot s : t.spots()) {
            // Per spot: a combo redeems once at each, in any order.
            ObjectNode sp = spots.addObject().put("spotId", s.spotId()).put("redeemed", s.redeemed());
            s.redeemedAt().ifPresent(r -> sp.put("redeemedAt", r.toString()));
        }
        return n;
    }

    public static ObjectNode payout(Payout p) {
        ObjectNode n = Json.object().put("id", p.id()).put("kind", p.kind().name()).put("ticketId", p.ticketId())
                .put("orderId", p.orderId()).put("partyId", p.partyId()).put("rail", p.rail().value())
                .put("gross", money(p.gross())).put("fee", money(p.fee())).put("net", money(p.net()))
                .put("currency", p.net().currency().getCurrencyCode()).put("state", p.state().name())
                .put("round", p.round()).put("attempts", p.attempts())
                .put("createdAt", p.createdAt().toString()).put("updatedAt", p.updatedAt().toString());
        p.reason().ifPresent(r -> n.put("reason", r));
        p.railTxnId().ifPresent(t -> n.put("railTxnId", t));
        p.nextAttemptAt().ifPresent(t -> n.put("nextAttemptAt", t.toString()));
        return n;
    }

    public static ObjectNode feeRule(FeeRule r) {
        ObjectNode n = Json.object().put("fixed", money(Money.cny(r.fixedMinor()))).put("basisPoints", r.basisPoints())
                .put("min", money(Money.cny(r.minMinor())));
        r.maxMinor().ifPresent(m -> n.put("max", money(Money.cny(m))));
        return n;
    }

    public static ObjectNode reconciliation(ReconciliationReport r) {
        ObjectNode n = Json.object().put("at", r.at().toString()).put("balanced", r.balanced())
                .put("trialBalanced", r.trialBalanced());
        ArrayNode lines = n.putArray("lines");
        for (RailLine l : r.lines()) {
            ObjectNode x = lines.addObject().put("rail", l.rail().value()).put("account", l.account().toString())
                    .put("ledgerBalance", money(l.ledgerBalance())).put("ledgerHeld", money(l.ledgerHeld()))
                    .put("agrees", l.agrees()).put("note", l.note());
            l.railBalance().ifPresent(b -> x.put("railBalance", money(b)));
            l.difference().ifPresent(d -> x.put("difference", money(d)));
            x.set("explanations", FinanceViews.explanations(l.explanations()));
        }
        // The wealth position: one line per plan, then the total line (no planId).
        ArrayNode wealth = n.putArray("wealth");
        r.wealth().forEach(w -> wealth.add(FinanceViews.wealthLine(w)));
        return n;
    }
}
