package org.ticketledger.huijinbao.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.ticketledger.huijinbao.YieldFormula;
import org.ticketledger.huijinbao.internal.Codes;
import org.ticketledger.huijinbao.internal.Operation;
import org.ticketledger.huijinbao.internal.Wire;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RequestId;

/**
 * The sandbox's books: accounts, plans, positions and orders. Every method takes the one monitor,
 * so each write is atomic and idempotency checks cannot race (a delayed request and its resend
 * are applied one after the other, and the second finds the first's order).
 */
final class SandboxBank {

    /** An HTTP status and JSON body to send. */
    record Reply(int status, ObjectNode body) {
    }

    /**
     * What makes two writes "the same request": everything the client sent except formatting.
     * Absent fields are empty strings.
     */
    record Params(Operation op, String requestId, String platformAccount, String counterpart, String amount,
                  String title) {
        Params {
            Objects.requireNonNull(op);
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(platformAccount);
            Objects.requireNonNull(counterpart);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(title);
        }
    }

    private record Order(Params params, ObjectNode body, SandboxOrder summary) {
    }

    private record Done(long amount, long principal, long gain) {
    }

    private static final class Account {
        long balance;
        boolean frozen;
    }

    private static final class Plan {
        int rateBp;
        boolean open = true;
        final Map<String, Position> positions = new LinkedHashMap<>();
    }

    private static final class Position {
        long principal;
        BigInteger basis = BigInteger.ZERO;
        Instant rolledTo;

        Position(Instant now) {
            this.rolledTo = now;
        }

        /** Adds the basis of every daily close since the last roll, at the rate in force now. */
        void roll(Instant now, int rateBp) {
            long closes = YieldFormula.closesBetween(rolledTo, now);
            if (closes > 0) {
                basis = basis.add(YieldFormula.basis(principal, rateBp, closes));
            }
            if (now.isAfter(rolledTo)) {
                rolledTo = now;
            }
        }
    }

    private static final DateTimeFormatter TXN_DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final Supplier<Instant> now;
    private final String platformAccount;
    private final Optional<Money> perTransactionLimit;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<PlanId, Plan> plans = new LinkedHashMap<>();
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private long txnSeq;
    // Totals outlive any single balance's range when tests probe overflow, so they are unbounded.
    private BigInteger deposited = BigInteger.ZERO;
    private BigInteger yieldPaid = BigInteger.ZERO;

    SandboxBank(Supplier<Instant> now, String platformAccount, Optional<Money> perTransactionLimit) {
        this.now = now;
        this.platformAccount = platformAccount;
        this.perTransactionLimit = perTransactionLimit;
        accounts.put(platformAccount, new Account());
    }

    String platformAccount() {
        return platformAccount;
    }

    // ------------------------------------------------------------ protocol

    synchronized Reply write(Params p, Optional<String> forcedRefusal) {
        String key = orderKey(p.op(), p.requestId());
        Order existing = orders.get(key);
        if (existing != null) {
            if (existing.params().equals(p)) {
                return new Reply(200, existing.body().deepCopy());
            }
            return error(409, Codes.IDEMPOTENCY_CONFLICT,
                    "request id " + p.requestId() + " was used for a " + p.op() + " with different parameters");
        }
        if (!platformAccount.equals(p.platformAccount())) {
            return error(403, Codes.ACCOUNT_NOT_AUTHORIZED, "this key may not act for account " + p.platformAccount());
        }
        Instant at = now.get();
        Object result = forcedRefusal.<Object>map(code -> code).orElseGet(() -> execute(p, at));
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("request_id", p.requestId());
        body.put("operation", p.op().name());
        if (!(result instanceof Done done)) {
            // A refusal binds nothing: the request id stays free, so the same request can succeed
            // once the cause (a short balance, a closed plan) is gone.
            String code = (String) result;
            body.put("status", "FAILED");
            putCommon(body, p);
            if (!p.amount().isEmpty()) {
                body.put("amount", p.amount());
            }
            putTail(body, p, at);
            body.put("failure_code", code);
            body.put("failure_message", failureMessage(code));
            return new Reply(422, body);
        }
        String txn = "HJB" + TXN_DAY.format(Wire.businessDay(at)) + String.format("%010d", ++txnSeq);
        body.put("status", "SUCCEEDED");
        body.put("txn_id", txn);
        putCommon(body, p);
        body.put("amount", Wire.yuan(Money.cny(done.amount())));
        if (p.op() == Operation.REDEEM_ALL) {
            body.put("principal", Wire.yuan(Money.cny(done.principal())));
            body.put("yield", Wire.yuan(Money.cny(done.gain())));
        }
        putTail(body, p, at);
        body.put("completed_at", Wire.time(at));
        SandboxOrder summary = new SandboxOrder(p.op().instructionType(), RequestId.of(p.requestId()),
                Money.cny(done.amount()), txn, at);
        orders.put(key, new Order(p, body, summary));
        return new Reply(200, body.deepCopy());
    }

