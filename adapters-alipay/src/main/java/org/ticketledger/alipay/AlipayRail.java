package org.ticketledger.alipay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.alipay.internal.AlipayOutcomes;
import org.ticketledger.alipay.internal.GatewayClient;
import org.ticketledger.alipay.internal.GatewayClient.Answered;
import org.ticketledger.alipay.internal.GatewayClient.Kind;
import org.ticketledger.alipay.internal.GatewayClient.NoAnswer;
import org.ticketledger.alipay.internal.SignedReply;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.DeclineReason;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.Instruction;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailOutcome;
import org.ticketledger.payment.RequestId;

/**
 * The Alipay payment rail over Alipay's OpenAPI gateway:
 * <ul>
 *   <li>{@link #collect}: agreement debit (商家扣款), {@code alipay.trade.pay} with
 *       {@code product_code=GENERAL_WITHHOLDING} and the party's {@code agreement_no};
 *       {@code out_trade_no} is our request id.</li>
 *   <li>{@link #payout}: {@code alipay.fund.trans.uni.transfer} ({@code TRANS_ACCOUNT_NO_PWD},
 *       {@code DIRECT_TRANSFER}) to the party's {@code ALIPAY_USER_ID}, or {@code ALIPAY_LOGON_ID}
 *       plus holder name; {@code out_biz_no} is our request id.</li>
 *   <li>{@link #query}: {@code alipay.trade.query} / {@code alipay.fund.trans.common.query}.</li>
 *   <li>{@link #balance}: {@code alipay.fund.account.query} of the platform's account.</li>
 * </ul>
 * Requests are signed with RSA2; replies count only when their signature verifies over the exact
 * bytes Alipay sent. Timeouts, 5xx, unverifiable or incomplete replies are
 * {@link RailOutcome.Unknown}: query before re-sending, with the same request id.
 *
 * <p>Build with {@link #builder()}. Thread-safe; close it to stop its HTTP threads. Methods never
 * return null and throw only for bugs ({@link IllegalArgumentException} for an instruction of
 * another rail, kind or currency; {@link IllegalStateException} after {@link #close()}).
 * Private keys and agreement numbers are never logged nor put in outcomes or exceptions.
 */
public final class AlipayRail implements PaymentRail {

    private static final Logger LOG = LoggerFactory.getLogger(AlipayRail.class);

    static final String TRADE_PAY = "alipay.trade.pay";
    static final String TRADE_QUERY = "alipay.trade.query";
    static final String TRANSFER = "alipay.fund.trans.uni.transfer";
    static final String TRANSFER_QUERY = "alipay.fund.trans.common.query";
    static final String ACCOUNT_QUERY = "alipay.fund.account.query";

    private final RailId id;
    private final String platformAccount;
    private final Optional<URI> notifyUrl;
    private final Clock clock;
    private final GatewayClient gateway;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AlipayRail(Builder b) {
        this.id = b.id;
        this.platformAccount = b.platformAccount;
        this.notifyUrl = Optional.ofNullable(b.notifyUrl);
        this.clock = b.clock;
        this.gateway = new GatewayClient(b.gateway, b.appId, b.appPrivateKey, b.alipayPublicKey, b.clock,
                b.connectTimeout, b.requestTimeout, b.readRetries);
    }

