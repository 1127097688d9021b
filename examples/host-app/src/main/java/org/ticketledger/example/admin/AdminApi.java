package org.ticketledger.example.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiException;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.FieldError;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.JsonBody;
import org.ticketledger.example.http.ProblemType;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.Schemas;
import org.ticketledger.example.wire.IntegrityViews;
import org.ticketledger.example.wire.Refusals;
import org.ticketledger.example.wire.Views;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.HistoryEvent;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.fee.FeeKind;
import org.ticketledger.ticketing.fee.FeeRule;
import org.ticketledger.ticketing.notify.StoredNotification;
import org.ticketledger.ticketing.order.Order;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.DistributorRegistration;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.party.PlatformRegistration;
import org.ticketledger.ticketing.party.ScenicSpotRegistration;
import org.ticketledger.ticketing.payout.Payout;
import org.ticketledger.ticketing.payout.PayoutState;
import org.ticketledger.ticketing.pool.Product;
import org.ticketledger.ticketing.pool.SingleTicketDraft;
import org.ticketledger.ticketing.reconcile.ReferenceCheck;

/**
 * The admin API, {@code /admin/v1}: onboarding (platform, scenic spots, distributors with their
 * first API key), account changes, publishing, capacity, fee schedules, the payout queue with its
 * retry action, orders and their history, SMS outbox, reconciliation, the reference check and the
 * trial balance.
 * Writes need an operator token; reads accept auditors too. Every change records the admin's token
 * name as the actor.
 */
public final class AdminApi implements ApiModule {

    private static final String BASE = "/admin/v1";

    private final Ticketing ticketing;
    private final Journal journal;
    private final ApiKeys apiKeys;
    private final Money approvalThreshold;

    /**
     * The API over {@code ticketing}; the journal answers the trial balance, {@code apiKeys} issues
     * first keys. A manual payout retry above {@code approvalThreshold} is refused here: an API
     * token is one person, so such a retry goes through the console's maker-checker approvals.
     */
    public AdminApi(Ticketing ticketing, Journal journal, ApiKeys apiKeys, Money approvalThreshold) {
        this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.approvalThreshold = Objects.requireNonNull(approvalThreshold, "approvalThreshold");
    }

    /** Refuses a manual movement of {@code amount} above {@code threshold}, naming the console page that can request it. */
    static void requireBelowThreshold(Money amount, Money threshold, String consolePage) {
        if (amount.isGreaterThan(threshold)) {
            throw new ApiException(ProblemType.APPROVAL_REQUIRED, amount.toDecimalString() + " is above the approval threshold "
                    + threshold.toDecimalString() + ": request the retry in the console (" + consolePage
                    + ") and have a second admin approve it");
        }
    }

    private static String actor(Context ctx) {
        return Routes.principal(ctx).id();
    }

    private static final ObjectNode ACCOUNT = Schemas.object()
            .prop("rail", Schemas.string("ALIPAY or HUIJINBAO"), true)
            .prop("identityType", Schemas.string("USER_ID, LOGON_ID or ACCOUNT_NO"), true)
            .prop("identity", Schemas.string("The account on the rail"), true)
            .prop("holderName", Schemas.string("Needed with LOGON_ID"), false)
            .prop("agreementNo", Schemas.string("Debit agreement (distributors on Alipay)"), false).build();
    private static final ObjectNode ANY = Schemas.object().open().build();

    @Override
    public void register(Routes routes) {
        parties(routes);
        products(routes);
        fees(routes);
        payouts(routes);
        orders(routes);
        books(routes);
    }

    // ------------------------------------------------------------------ onboarding