    synchronized Reply order(Operation op, String requestId) {
        Order o = orders.get(orderKey(op, requestId));
        if (o == null) {
            return error(404, Codes.ORDER_NOT_FOUND, "no " + op + " under request id " + requestId);
        }
        return new Reply(200, o.body().deepCopy());
    }

    synchronized Reply balance(String accountNo) {
        if (!platformAccount.equals(accountNo)) {
            return error(403, Codes.ACCOUNT_NOT_AUTHORIZED, "this key may read its own account only");
        }
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("account_no", accountNo);
        body.put("available", Wire.yuan(Money.cny(accounts.get(accountNo).balance)));
        body.put("currency", Wire.CURRENCY);
        body.put("as_of", Wire.time(now.get()));
        return new Reply(200, body);
    }

    synchronized Reply position(PlanId planId, String accountNo) {
        Plan plan = plans.get(planId);
        if (plan == null) {
            return error(404, Codes.PLAN_UNKNOWN, "no plan " + planId);
        }
        if (!platformAccount.equals(accountNo)) {
            return error(403, Codes.ACCOUNT_NOT_AUTHORIZED, "this key may read its own positions only");
        }
        SandboxPosition pos = positionOf(planId, accountNo);
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("plan_id", planId.value());
        body.put("account_no", accountNo);
        body.put("principal", Wire.yuan(pos.principal()));
        body.put("accrued_yield", Wire.yuan(pos.accruedYield()));
        body.put("yield_basis", pos.yieldBasis().toString());
        body.put("annual_rate_bp", pos.annualRateBp());
        body.put("currency", Wire.CURRENCY);
        body.put("as_of", Wire.time(pos.asOf()));
        return new Reply(200, body);
    }

    static Reply error(int status, String code, String message) {
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        return new Reply(status, body);
    }

    // ------------------------------------------------------------ control

    synchronized void openAccount(String accountNo, Money balance) {
        requireCny(balance);
        if (balance.isNegative()) {
            throw new IllegalArgumentException("opening balance must not be negative");
        }
        if (accounts.containsKey(accountNo)) {
            throw new IllegalArgumentException("account " + accountNo + " exists already");
        }
        Account a = new Account();
        a.balance = balance.minor();
        deposited = deposited.add(BigInteger.valueOf(balance.minor()));
        accounts.put(accountNo, a);
    }