    /** A builder; gateway, app id, both keys and the platform account are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RailId id() {
        return id;
    }

    @Override
    public RailOutcome collect(Instruction instruction) {
        check(instruction, InstructionType.COLLECT);
        String outTradeNo = instruction.requestId().value();
        Optional<RailOutcome> refused = refuseLocally(instruction);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (instruction.party().agreementNo().isEmpty()) {
            return declineLocally(instruction, DeclineReason.ACCOUNT_INVALID, "NO_AGREEMENT",
                    "the party has no signed debit agreement");
        }
        ObjectNode biz = SignedReply.JSON.createObjectNode();
        biz.put("out_trade_no", outTradeNo);
        biz.put("total_amount", AlipayFormats.yuan(instruction.amount()));
        biz.put("subject", instruction.title());
        biz.put("product_code", "GENERAL_WITHHOLDING");
        biz.putObject("agreement_params").put("agreement_no", instruction.party().agreementNo().get());
        Map<String, String> extra = notifyUrl.map(u -> Map.of("notify_url", u.toString())).orElse(Map.of());

        GatewayClient.Reply reply = gateway.call(TRADE_PAY, biz, extra, Kind.MOVES_MONEY, outTradeNo);
        RailOutcome outcome;
        if (reply instanceof NoAnswer none) {
            outcome = new RailOutcome.Unknown(none.cause() + "; query");
        } else {
            Answered answered = (Answered) reply;
            if (AlipayOutcomes.SUCCESS.equals(answered.code())) {
                outcome = AlipayOutcomes.paid(answered, outTradeNo, instruction.amount());
            } else if (AlipayOutcomes.alreadyPaid(answered)) {
                outcome = alreadyPaid(instruction);
            } else {
                outcome = AlipayOutcomes.failure(answered);
            }
        }
        log(instruction, outcome);
        return outcome;
    }

    @Override
    public RailOutcome payout(Instruction instruction) {
        check(instruction, InstructionType.PAYOUT);
        String outBizNo = instruction.requestId().value();
        Optional<RailOutcome> refused = refuseLocally(instruction);
        if (refused.isPresent()) {
            return refused.get();
        }
        var party = instruction.party();
        ObjectNode biz = SignedReply.JSON.createObjectNode();
        biz.put("out_biz_no", outBizNo);
        biz.put("trans_amount", AlipayFormats.yuan(instruction.amount()));
        biz.put("product_code", "TRANS_ACCOUNT_NO_PWD");
        biz.put("biz_scene", "DIRECT_TRANSFER");
        biz.put("order_title", instruction.title());
        ObjectNode payee = biz.putObject("payee_info");
        payee.put("identity", party.identity());
        if (party.identityType() == IdentityType.USER_ID) {
            payee.put("identity_type", "ALIPAY_USER_ID");
        } else if (party.identityType() == IdentityType.LOGON_ID) {
            if (party.holderName().isEmpty()) {
                return declineLocally(instruction, DeclineReason.ACCOUNT_INVALID, "NO_PAYEE_NAME",
                        "a payee by login id needs the holder's name");
            }
            payee.put("identity_type", "ALIPAY_LOGON_ID");
        } else {
            return declineLocally(instruction, DeclineReason.ACCOUNT_INVALID, "IDENTITY_TYPE",
                    "Alipay pays to a user id or a login id, not " + party.identityType());
        }
        party.holderName().ifPresent(n -> payee.put("name", n));

        GatewayClient.Reply reply = gateway.call(TRANSFER, biz, Map.of(), Kind.MOVES_MONEY, outBizNo);
        RailOutcome outcome;
        if (reply instanceof NoAnswer none) {
            outcome = new RailOutcome.Unknown(none.cause() + "; query");
        } else {
            Answered answered = (Answered) reply;
            outcome = AlipayOutcomes.SUCCESS.equals(answered.code())
                    ? AlipayOutcomes.transferred(answered, outBizNo, instruction.amount())
                    : AlipayOutcomes.failure(answered);
        }
        log(instruction, outcome);
        return outcome;
    }

    @Override
    public RailOutcome query(InstructionType type, RequestId requestId) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
        requireOpen();
        RailOutcome outcome;
        switch (type) {
            case COLLECT -> {
                ObjectNode biz = SignedReply.JSON.createObjectNode().put("out_trade_no", requestId.value());
                GatewayClient.Reply reply = gateway.call(TRADE_QUERY, biz, Map.of(), Kind.READ_ONLY, requestId.value());
                outcome = reply instanceof Answered a
                        ? AlipayOutcomes.tradeQueried(a, requestId.value())
                        : new RailOutcome.Unknown(((NoAnswer) reply).cause());
            }
            case PAYOUT -> {
                ObjectNode biz = SignedReply.JSON.createObjectNode()
                        .put("out_biz_no", requestId.value())
                        .put("product_code", "TRANS_ACCOUNT_NO_PWD")
                        .put("biz_scene", "DIRECT_TRANSFER");
                GatewayClient.Reply reply = gateway.call(TRANSFER_QUERY, biz, Map.of(), Kind.READ_ONLY, requestId.value());
                outcome = reply instanceof Answered a
                        ? AlipayOutcomes.transferQueried(a, requestId.value())
                        : new RailOutcome.Unknown(((NoAnswer) reply).cause());
            }
            default -> throw new IllegalArgumentException("Alipay has no " + type + " instructions");
        }
        LOG.debug("alipay query {} {}: {}", type, requestId, outcome);
        return outcome;
    }

    @Override
    public BalanceResult balance() {
        requireOpen();
        ObjectNode biz = SignedReply.JSON.createObjectNode()
                .put("alipay_user_id", platformAccount)
                .put("account_type", "ACCTRANS_ACCOUNT");
        GatewayClient.Reply reply = gateway.call(ACCOUNT_QUERY, biz, Map.of(), Kind.READ_ONLY, "balance");
        if (reply instanceof NoAnswer none) {
            return new BalanceResult.Unavailable(none.cause());
        }
        Answered answered = (Answered) reply;
        if (!AlipayOutcomes.SUCCESS.equals(answered.code()) || !answered.subCode().isEmpty()) {
            return new BalanceResult.Unavailable(answered.rawCode() + " " + answered.message());
        }
        return answered.text("available_amount").flatMap(AlipayFormats::parseYuan)
                .<BalanceResult>map(m -> new BalanceResult.Available(m, clock.instant()))
                .orElseGet(() -> new BalanceResult.Unavailable("reply lacks a readable available_amount"));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            gateway.close();
        }
    }

    @Override
    public String toString() {
        return "AlipayRail[" + id + "]";
    }

    /** ACQ.TRADE_HAS_SUCCESS: the trade under this out_trade_no was paid; the query says by how much. */
    private RailOutcome alreadyPaid(Instruction instruction) {
        RailOutcome queried = query(InstructionType.COLLECT, instruction.requestId());
        if (queried instanceof RailOutcome.Succeeded s) {
            return s.amount().equals(instruction.amount()) ? s
                    : new RailOutcome.Conflict("ACQ.TRADE_HAS_SUCCESS", "paid earlier with another amount");
        }
        return new RailOutcome.Unknown("ACQ.TRADE_HAS_SUCCESS but the query did not confirm it; query");
    }