    private void parties(Routes routes) {
        routes.post(BASE + "/platform").access(Access.ADMIN).tag("admin").operationId("onboardPlatform")
                .summary("Onboard the platform: name, currency, admin phone (SMS), time zone, settlement accounts")
                .requestBody(Schemas.object().prop("name", Schemas.string(), true).prop("currency", Schemas.string("CNY"), true)
                        .prop("adminPhone", Schemas.string(), true).prop("timeZone", Schemas.string("e.g. Asia/Shanghai"), true)
                        .prop("settlementAccounts", Schemas.array(ACCOUNT), true).build())
                .response(201, "Onboarded", ANY)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String name = b.requiredString("name", 100);
                    String currency = b.requiredString("currency", 3);
                    String phone = b.requiredString("adminPhone", 20);
                    String zone = b.requiredString("timeZone", 64);
                    List<AccountSetting> accounts = new ArrayList<>();
                    b.requiredObjects("settlementAccounts", 1, 8, a -> accounts.add(account(a)));
                    b.done();
                    Platform p = Refusals.orThrow(ticketing.parties().onboardPlatform(
                            new PlatformRegistration(name, currency, phone, zone, accounts), actor(ctx)));
                    Routes.json(ctx, 201, Views.platform(p));
                });
        routes.get(BASE + "/platform").access(Access.ADMIN_READ).tag("admin").operationId("getPlatform")
                .summary("The platform record").response(200, "The platform", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.platform(ticketing.parties().platform().orElseThrow(() ->
                        new ApiException(ProblemType.PLATFORM_NOT_ONBOARDED, "onboard the platform first")))));
        routes.post(BASE + "/platform/funding").access(Access.ADMIN).moneyMoving().tag("admin").operationId("recordFunding")
                .summary("Book money the platform put into its settlement account on a rail (equity funding)")
                .requestBody(Schemas.object().prop("rail", Schemas.string(), true)
                        .prop("amount", Schemas.amount("Amount added on the rail"), true)
                        .prop("reference", Schemas.string("Unique reference of the transfer"), true).build())
                .response(201, "Booked", Schemas.object().prop("amount", Schemas.amount("Booked"), true).build())
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String rail = b.requiredString("rail", 32);
                    Money amount = b.requiredAmount("amount", Money.CNY);
                    String ref = b.requiredString("reference", 64);
                    b.done();
                    Money m = Refusals.orThrow(ticketing.parties().recordFunding(railId(rail), amount, ref, actor(ctx)));
                    Routes.json(ctx, 201, Json.object().put("amount", Views.money(m)));
                });
        routes.post(BASE + "/scenic-spots").access(Access.ADMIN).tag("admin").operationId("onboardScenicSpot")
                .summary("Onboard a scenic spot with its receiving account")
                .requestBody(Schemas.object().prop("name", Schemas.string(), true).prop("contactPhone", Schemas.string(), true)
                        .prop("receivingAccount", ACCOUNT, true).build())
                .response(201, "Onboarded", ANY)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String name = b.requiredString("name", 100);
                    String phone = b.requiredString("contactPhone", 20);
                    AccountSetting a = account(b.requiredObject("receivingAccount"));
                    b.done();
                    var s = Refusals.orThrow(ticketing.parties().onboardScenicSpot(new ScenicSpotRegistration(name, phone, a), actor(ctx)));
                    ctx.header("Location", BASE + "/scenic-spots/" + s.id());
                    Routes.json(ctx, 201, Views.scenicSpot(s));
                });
        routes.get(BASE + "/scenic-spots/{spotId}").access(Access.ADMIN_READ).tag("admin").operationId("getScenicSpot")
                .summary("A scenic spot").response(200, "The spot", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.scenicSpot(ticketing.parties().scenicSpot(ctx.pathParam("spotId"))
                        .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_SCENIC_SPOT, "no scenic spot " + ctx.pathParam("spotId"))))));
        routes.post(BASE + "/distributors").access(Access.ADMIN).tag("admin").operationId("onboardDistributor")
                .summary("Onboard a distributor with its payment account; answers its first API key (secret shown once)")
                .requestBody(Schemas.object().prop("name", Schemas.string(), true).prop("contactPhone", Schemas.string("Receives the top-up SMS"), true)
                        .prop("paymentAccount", ACCOUNT, true).prop("parentId", Schemas.string("Parent distributor, for sub-distributors"), false).build())
                .response(201, "Onboarded", Schemas.object().prop("distributor", ANY, true)
                        .prop("apiKey", Schemas.object().prop("keyId", Schemas.string(), true).prop("secret", Schemas.string(), true).build(), true).build())
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    String name = b.requiredString("name", 100);
                    String phone = b.requiredString("contactPhone", 20);
                    AccountSetting a = account(b.requiredObject("paymentAccount"));
                    Optional<String> parent = b.optionalString("parentId", 64);
                    b.done();
                    Distributor d = Refusals.orThrow(ticketing.parties().onboardDistributor(
                            new DistributorRegistration(name, phone, a, parent), actor(ctx)));
                    ApiKeys.IssuedKey key = apiKeys.issue(d.id());
                    ObjectNode body = Json.object();
                    body.set("distributor", Views.distributor(d));
                    body.putObject("apiKey").put("keyId", key.keyId()).put("secret", key.secret());
                    ctx.header("Location", BASE + "/distributors/" + d.id());
                    Routes.json(ctx, 201, body);
                });
        routes.get(BASE + "/distributors/{distributorId}").access(Access.ADMIN_READ).tag("admin").operationId("getDistributor")
                .summary("A distributor").response(200, "The distributor", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.distributor(ticketing.parties().distributor(ctx.pathParam("distributorId"))
                        .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_DISTRIBUTOR, "no distributor " + ctx.pathParam("distributorId"))))));
        routes.put(BASE + "/parties/{partyId}/account").access(Access.ADMIN).tag("admin").operationId("changeAccount")
                .summary("Change a spot's or distributor's account (a new version; money in flight keeps the old one)")
                .requestBody(Schemas.object().prop("account", ACCOUNT, true).prop("reason", Schemas.string(), true).build())
                .response(200, "The new version", ANY)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    AccountSetting a = account(b.requiredObject("account"));
                    String reason = b.requiredString("reason", 200);
                    b.done();
                    Routes.json(ctx, 200, Views.accountVersion(Refusals.orThrow(
                            ticketing.parties().changeAccount(ctx.pathParam("partyId"), a, actor(ctx), reason))));
                });
    }

    private static AccountSetting account(JsonBody b) {
        String rail = b.requiredString("rail", 32);
        IdentityType type = b.requiredEnum("identityType", IdentityType.class);
        String identity = b.requiredString("identity", 100);
        Optional<String> holder = b.optionalString("holderName", 100);
        Optional<String> agreement = b.optionalString("agreementNo", 64);
        return new AccountSetting(rail, identity, type, holder, agreement);
    }

    private static RailId railId(String rail) {
        try {
            return RailId.of(rail);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "unknown rail",
                    List.of(new FieldError("/rail", "must be a rail id such as ALIPAY")));
        }
    }

    // ------------------------------------------------------------------ products

    private static final ObjectNode DRAFT = Schemas.object()
            .prop("spotId", Schemas.string(), true).prop("name", Schemas.string(), true)
            .prop("description", Schemas.string(), false)
            .prop("distributorPrice", Schemas.amount("D: what distributors pay"), true)
            .prop("scenicPrice", Schemas.amount("S: what the spot receives per redemption"), true)
            .prop("validFrom", Schemas.string("Date"), true).prop("validUntil", Schemas.string("Date"), true)
            .prop("validDays", Schemas.integer("1-366"), true).prop("usageRules", Schemas.string(), false).build();

    private void products(Routes routes) {
        routes.post(BASE + "/products").access(Access.ADMIN).tag("admin").operationId("publishProduct")
                .summary("Publish a single-ticket product into the pool").requestBody(DRAFT)
                .response(201, "Published", ANY)
                .handle(ctx -> {
                    SingleTicketDraft d = draft(Routes.jsonBody(ctx));
                    Product p = Refusals.orThrow(ticketing.pool().publish(d, actor(ctx)));
                    ctx.header("Location", BASE + "/products/" + p.id());
                    Routes.json(ctx, 201, Views.product(p));
                });
        routes.put(BASE + "/products/{productId}").access(Access.ADMIN).tag("admin").operationId("updateProduct")
                .summary("Publish a new version of a product").requestBody(DRAFT)
                .response(200, "The new version", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.product(Refusals.orThrow(
                        ticketing.pool().update(ctx.pathParam("productId"), draft(Routes.jsonBody(ctx)), actor(ctx))))));
        routes.post(BASE + "/products/{productId}/unpublish").access(Access.ADMIN).tag("admin").operationId("unpublishProduct")
                .summary("Take a product off sale").response(200, "Unpublished", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.product(Refusals.orThrow(
                        ticketing.pool().unpublish(ctx.pathParam("productId"), actor(ctx))))));
        routes.get(BASE + "/products/{productId}").access(Access.ADMIN_READ).tag("admin").operationId("getProduct")
                .summary("A product (current version)").response(200, "The product", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.product(ticketing.pool().product(ctx.pathParam("productId"))
                        .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_PRODUCT, "no product " + ctx.pathParam("productId"))))));
        routes.put(BASE + "/products/{productId}/capacity").access(Access.ADMIN).tag("admin").operationId("setCapacity")
                .summary("Limit how many tickets sell for a visit date (and slot)")
                .requestBody(Schemas.object().prop("visitDate", Schemas.string("Date"), true)
                        .prop("slot", Schemas.string("Default: the whole day"), false)
                        .prop("capacity", Schemas.integer("0-1000000"), true).build())
                .response(200, "The capacity", ANY)
                .handle(ctx -> {
                    JsonBody b = Routes.jsonBody(ctx);
                    LocalDate date = b.requiredDate("visitDate");
                    String slot = b.optionalString("slot", 32).orElse("");
                    long cap = b.requiredLong("capacity", 0, 1_000_000);
                    b.done();
                    var c = Refusals.orThrow(ticketing.inventory().setCapacity(ctx.pathParam("productId"), date, slot, (int) cap, actor(ctx)));
                    Routes.json(ctx, 200, Json.object().put("productId", c.productId()).put("visitDate", c.visitDate().toString())
                            .put("slot", c.slot()).put("capacity", c.capacity()).put("sold", c.sold()));
                });
    }

    private static SingleTicketDraft draft(JsonBody b) {
        String spot = b.requiredString("spotId", 64);
        String name = b.requiredString("name", 100);
        String description = b.optionalString("description", 2000).orElse("");
        Money d = b.requiredAmount("distributorPrice", Money.CNY);
        Money s = b.requiredAmount("scenicPrice", Money.CNY);
        LocalDate from = b.requiredDate("validFrom");
        LocalDate until = b.requiredDate("validUntil");
        long days = b.requiredLong("validDays", 1, 366);
        String rules = b.optionalString("usageRules", 2000).orElse("");
        b.done();
        return new SingleTicketDraft(spot, name, description, d, s, from, until, (int) days, rules);
    }

    // ------------------------------------------------------------------ fees

    private void fees(Routes routes) {
        ObjectNode rule = Schemas.object().prop("fixed", Schemas.amount("Fixed part"), false)
                .prop("basisPoints", Schemas.integer("Proportional part in 1/100 %, 0-10000"), false)
                .prop("min", Schemas.amount("Floor"), false).prop("max", Schemas.amount("Cap"), false).build();
        String kinds = "ISSUANCE (charged to distributors on top of D) or PAYOUT (kept from what spots receive)";
        routes.get(BASE + "/fees/{kind}").access(Access.ADMIN_READ).tag("admin").operationId("getFee")
                .summary("The fee rule in force: the default, or a party's override with ?partyId=")
                .param("path", "kind", true, "string", kinds)
                .param("query", "partyId", false, "string", "A party, for its effective rule")
                .response(200, "The rule", rule)
                .handle(ctx -> Routes.json(ctx, 200, Views.feeRule(ticketing.fees().effective(kind(ctx),
                        Optional.ofNullable(ctx.queryParam("partyId")).orElse("*")))));
        routes.put(BASE + "/fees/{kind}").access(Access.ADMIN).tag("admin").operationId("setDefaultFee")
                .summary("Set the platform's default fee rule").param("path", "kind", true, "string", kinds)
                .requestBody(rule).response(200, "The rule", rule)
                .handle(ctx -> Routes.json(ctx, 200, Views.feeRule(Refusals.orThrow(
                        ticketing.fees().setDefault(kind(ctx), rule(Routes.jsonBody(ctx)), actor(ctx))))));
        routes.put(BASE + "/fees/{kind}/parties/{partyId}").access(Access.ADMIN).tag("admin").operationId("setFeeOverride")
                .summary("Give one party its own fee rule").param("path", "kind", true, "string", kinds)
                .requestBody(rule).response(200, "The rule", rule)
                .handle(ctx -> Routes.json(ctx, 200, Views.feeRule(Refusals.orThrow(ticketing.fees().setOverride(
                        ctx.pathParam("partyId"), kind(ctx), rule(Routes.jsonBody(ctx)), actor(ctx))))));
        routes.delete(BASE + "/fees/{kind}/parties/{partyId}").access(Access.ADMIN).tag("admin").operationId("removeFeeOverride")
                .summary("Return a party to the default fee rule").param("path", "kind", true, "string", kinds)
                .response(200, "The rule now in force", rule)
                .handle(ctx -> Routes.json(ctx, 200, Views.feeRule(Refusals.orThrow(ticketing.fees().removeOverride(
                        ctx.pathParam("partyId"), kind(ctx), actor(ctx))))));
    }

    private static FeeKind kind(Context ctx) {
        try {
            return FeeKind.valueOf(ctx.pathParam("kind"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.BAD_REQUEST, "fee kind must be ISSUANCE or PAYOUT");
        }
    }

    private static FeeRule rule(JsonBody b) {
        Money fixed = b.optionalAmount("fixed", Money.CNY).orElse(Money.zero(Money.CNY));
        long bp = b.optionalLong("basisPoints", 0, 10_000).orElse(0L);
        Money min = b.optionalAmount("min", Money.CNY).orElse(Money.zero(Money.CNY));
        Optional<Money> max = b.optionalAmount("max", Money.CNY);
        b.done();
        return new FeeRule(fixed.minor(), (int) bp, min.minor(), max.map(m -> OptionalLong.of(m.minor())).orElse(OptionalLong.empty()));
    }

    // ------------------------------------------------------------------ payouts

    private void payouts(Routes routes) {
        routes.get(BASE + "/payouts").access(Access.ADMIN_READ).tag("admin").operationId("listPayouts")
                .summary("The payout queue by state (AWAITING_FUNDS and MANUAL_REVIEW need an admin)")
                .param("query", "state", true, "string", "PENDING, SENT, DONE, AWAITING_FUNDS, RETRYING or MANUAL_REVIEW")
                .param("query", "limit", false, "integer", "1-500, default 100")
                .response(200, "Payouts", Schemas.object().prop("items", Schemas.array(ANY), true).build())
                .handle(ctx -> {
                    PayoutState state = enumParam(ctx, "state", PayoutState.class);
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    for (Payout p : ticketing.payouts().byState(state, limit(ctx))) {
                        items.add(Views.payout(p));
                    }
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/payouts/{payoutId}").access(Access.ADMIN_READ).tag("admin").operationId("getPayout")
                .summary("A payout").response(200, "The payout", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.payout(ticketing.payouts().payout(ctx.pathParam("payoutId"))
                        .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_PAYOUT, "no payout " + ctx.pathParam("payoutId"))))));
        routes.post(BASE + "/payouts/{payoutId}/retry").access(Access.ADMIN).moneyMoving().tag("admin").operationId("retryPayout")
                .summary("Send a payout again (after topping up the platform account, or after manual review)")
                .response(200, "Queued again", ANY)
                .handle(ctx -> {
                    String id = ctx.pathParam("payoutId");
                    Payout p = ticketing.payouts().payout(id)
                            .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_PAYOUT, "no payout " + id));
                    requireBelowThreshold(p.net(), approvalThreshold, "/console/payouts/" + id);
                    Routes.json(ctx, 200, Views.payout(Refusals.orThrow(ticketing.payouts().retryPayout(id, actor(ctx)))));
                });
    }

    // ------------------------------------------------------------------ orders and messages

    private void orders(Routes routes) {
        routes.get(BASE + "/orders").access(Access.ADMIN_READ).tag("admin").operationId("listOrdersByState")
                .summary("Orders in a state (e.g. AWAITING_TOPUP, CHARGE_UNKNOWN)")
                .param("query", "state", true, "string", "RECEIVED, CHARGING, ISSUED, AWAITING_TOPUP, CHARGE_UNKNOWN or FAILED")
                .param("query", "limit", false, "integer", "1-500, default 100")
                .response(200, "Orders", Schemas.object().prop("items", Schemas.array(ANY), true).build())
                .handle(ctx -> {
                    OrderState state = enumParam(ctx, "state", OrderState.class);
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    ticketing.orders().byState(state, limit(ctx)).forEach(o -> items.add(Views.order(o)));
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/orders/{orderId}").access(Access.ADMIN_READ).tag("admin").operationId("getOrderWithHistory")
                .summary("An order with its tickets, payouts and every state transition")
                .response(200, "The order", ANY)
                .handle(ctx -> {
                    Order o = ticketing.orders().order(ctx.pathParam("orderId"))
                            .orElseThrow(() -> new ApiException(ProblemType.UNKNOWN_ORDER, "no order " + ctx.pathParam("orderId")));
                    var tickets = ticketing.tickets().byOrder(o.id());
                    ObjectNode body = Views.orderWithTickets(o, tickets);
                    ArrayNode payouts = body.putArray("payouts");
                    tickets.forEach(t -> ticketing.payouts().byTicket(t.id()).forEach(p -> payouts.add(Views.payout(p))));
                    ArrayNode history = body.putArray("history");
                    for (HistoryEvent e : ticketing.orders().history(o.id())) {
                        ObjectNode h = history.addObject().put("at", e.at().toString()).put("subject", e.subjectType() + ":" + e.subjectId())
                                .put("event", e.event()).put("to", e.toState()).put("detail", e.detail());
                        e.fromState().ifPresent(f -> h.put("from", f));
                    }
                    Routes.json(ctx, 200, body);
                });
        routes.get(BASE + "/notifications").access(Access.ADMIN_READ).tag("admin").operationId("listNotifications")
                .summary("SMS outbox entries for a recipient phone or a subject (order, payout)")
                .param("query", "recipient", false, "string", "Phone number")
                .param("query", "subject", false, "string", "Order or payout id")
                .response(200, "Messages", Schemas.object().prop("items", Schemas.array(ANY), true).build())
                .handle(ctx -> {
                    String recipient = ctx.queryParam("recipient");
                    String subject = ctx.queryParam("subject");
                    if ((recipient == null) == (subject == null)) {
                        throw new ApiException(ProblemType.BAD_REQUEST, "give exactly one of recipient or subject");
                    }
                    List<StoredNotification> list = recipient != null ? ticketing.notifications().byRecipient(recipient)
                            : ticketing.notifications().bySubject(subject);
                    ObjectNode body = Json.object();
                    ArrayNode items = body.putArray("items");
                    for (StoredNotification n : list) {
                        ObjectNode x = items.addObject().put("id", n.notification().id()).put("recipient", n.notification().recipient())
                                .put("template", n.notification().template()).put("body", n.notification().body())
                                .put("subject", n.subjectId()).put("state", n.state().name()).put("attempts", n.attempts())
                                .put("createdAt", n.createdAt().toString());
                        n.sentAt().ifPresent(s -> x.put("sentAt", s.toString()));
                    }
                    Routes.json(ctx, 200, body);
                });
    }

    // ------------------------------------------------------------------ books

    private void books(Routes routes) {
        routes.get(BASE + "/reconciliation").access(Access.ADMIN_READ).tag("admin").operationId("reconcile")
                .summary("Compare each rail's balance with the ledger's settlement account, to the fen")
                .response(200, "The report; balanced is true when every difference is zero and the trial balance holds", ANY)
                .handle(ctx -> Routes.json(ctx, 200, Views.reconciliation(ticketing.reconciliation().check())));
        routes.get(BASE + "/references").access(Access.ADMIN_READ).tag("admin").operationId("checkReferences")
                .summary("Find rows whose references point at nothing: the keys the database does not enforce (read-only,"
                        + " one scan of each child table)")
                .param("query", "examples", false, "integer", "Offending row ids listed per reference, 1..1000 (default 10)")
                .response(200, "Every reference checked; intact is true when no row points at a missing parent",
                        IntegrityViews.REFERENCES_SCHEMA)
                .handle(ctx -> Routes.json(ctx, 200, IntegrityViews.references(ticketing.references().check(examples(ctx)))));
        routes.get(BASE + "/trial-balance").access(Access.ADMIN_READ).tag("admin").operationId("trialBalance")
                .summary("The platform ledger's trial balance, now")
                .response(200, "Balances per account", ANY)
                .handle(ctx -> {
                    Platform p = ticketing.parties().platform().orElseThrow(() ->
                            new ApiException(ProblemType.PLATFORM_NOT_ONBOARDED, "onboard the platform first"));
                    TrialBalance tb = journal.trialBalance(p.ledger(), AsOf.latest());
                    ObjectNode body = Json.object().put("ledger", p.ledger().value()).put("balanced", tb.balanced())
                            .put("totalDebits", Views.money(Money.of(tb.totalDebits(), p.currency())))
                            .put("totalCredits", Views.money(Money.of(tb.totalCredits(), p.currency())));
                    ArrayNode lines = body.putArray("accounts");
                    for (Balance b : tb.lines()) {
                        lines.addObject().put("account", b.account().value())
                                .put("debits", Views.money(Money.of(b.debitsPosted(), p.currency())))
                                .put("credits", Views.money(Money.of(b.creditsPosted(), p.currency())))
                                .put("balance", Views.money(b.posted()));
                    }
                    Routes.json(ctx, 200, body);
                });
    }

    private static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 500) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw new ApiException(ProblemType.BAD_REQUEST, "limit must be 1..500",
                List.of(new FieldError("#/query/limit", "must be 1..500")));
    }

    private static int examples(Context ctx) {
        String v = ctx.queryParam("examples");
        if (v == null) {
            return ReferenceCheck.DEFAULT_EXAMPLES;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= ReferenceCheck.MAX_EXAMPLES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        String range = "must be 1.." + ReferenceCheck.MAX_EXAMPLES;
        throw new ApiException(ProblemType.BAD_REQUEST, "examples " + range, List.of(new FieldError("#/query/examples", range)));
    }

    private static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
        String v = ctx.queryParam(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        throw new ApiException(ProblemType.BAD_REQUEST, name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()),
                List.of(new FieldError("#/query/" + name, v == null ? "is required" : "unknown value")));
    }
}
