package org.ticketledger.alipay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.ledger.Money;

/**
 * The sandbox's books: accounts, agreements, trades, transfers and pending faults, with the
 * business rules of the five methods. Every method holds the monitor, so each request is applied
 * atomically and concurrent duplicates are serialised exactly as a real idempotent backend would.
 */
final class SandboxBank {

    static final String TRADE_PAY = "alipay.trade.pay";
    static final String TRADE_QUERY = "alipay.trade.query";
    static final String TRANSFER = "alipay.fund.trans.uni.transfer";
    static final String TRANSFER_QUERY = "alipay.fund.trans.common.query";
    static final String ACCOUNT_QUERY = "alipay.fund.account.query";
    static final List<String> METHODS = List.of(TRADE_PAY, TRADE_QUERY, TRANSFER, TRANSFER_QUERY, ACCOUNT_QUERY);

    static final Money TRADE_MIN = Money.cny(1);
    static final Money TRANSFER_MIN = Money.cny(10);
    static final Money MAX = AlipayFormats.MAX_AMOUNT;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** A reply node's fields, in the order they are written. */
    static final class Fields extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;

        Fields with(String key, Object value) {
            put(key, value);
            return this;
        }

        String code() {
            return String.valueOf(get("code"));
        }
    }

    /** What a request did: the reply, and the notify to send if any. */
    record Result(Fields fields, Optional<Trade> paid) {
    }

    private static final class Account {
        final SandboxAccount who;
        Money balance;

        Account(SandboxAccount who, Money balance) {
            this.who = who;
            this.balance = balance;
        }
    }

    record Agreement(String agreementNo, String userId, boolean active) {
    }

    record Trade(long seq, String tradeNo, String outTradeNo, String agreementNo, String productCode, String buyer,
                 String seller, Money amount, String subject, Instant paidAt) {
    }

    record Transfer(long seq, String orderId, String payFundOrderId, String outBizNo, String identity,
                    String identityType, String name, String payer, String payee, Money amount, Instant at) {
    }

    private final Clock clock;
    private final String platformUserId;
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, String> byLogon = new HashMap<>();
    private final Map<String, Agreement> agreements = new HashMap<>();
    private final Map<String, Trade> trades = new HashMap<>();
    private final Map<String, Trade> tradesByNo = new HashMap<>();
    private final Map<String, Transfer> transfers = new HashMap<>();
    private final Map<String, Transfer> transfersByOrder = new HashMap<>();
    private final Map<String, Deque<AlipayFault>> faults = new HashMap<>();
    private long seq;
    private long nextUser = 1;

    SandboxBank(Clock clock, String platformUserId, String platformLogonId) {
        this.clock = clock;
        this.platformUserId = platformUserId;
        Account platform = new Account(new SandboxAccount(platformUserId, platformLogonId, "票务平台"), Money.cny(0));
        accounts.put(platformUserId, platform);
        byLogon.put(platformLogonId, platformUserId);
    }

    // ------------------------------------------------------------------ control

    synchronized SandboxAccount openAccount(String logonId, String name, Money balance) {
        Objects.requireNonNull(logonId, "logonId");
        Objects.requireNonNull(name, "name");
        requireCnyNotNegative(balance);
        if (logonId.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("login id and name must not be blank");
        }
        if (byLogon.containsKey(logonId)) {
            throw new IllegalArgumentException("login id " + logonId + " is taken");
        }
        String userId;
        do {
            userId = String.format("2088%012d", 100_000_000_000L + nextUser++);
        } while (accounts.containsKey(userId));
        SandboxAccount who = new SandboxAccount(userId, logonId, name);
        accounts.put(userId, new Account(who, balance));
        byLogon.put(logonId, userId);
        return who;
    }

    synchronized String signAgreement(String userId) {
        account(userId);
        String no;
        do {
            no = "2026" + String.format("%016d", ThreadLocalRandom.current().nextLong(10_000_000_000_000_000L));
        } while (agreements.containsKey(no));
        agreements.put(no, new Agreement(no, userId, true));
        return no;
    }

    synchronized void revokeAgreement(String agreementNo) {
        Agreement a = agreements.get(agreementNo);
        if (a == null) {
            throw new IllegalArgumentException("no such agreement");
        }
        agreements.put(agreementNo, new Agreement(a.agreementNo(), a.userId(), false));
    }

    synchronized Optional<SandboxAccount> findAccount(String userId) {
        return Optional.ofNullable(accounts.get(userId)).map(a -> a.who);
    }

    synchronized List<SandboxAccount> accounts() {
        return accounts.values().stream().map(a -> a.who).sorted(Comparator.comparing(SandboxAccount::userId)).toList();
    }

    synchronized Money balance(String userId) {
        return account(userId).balance;
    }

    synchronized void setBalance(String userId, Money balance) {
        requireCnyNotNegative(balance);
        account(userId).balance = balance;
    }

    synchronized void fund(String userId, Money amount) {
        requireCnyNotNegative(amount);
        Account a = account(userId);
        a.balance = a.balance.plus(amount);
    }

    synchronized void injectFault(String method, AlipayFault fault, int times) {
        Objects.requireNonNull(fault, "fault");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("the sandbox has no method " + method);
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        Deque<AlipayFault> queue = faults.computeIfAbsent(method, m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    synchronized Optional<AlipayFault> takeFault(String method) {
        Deque<AlipayFault> queue = faults.get(method);
        return queue == null ? Optional.empty() : Optional.ofNullable(queue.poll());
    }

    synchronized List<SandboxTransaction> transactions() {
        record Numbered(long seq, SandboxTransaction txn) {
        }
        List<Numbered> all = new ArrayList<>();
        trades.values().forEach(t -> all.add(new Numbered(t.seq(), new SandboxTransaction(
                SandboxTransaction.Kind.TRADE, t.tradeNo(), t.outTradeNo(), t.buyer(), t.seller(), t.amount(), t.paidAt()))));
        transfers.values().forEach(t -> all.add(new Numbered(t.seq(), new SandboxTransaction(
                SandboxTransaction.Kind.TRANSFER, t.orderId(), t.outBizNo(), t.payer(), t.payee(), t.amount(), t.at()))));
        return all.stream().sorted(Comparator.comparingLong(Numbered::seq)).map(Numbered::txn).toList();
    }

    // ------------------------------------------------------------------ gateway methods

    synchronized Result execute(String method, JsonNode biz) {
        return switch (method) {
            case TRADE_PAY -> tradePay(biz);
            case TRADE_QUERY -> new Result(tradeQuery(biz), Optional.empty());
            case TRANSFER -> new Result(transfer(biz), Optional.empty());
            case TRANSFER_QUERY -> new Result(transferQuery(biz), Optional.empty());
            case ACCOUNT_QUERY -> new Result(accountQuery(biz), Optional.empty());
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }

    private Result tradePay(JsonNode biz) {
        String prefix = "ACQ.";
        Optional<String> outTradeNo = text(biz, "out_trade_no").filter(SandboxBank::validOutNo);
        Optional<Money> amount = text(biz, "total_amount").flatMap(AlipayFormats::parseYuan).filter(Money::isPositive);
        Optional<String> subject = text(biz, "subject").filter(s -> s.length() <= 256);
        Optional<String> product = text(biz, "product_code")
                .filter(p -> p.equals("GENERAL_WITHHOLDING") || p.equals("CYCLE_PAY_AUTH"));
        Optional<String> agreementNo = Optional.ofNullable(biz.get("agreement_params"))
                .flatMap(p -> text(p, "agreement_no"));
        if (outTradeNo.isEmpty() || amount.isEmpty() || subject.isEmpty() || product.isEmpty() || agreementNo.isEmpty()
                || biz.has("auth_code") || biz.has("scene")) {
            return new Result(business(prefix + "INVALID_PARAMETER", "参数无效"), Optional.empty());
        }
        Trade existing = trades.get(outTradeNo.get());
        if (existing != null) {
            if (!existing.amount().equals(amount.get()) || !existing.agreementNo().equals(agreementNo.get())
                    || !existing.productCode().equals(product.get())) {
                return new Result(business("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"), Optional.empty());
            }
            return new Result(business("ACQ.TRADE_HAS_SUCCESS", "交易已被支付"), Optional.empty());
        }
        if (amount.get().isGreaterThan(MAX)) {
            return new Result(business("ACQ.TOTAL_FEE_EXCEED", "订单金额超过限额"), Optional.empty());
        }
        // Agreement sub-codes are UNCONFIRMED; these are the sandbox's choice.
        Agreement agreement = agreements.get(agreementNo.get());
        if (agreement == null) {
            return new Result(business("ACQ.AGREEMENT_NOT_EXIST", "协议不存在"), Optional.empty());
        }
        if (!agreement.active()) {
            return new Result(business("ACQ.AGREEMENT_INVALID", "协议已失效"), Optional.empty());
        }
        Account buyer = accounts.get(agreement.userId());
        Account seller = accounts.get(platformUserId);
        if (buyer.balance.isLessThan(amount.get())) {
            // A declined trade leaves no record, so the same out_trade_no can be paid once funded.
            return new Result(business("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"), Optional.empty());
        }
        buyer.balance = buyer.balance.minus(amount.get());
        seller.balance = seller.balance.plus(amount.get());
        Instant now = clock.instant();
        long n = ++seq;
        Trade trade = new Trade(n, day(now) + "22001" + String.format("%011d", n), outTradeNo.get(), agreementNo.get(),
                product.get(), buyer.who.userId(), platformUserId, amount.get(), subject.get(), now);
        trades.put(trade.outTradeNo(), trade);
        tradesByNo.put(trade.tradeNo(), trade);
        String yuan = AlipayFormats.yuan(trade.amount());
        Fields f = success()
                .with("trade_no", trade.tradeNo())
                .with("out_trade_no", trade.outTradeNo())
                .with("buyer_logon_id", mask(buyer.who.logonId()))
                .with("total_amount", yuan)
                .with("receipt_amount", yuan)
                .with("buyer_pay_amount", yuan)
                .with("point_amount", "0.00")
                .with("invoice_amount", yuan)
                .with("gmt_payment", AlipayFormats.time(now))
                .with("fund_bill_list", List.of(Map.of("fund_channel", "ALIPAYACCOUNT", "amount", yuan)))
                .with("buyer_user_id", buyer.who.userId());
        return new Result(f, Optional.of(trade));
    }

    private Fields tradeQuery(JsonNode biz) {
        Optional<String> outTradeNo = text(biz, "out_trade_no");
        Optional<String> tradeNo = text(biz, "trade_no");
        if (outTradeNo.isEmpty() && tradeNo.isEmpty()) {
            return business("ACQ.INVALID_PARAMETER", "参数无效");
        }
        Trade t = tradeNo.isPresent() ? tradesByNo.get(tradeNo.get()) : trades.get(outTradeNo.get());
        if (t == null || (outTradeNo.isPresent() && !outTradeNo.get().equals(t.outTradeNo()))) {
            return business("ACQ.TRADE_NOT_EXIST", "交易不存在");
        }
        String yuan = AlipayFormats.yuan(t.amount());
        return success()
                .with("trade_no", t.tradeNo())
                .with("out_trade_no", t.outTradeNo())
                .with("buyer_logon_id", mask(accounts.get(t.buyer()).who.logonId()))
                .with("trade_status", "TRADE_SUCCESS")
                .with("total_amount", yuan)
                .with("receipt_amount", yuan)
                .with("buyer_pay_amount", yuan)
                .with("send_pay_date", AlipayFormats.time(t.paidAt()))
                .with("buyer_user_id", t.buyer());
    }

    private Fields transfer(JsonNode biz) {
        Optional<String> outBizNo = text(biz, "out_biz_no").filter(SandboxBank::validOutNo);
        Optional<Money> amount = text(biz, "trans_amount").flatMap(AlipayFormats::parseYuan).filter(Money::isPositive);
        boolean product = text(biz, "product_code").filter("TRANS_ACCOUNT_NO_PWD"::equals).isPresent();
        boolean scene = text(biz, "biz_scene").filter("DIRECT_TRANSFER"::equals).isPresent();
        JsonNode payee = biz.get("payee_info");
        Optional<String> identity = payee == null ? Optional.empty() : text(payee, "identity");
        Optional<String> type = payee == null ? Optional.empty() : text(payee, "identity_type")
                .filter(t -> t.equals("ALIPAY_USER_ID") || t.equals("ALIPAY_LOGON_ID"));
        Optional<String> name = payee == null ? Optional.empty() : text(payee, "name");
        if (outBizNo.isEmpty() || amount.isEmpty() || !product || !scene || identity.isEmpty() || type.isEmpty()
                || (type.get().equals("ALIPAY_LOGON_ID") && name.isEmpty())) {
            return business("INVALID_PARAMETER", "参数有误");
        }
        Transfer existing = transfers.get(outBizNo.get());
        if (existing != null) {
            if (!existing.amount().equals(amount.get()) || !existing.identity().equals(identity.get())
                    || !existing.identityType().equals(type.get()) || !existing.name().equals(name.orElse(""))) {
                return business("PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致");
            }
            // Idempotent: the original success, as the transfer documentation says.
            return transferred(existing);
        }
        if (amount.get().isLessThan(TRANSFER_MIN)) {
            return business("EXCEED_LIMIT_SM_MIN_AMOUNT", "单笔最低转账金额0.1元");
        }
        if (amount.get().isGreaterThan(MAX)) {
            return business("EXCEED_LIMIT_SM_AMOUNT", "单笔额度超限");
        }
        String payeeId = type.get().equals("ALIPAY_USER_ID") ? identity.get() : byLogon.get(identity.get());
        Account to = payeeId == null ? null : accounts.get(payeeId);
        if (to == null) {
            return business("PAYEE_NOT_EXIST", "收款账号不存在");
        }
        if (name.isPresent() && !name.get().equals(to.who.name())) {
            return business("PAYEE_USER_INFO_ERROR", "收款方姓名与账号不匹配");
        }
        if (to.who.userId().equals(platformUserId)) {
            return business("PAYER_PAYEE_CANNOT_SAME", "收付款方不能相同");
        }
        Account from = accounts.get(platformUserId);
        if (from.balance.isLessThan(amount.get())) {
            // As with trades: a declined transfer leaves no record and may be re-sent once funded.
            return business("PAYER_BALANCE_NOT_ENOUGH", "付款方余额不足");
        }
        from.balance = from.balance.minus(amount.get());
        to.balance = to.balance.plus(amount.get());
        Instant now = clock.instant();
        long n = ++seq;
        Transfer t = new Transfer(n, day(now) + "0200" + String.format("%012d", n), day(now) + "0100" + String.format("%012d", n),
                outBizNo.get(), identity.get(), type.get(), name.orElse(""), platformUserId, to.who.userId(),
                amount.get(), now);
        transfers.put(t.outBizNo(), t);
        transfersByOrder.put(t.orderId(), t);
        return transferred(t);
    }

    private static Fields transferred(Transfer t) {
        return success()
                .with("out_biz_no", t.outBizNo())
                .with("order_id", t.orderId())
                .with("pay_fund_order_id", t.payFundOrderId())
                .with("status", "SUCCESS")
                .with("trans_date", AlipayFormats.time(t.at()));
    }

    private Fields transferQuery(JsonNode biz) {
        Optional<String> outBizNo = text(biz, "out_biz_no");
        Optional<String> orderId = text(biz, "order_id");
        Optional<String> payFundOrderId = text(biz, "pay_fund_order_id");
        Transfer t;
        if (orderId.isPresent()) {
            t = transfersByOrder.get(orderId.get());
        } else if (payFundOrderId.isPresent()) {
            t = transfers.values().stream().filter(x -> x.payFundOrderId().equals(payFundOrderId.get()))
                    .findFirst().orElse(null);
        } else if (outBizNo.isPresent()) {
            if (text(biz, "product_code").isEmpty() || text(biz, "biz_scene").isEmpty()) {
                return business("INVALID_PARAMETER", "参数有误：缺少product_code或biz_scene");
            }
            t = transfers.get(outBizNo.get());
        } else {
            return business("INVALID_PARAMETER", "参数有误");
        }
        if (t == null) {
            // "ORDER_NOT_EXIST" is UNCONFIRMED for common.query; the rail maps it to NotFound.
            return business("ORDER_NOT_EXIST", "转账订单不存在");
        }
        return success()
                .with("order_id", t.orderId())
                .with("pay_fund_order_id", t.payFundOrderId())
                .with("out_biz_no", t.outBizNo())
                .with("trans_amount", AlipayFormats.yuan(t.amount()))
                .with("status", "SUCCESS")
                .with("pay_date", AlipayFormats.time(t.at()));
    }

    private Fields accountQuery(JsonNode biz) {
        Optional<String> userId = text(biz, "alipay_user_id");
        Optional<String> type = text(biz, "account_type");
        if (userId.isEmpty() || (type.isPresent() && !type.get().equals("ACCTRANS_ACCOUNT"))) {
            return business("INVALID_PARAMETER", "参数有误");
        }
        if (!userId.get().equals(platformUserId)) {
            return new Fields().with("code", "40006").with("msg", "Insufficient Permissions")
                    .with("sub_code", "isv.insufficient-isv-permissions").with("sub_msg", "ISV权限不足");
        }
        return success()
                .with("available_amount", AlipayFormats.yuan(accounts.get(platformUserId).balance))
                .with("freeze_amount", "0.00");
    }

    // ------------------------------------------------------------------ helpers

    static Fields success() {
        return new Fields().with("code", "10000").with("msg", "Success");
    }

    static Fields business(String subCode, String subMsg) {
        return new Fields().with("code", "40004").with("msg", "Business Failed")
                .with("sub_code", subCode).with("sub_msg", subMsg);
    }

    private Account account(String userId) {
        Account a = accounts.get(Objects.requireNonNull(userId, "userId"));
        if (a == null) {
            throw new IllegalArgumentException("no account " + userId);
        }
        return a;
    }

    private static void requireCnyNotNegative(Money m) {
        Objects.requireNonNull(m, "amount");
        if (!Money.CNY.equals(m.currency()) || m.isNegative()) {
            throw new IllegalArgumentException("amounts at the sandbox are CNY and not negative");
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty()
                ? Optional.empty() : Optional.of(v.asText());
    }

    private static boolean validOutNo(String s) {
        return s.length() <= 64 && s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-');
    }

    private String day(Instant now) {
        return DAY.format(LocalDateTime.ofInstant(now, AlipayFormats.BEIJING));
    }

    /** Alipay shows login ids masked, e.g. {@code 138******00}. */
    static String mask(String logonId) {
        if (logonId.length() <= 4) {
            return "***";
        }
        return logonId.substring(0, 3) + "***" + logonId.substring(logonId.length() - 2);
    }
}