    private void check(Instruction instruction, InstructionType type) {
        Objects.requireNonNull(instruction, "instruction");
        requireOpen();
        if (instruction.type() != type) {
            throw new IllegalArgumentException("expected a " + type + " instruction, got " + instruction.type());
        }
        if (!id.equals(instruction.party().rail())) {
            throw new IllegalArgumentException("instruction " + instruction.requestId() + " is for rail "
                    + instruction.party().rail() + ", not " + id);
        }
        if (!Money.CNY.equals(instruction.amount().currency())) {
            throw new IllegalArgumentException("Alipay moves CNY only, not " + instruction.amount().currency());
        }
    }

    /**
     * Amounts beyond Alipay's documented maximum (100,000,000.00 yuan) are refused without a call:
     * nothing could move, and the request id stays unused. Minimums are left to Alipay, which
     * knows the contract's limits and answers with an EXCEED_LIMIT code.
     */
    private Optional<RailOutcome> refuseLocally(Instruction instruction) {
        if (instruction.amount().isGreaterThan(AlipayFormats.MAX_AMOUNT)) {
            return Optional.of(declineLocally(instruction, DeclineReason.LIMIT_EXCEEDED, "AMOUNT_ABOVE_MAXIMUM",
                    "Alipay accepts at most " + AlipayFormats.MAX_AMOUNT.toDecimalString() + " yuan per instruction"));
        }
        return Optional.empty();
    }

    private RailOutcome declineLocally(Instruction instruction, DeclineReason reason, String code, String message) {
        RailOutcome outcome = new RailOutcome.Declined(reason, "LOCAL/" + code, message);
        log(instruction, outcome);
        return outcome;
    }

