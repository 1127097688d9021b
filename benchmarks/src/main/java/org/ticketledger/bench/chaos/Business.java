package org.ticketledger.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ticketledger.bench.http.PlatformClient;
import org.ticketledger.bench.http.Sandboxes;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;

/**
 * The cast of a run, onboarded through the admin API: the platform on both rails (funded and the
 * funding booked), scenic spots and distributors on either rail, one single-ticket product per
 * spot. Immutable once built.
 */
final class Business {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** What each platform settlement account starts with, booked as funding. */
    static final Money WORKING_FUNDS = Money.parseCny("5000000.00");
    private static final Money RICH = Money.parseCny("50000000.00");
    /** The wealth plan the combos are invested in. */
    static final String PLAN = "CHAOS-PLAN";
    private static final String[][] PRICES = {{"80.00", "60.00"}, {"100.00", "90.00"}, {"120.00", "100.00"}, {"150.00", "130.00"}};

    record Spot(String id, RailId rail) {
    }

    /** A product: a single ticket (one spot) or a combo (valid once at each of its spots). */
    record Product(String id, List<String> spotIds, String price, boolean combo) {
        Product {
            spotIds = List.copyOf(spotIds);
        }
    }

    /** A distributor with its payment account on the sandbox and its signed API client. */
    record Dist(String id, RailId rail, String account, PlatformClient.Distributor api, boolean shortOfFunds) {
        Dist {
            Objects.requireNonNull(api, "api");
        }
    }

    final List<Spot> spots;
    /** Single-ticket products first, then the combos. */
    final List<Product> products;
    final List<Dist> rich;
    /** One per worker, so that a worker's top-ups never race another worker's orders. */
    final List<Dist> poor;

    private Business(List<Spot> spots, List<Product> products, List<Dist> rich, List<Dist> poor) {
        this.spots = List.copyOf(spots);
        this.products = List.copyOf(products);
        this.rich = List.copyOf(rich);
        this.poor = List.copyOf(poor);
    }

    static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    static Business onboard(PlatformClient api, Sandboxes rails, int workers) {
        ObjectNode platform = PlatformClient.JSON.createObjectNode().put("name", "Chaos Platform").put("currency", "CNY")
                .put("adminPhone", "13800000000").put("timeZone", ZONE.getId());
        platform.putArray("settlementAccounts")
                .add(account("ALIPAY", "USER_ID", rails.alipay().platformUserId(), null, null))
                .add(account("HUIJINBAO", "ACCOUNT_NO", rails.huijinbao().platformAccount(), null, null));
        api.admin("POST", "/admin/v1/platform", platform).expect(201);
        api.admin("PUT", "/admin/v1/fees/ISSUANCE", PlatformClient.JSON.createObjectNode().put("basisPoints", 100).put("min", "1.00"))
                .expect(200);
        api.admin("PUT", "/admin/v1/fees/PAYOUT", PlatformClient.JSON.createObjectNode().put("basisPoints", 100)).expect(200);
        rails.fundPlatform(WORKING_FUNDS);
        for (String rail : List.of("ALIPAY", "HUIJINBAO")) {
            api.admin("POST", "/admin/v1/platform/funding", PlatformClient.JSON.createObjectNode().put("rail", rail)
                    .put("amount", WORKING_FUNDS.toDecimalString()).put("reference", "chaos-funding-" + rail)).expect(201);
        }

        List<Spot> spots = new ArrayList<>();
        List<Product> products = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RailId rail = i % 2 == 0 ? RailId.ALIPAY : RailId.HUIJINBAO;
            String name = "Spot " + (i + 1);
            ObjectNode req = PlatformClient.JSON.createObjectNode().put("name", name).put("contactPhone", "1390000000" + i);
            req.set("receivingAccount", rail == RailId.ALIPAY
                    ? account("ALIPAY", "USER_ID", rails.alipay().openAccount("spot" + i + "@chaos.example", name, Money.cny(0)).userId(), name, null)
                    : account("HUIJINBAO", "ACCOUNT_NO", rails.huijinbao().openAccount("SPOT" + i, Money.cny(0)).identity(), name, null));
            String spotId = api.admin("POST", "/admin/v1/scenic-spots", req).expect(201).json().path("id").asText();
            spots.add(new Spot(spotId, rail));
            LocalDate today = today();
            ObjectNode p = PlatformClient.JSON.createObjectNode().put("spotId", spotId).put("name", "Day pass " + (i + 1))
                    .put("distributorPrice", PRICES[i][0]).put("scenicPrice", PRICES[i][1])
                    .put("validFrom", today.toString()).put("validUntil", today.plusDays(60).toString()).put("validDays", 30);
            String productId = api.admin("POST", "/admin/v1/products", p).expect(201).json().path("id").asText();
            products.add(new Product(productId, List.of(spotId), PRICES[i][0], false));
        }
        // Two combos, each across an Alipay spot and a Huijinbao spot, invested in one wealth plan.
        rails.huijinbao().openPlan(org.ticketledger.payment.PlanId.of(PLAN), 285);
        String[][] combos = {{"160.00", "70.00", "60.00"}, {"250.00", "110.00", "120.00"}};
        for (int c = 0; c < combos.length; c++) {
            LocalDate today = today();
            ObjectNode draft = PlatformClient.JSON.createObjectNode().put("name", "Combo " + (c + 1))
                    .put("distributorPrice", combos[c][0]).put("validFrom", today.toString())
                    .put("validUntil", today.plusDays(20).toString()).put("validDays", 10)
                    .put("expiresOn", today.plusDays(40).toString()).put("planId", PLAN);
            draft.putArray("spots")
                    .add(PlatformClient.JSON.createObjectNode().put("spotId", spots.get(2 * c).id()).put("scenicPrice", combos[c][1]))
                    .add(PlatformClient.JSON.createObjectNode().put("spotId", spots.get(2 * c + 1).id()).put("scenicPrice", combos[c][2]));
            String productId = api.admin("POST", "/admin/v1/combos", draft).expect(201).json().path("id").asText();
            products.add(new Product(productId, List.of(spots.get(2 * c).id(), spots.get(2 * c + 1).id()), combos[c][0], true));
        }