    synchronized void deposit(String accountNo, Money amount) {
        requireCny(amount);
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("deposit must be positive");
        }
        Account a = account(accountNo);
        a.balance = Math.addExact(a.balance, amount.minor());
        deposited = deposited.add(BigInteger.valueOf(amount.minor()));
    }

    /** Sets a balance as if money came in or went out outside the API. */
    synchronized void setBalance(String accountNo, Money balance) {
        requireCny(balance);
        if (balance.isNegative()) {
            throw new IllegalArgumentException("balance must not be negative");
        }
        Account a = account(accountNo);
        deposited = deposited.add(BigInteger.valueOf(balance.minor())).subtract(BigInteger.valueOf(a.balance));
        a.balance = balance.minor();
    }

    synchronized void setFrozen(String accountNo, boolean frozen) {
        if (platformAccount.equals(accountNo)) {
            throw new IllegalArgumentException("the platform account cannot be frozen in the sandbox");
        }
        account(accountNo).frozen = frozen;
    }

    synchronized Money balanceOf(String accountNo) {
        return Money.cny(account(accountNo).balance);
    }

    synchronized boolean hasAccount(String accountNo) {
        return accounts.containsKey(accountNo);
    }

    synchronized void openPlan(PlanId id, int rateBp) {
        requireRate(rateBp);
        if (plans.containsKey(id)) {
            throw new IllegalArgumentException("plan " + id + " exists already");
        }
        Plan p = new Plan();
        p.rateBp = rateBp;
        plans.put(id, p);
    }

    synchronized void setRate(PlanId id, int rateBp) {
        requireRate(rateBp);
        Plan p = plan(id);
        Instant t = now.get();
        // Closes before now accrue at the old rate.
        p.positions.values().forEach(pos -> pos.roll(t, p.rateBp));
        p.rateBp = rateBp;
    }

    synchronized void setOpen(PlanId id, boolean open) {
        plan(id).open = open;
    }

    synchronized SandboxPosition positionOf(PlanId id, String accountNo) {
        Plan p = plan(id);
        Instant t = now.get();
        Position pos = p.positions.get(accountNo);
        if (pos == null) {
            return new SandboxPosition(id, accountNo, Money.cny(0), Money.cny(0), BigInteger.ZERO, p.rateBp, t);
        }
        pos.roll(t, p.rateBp);
        return new SandboxPosition(id, accountNo, Money.cny(pos.principal),
                Money.cny(YieldFormula.yieldFen(pos.basis)), pos.basis, p.rateBp, t);
    }

    synchronized List<SandboxOrder> orders() {
        List<SandboxOrder> list = new ArrayList<>();
        orders.values().forEach(o -> list.add(o.summary()));
        return List.copyOf(list);
    }

    /** Σ balances + Σ principal: what the sandbox holds for its customers. */
    synchronized BigInteger totalFunds() {
        BigInteger total = BigInteger.ZERO;
        for (Account a : accounts.values()) {
            total = total.add(BigInteger.valueOf(a.balance));
        }
        for (Plan p : plans.values()) {
            for (Position pos : p.positions.values()) {
                total = total.add(BigInteger.valueOf(pos.principal));
            }
        }
        return total;
    }

    synchronized BigInteger deposited() {
        return deposited;
    }

    synchronized BigInteger yieldPaid() {
        return yieldPaid;
    }

    /** A summary of the books for the control API. */
    synchronized ObjectNode state() {
        ObjectNode s = Wire.JSON.createObjectNode();
        s.put("now", Wire.time(now.get()));
        s.put("platform_account", platformAccount);
        ObjectNode acc = s.putObject("accounts");
        accounts.forEach((no, a) -> {
            ObjectNode n = acc.putObject(no);
            n.put("balance", Wire.yuan(Money.cny(a.balance)));
            n.put("frozen", a.frozen);
        });
        ObjectNode pl = s.putObject("plans");
        plans.forEach((id, p) -> {
            ObjectNode n = pl.putObject(id.value());
            n.put("annual_rate_bp", p.rateBp);
            n.put("open", p.open);
            SandboxPosition pos = positionOf(id, platformAccount);
            n.put("principal", Wire.yuan(pos.principal()));
            n.put("accrued_yield", Wire.yuan(pos.accruedYield()));
            n.put("yield_basis", pos.yieldBasis().toString());
        });
        s.put("total_funds", yuan(totalFunds()));
        s.put("deposited", yuan(deposited));
        s.put("yield_paid", yuan(yieldPaid));
        s.put("orders", orders.size());
        return s;
    }

    // ------------------------------------------------------------ business rules

    /** Applies a fresh write: a {@link Done} when money moved, else the refusal code. */
    private Object execute(Params p, Instant at) {
        long amount = p.amount().isEmpty() ? 0 : Money.parseCny(p.amount()).minor();
        if (p.op() != Operation.REDEEM_ALL && perTransactionLimit.filter(l -> amount > l.minor()).isPresent()) {
            return Codes.AMOUNT_LIMIT_EXCEEDED;
        }
        Account platform = accounts.get(platformAccount);
        switch (p.op()) {
            case COLLECT, PAYOUT -> {
                Account member = platformAccount.equals(p.counterpart()) ? null : accounts.get(p.counterpart());
                if (member == null) {
                    return Codes.ACCOUNT_UNKNOWN;
                }
                if (member.frozen) {
                    return Codes.ACCOUNT_FROZEN;
                }
                Account from = p.op() == Operation.COLLECT ? member : platform;
                Account to = p.op() == Operation.COLLECT ? platform : member;
                if (from.balance < amount) {
                    return Codes.INSUFFICIENT_FUNDS;
                }
                if (overflows(to.balance, amount)) {
                    return Codes.AMOUNT_LIMIT_EXCEEDED;
                }
                from.balance -= amount;
                to.balance += amount;
                return new Done(amount, 0, 0);
            }
            default -> {
                Plan plan = plans.get(PlanId.of(p.counterpart()));
                if (plan == null) {
                    return Codes.PLAN_UNKNOWN;
                }
                if (!plan.open) {
                    return Codes.PLAN_CLOSED;
                }
                Position pos = plan.positions.computeIfAbsent(platformAccount, k -> new Position(at));
                pos.roll(at, plan.rateBp);
                return switch (p.op()) {
                    case SUBSCRIBE -> {
                        if (platform.balance < amount) {
                            yield Codes.INSUFFICIENT_FUNDS;
                        }
                        if (overflows(pos.principal, amount)) {
                            yield Codes.AMOUNT_LIMIT_EXCEEDED;
                        }
                        platform.balance -= amount;
                        pos.principal += amount;
                        yield new Done(amount, 0, 0);
                    }
                    case REDEEM -> {
                        if (pos.principal < amount) {
                            yield Codes.AMOUNT_EXCEEDS_POSITION;
                        }
                        if (overflows(platform.balance, amount)) {
                            yield Codes.AMOUNT_LIMIT_EXCEEDED;
                        }
                        pos.principal -= amount;
                        platform.balance += amount;
                        yield new Done(amount, 0, 0);
                    }
                    default -> {
                        long gain = YieldFormula.yieldFen(pos.basis);
                        if (overflows(pos.principal, gain) || overflows(platform.balance, pos.principal + gain)) {
                            yield Codes.AMOUNT_LIMIT_EXCEEDED;
                        }
                        long total = pos.principal + gain;
                        Done done = new Done(total, pos.principal, gain);
                        platform.balance += total;
                        yieldPaid = yieldPaid.add(BigInteger.valueOf(gain));
                        // The fraction of a fen left in the basis is forfeited with the position.
                        pos.principal = 0;
                        pos.basis = BigInteger.ZERO;
                        yield done;
                    }
                };
            }
        }
    }

    private static String yuan(BigInteger fen) {
        return new java.math.BigDecimal(fen, 2).toPlainString();
    }

    private static boolean overflows(long a, long b) {
        return a > Long.MAX_VALUE - b;
    }

    private void putCommon(ObjectNode body, Params p) {
        body.put("platform_account", p.platformAccount());
        body.put(p.op().isWealth() ? "plan_id" : "account_no", p.counterpart());
    }

    private static void putTail(ObjectNode body, Params p, Instant at) {
        body.put("currency", Wire.CURRENCY);
        if (!p.title().isEmpty()) {
            body.put("title", p.title());
        }
        body.put("created_at", Wire.time(at));
    }

    private static String failureMessage(String code) {
        return switch (code) {
            case Codes.INSUFFICIENT_FUNDS -> "the paying account's balance is insufficient";
            case Codes.ACCOUNT_UNKNOWN -> "no such member account";
            case Codes.ACCOUNT_FROZEN -> "the member account is frozen";
            case Codes.PLAN_UNKNOWN -> "no such wealth plan";
            case Codes.PLAN_CLOSED -> "the plan is closed for subscriptions and redemptions at the moment";
            case Codes.AMOUNT_EXCEEDS_POSITION -> "the redemption exceeds the principal held in the plan";
            case Codes.AMOUNT_LIMIT_EXCEEDED -> "the amount is outside the allowed range";
            default -> code;
        };
    }

    private static String orderKey(Operation op, String requestId) {
        return op.name() + "/" + requestId;
    }

    private Account account(String accountNo) {
        Account a = accounts.get(accountNo);
        if (a == null) {
            throw new IllegalArgumentException("no account " + accountNo);
        }
        return a;
    }

    private Plan plan(PlanId id) {
        Plan p = plans.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no plan " + id);
        }
        return p;
    }

    private static void requireRate(int rateBp) {
        if (rateBp < 0 || rateBp > 10_000) {
            throw new IllegalArgumentException("annual rate must be 0-10000 basis points, was " + rateBp);
        }
    }

    private static void requireCny(Money m) {
        if (!Money.CNY.equals(m.currency())) {
            throw new IllegalArgumentException("the sandbox keeps CNY only");
        }
    }
}