    private void log(Instruction instruction, RailOutcome outcome) {
        // PartyAccount.toString masks the agreement number; outcomes carry no secrets.
        if (outcome instanceof RailOutcome.Unknown || outcome instanceof RailOutcome.Conflict) {
            LOG.warn("alipay {} {} of {} for {}: {}", instruction.type(), instruction.requestId(),
                    instruction.amount(), instruction.party(), outcome);
        } else {
            LOG.info("alipay {} {} of {} for {}: {}", instruction.type(), instruction.requestId(),
                    instruction.amount(), instruction.party(), outcome);
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this AlipayRail is closed");
        }
    }

    /**
     * Configures an {@link AlipayRail}. Each setter rejects a bad value at once
     * ({@link NullPointerException} / {@link IllegalArgumentException}); {@link #build()} checks
     * that the required settings are present. Not thread-safe.
     */
    public static final class Builder {
        private RailId id = RailId.ALIPAY;
        private URI gateway;
        private String appId;
        private PrivateKey appPrivateKey;
        private PublicKey alipayPublicKey;
        private String platformAccount;
        private URI notifyUrl;
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private int readRetries = 2;

        private Builder() {
        }

        /** The rail id parties are registered under; {@link RailId#ALIPAY} by default. */
        public Builder id(RailId id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The gateway, e.g. {@code https://openapi.alipay.com/gateway.do}, or a sandbox's. */
        public Builder gateway(URI gateway) {
            Objects.requireNonNull(gateway, "gateway");
            if (!"https".equals(gateway.getScheme()) && !"http".equals(gateway.getScheme())) {
                throw new IllegalArgumentException("gateway must be an http(s) URL");
            }
            if (gateway.getRawQuery() != null || gateway.getRawFragment() != null) {
                throw new IllegalArgumentException("gateway must have no query or fragment");
            }
            this.gateway = gateway;
            return this;
        }

        /** The app id Alipay assigned (digits). */
        public Builder appId(String appId) {
            Objects.requireNonNull(appId, "appId");
            if (!appId.matches("[0-9]{1,32}")) {
                throw new IllegalArgumentException("app id must be 1-32 digits");
            }
            this.appId = appId;
            return this;
        }

        /** The app's private key (load it with {@link AlipayKeys}). */
        public Builder appPrivateKey(PrivateKey key) {
            Objects.requireNonNull(key, "appPrivateKey");
            if (!"RSA".equals(key.getAlgorithm())) {
                throw new IllegalArgumentException("the app private key must be an RSA key");
            }
            this.appPrivateKey = key;
            return this;
        }

        /** Alipay's public key, which signs the replies (load it with {@link AlipayKeys}). */
        public Builder alipayPublicKey(PublicKey key) {
            Objects.requireNonNull(key, "alipayPublicKey");
            if (!"RSA".equals(key.getAlgorithm())) {
                throw new IllegalArgumentException("the Alipay public key must be an RSA key");
            }
            this.alipayPublicKey = key;
            return this;
        }

        /** The platform's settlement account: its Alipay user id (2088...). */
        public Builder platformAccount(String alipayUserId) {
            Objects.requireNonNull(alipayUserId, "platformAccount");
            if (!alipayUserId.matches("[0-9]{1,28}")) {
                throw new IllegalArgumentException("platform account must be an Alipay user id (digits)");
            }
            this.platformAccount = alipayUserId;
            return this;
        }

        /** Where Alipay posts trade notifies; sent with every collection. Optional. */
        public Builder notifyUrl(URI notifyUrl) {
            this.notifyUrl = Objects.requireNonNull(notifyUrl, "notifyUrl");
            return this;
        }

        /** The clock for request timestamps; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long to wait for a connection; 5 s by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long to wait for one reply; 15 s by default. A call that times out is Unknown. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How often a query or balance call is retried within one call on transport errors and 5xx; 2 by default. */
        public Builder readRetries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("read retries must be 0-10");
            }
            this.readRetries = retries;
            return this;
        }

        /**
         * The rail.
         *
         * @throws IllegalStateException if a required setting is missing
         */
        public AlipayRail build() {
            require(gateway, "gateway");
            require(appId, "appId");
            require(appPrivateKey, "appPrivateKey");
            require(alipayPublicKey, "alipayPublicKey");
            require(platformAccount, "platformAccount");
            return new AlipayRail(this);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required");
            }
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