        List<Dist> rich = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rich.add(distributor(api, rails, "R" + i, i % 2 == 0 ? RailId.ALIPAY : RailId.HUIJINBAO, RICH, false));
        }
        List<Dist> poor = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            poor.add(distributor(api, rails, "P" + i, i % 2 == 0 ? RailId.HUIJINBAO : RailId.ALIPAY, Money.cny(0), true));
        }
        return new Business(spots, products, rich, poor);
    }

    private static Dist distributor(PlatformClient api, Sandboxes rails, String tag, RailId rail, Money balance, boolean poor) {
        String name = "Travel " + tag;
        ObjectNode req = PlatformClient.JSON.createObjectNode().put("name", name)
                .put("contactPhone", "137" + String.format("%08d", Math.abs(tag.hashCode()) % 100_000_000));
        String account;
        if (rail == RailId.ALIPAY) {
            PartyAccount p = rails.alipay().openParty(tag.toLowerCase() + "@dist.chaos.example", name, balance);
            account = p.identity();
            req.set("paymentAccount", account("ALIPAY", "USER_ID", account, name, p.agreementNo().orElseThrow()));
        } else {
            account = "DIST" + tag;
            rails.huijinbao().openAccount(account, balance);
            req.set("paymentAccount", account("HUIJINBAO", "ACCOUNT_NO", account, name, null));
        }
        JsonNode d = api.admin("POST", "/admin/v1/distributors", req).expect(201).json();
        String id = d.path("distributor").path("id").asText();
        return new Dist(id, rail, account, api.distributor(id, d.path("apiKey").path("keyId").asText(),
                d.path("apiKey").path("secret").asText()), poor);
    }

    private static ObjectNode account(String rail, String type, String identity, String holder, String agreement) {
        ObjectNode a = PlatformClient.JSON.createObjectNode().put("rail", rail).put("identityType", type).put("identity", identity);
        if (holder != null) {
            a.put("holderName", holder);
        }
        if (agreement != null) {
            a.put("agreementNo", agreement);
        }
        return a;
    }

    /** Puts money on a distributor's payment account, as its owner would after the top-up SMS. */
    static void topUp(Sandboxes rails, Dist d, Money amount) {
        if (d.rail() == RailId.ALIPAY) {
            rails.alipay().fund(d.account(), amount);
        } else {
            rails.huijinbao().deposit(d.account(), amount);
        }
    }
}
