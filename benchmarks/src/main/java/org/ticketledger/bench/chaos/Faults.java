package org.ticketledger.bench.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ticketledger.alipay.sandbox.AlipayFault;
import org.ticketledger.bench.http.Sandboxes;
import org.ticketledger.huijinbao.sandbox.Fault;
import org.ticketledger.huijinbao.sandbox.SandboxOperation;
import org.ticketledger.payment.RailId;

/**
 * Arms one-shot rail faults in the sandboxes just before the harness sends a money-moving call,
 * with the configured probability: timeouts (the reply held back past the app's rail timeout), 5xx
 * before or after the money moved, and replies lost after success. One armed fault in five aims at
 * the status query that follows an unknown outcome instead, so recovery itself meets faults.
 * Thread-safe.
 */
final class Faults {

    private static final AlipayFault[] ALIPAY = {AlipayFault.DELAY_PAST_TIMEOUT, AlipayFault.SERVER_ERROR,
            AlipayFault.SERVER_ERROR_AFTER_APPLY, AlipayFault.UNKNOWN_OUTCOME, AlipayFault.UNKNOWN_OUTCOME_AFTER_APPLY,
            AlipayFault.REPLY_LOST};
    private static final Duration HOLD = Duration.ofMillis(2500);

    /** What a call does on its rail. */
    enum Op { COLLECT, PAYOUT, INVEST, WITHDRAW }

    private final Sandboxes rails;
    private final double rate;
    private final Map<String, AtomicLong> armed = new ConcurrentHashMap<>();
    private volatile boolean on = true;

    Faults(Sandboxes rails, double rate) {
        this.rails = rails;
        this.rate = rate;
    }

    /** With the configured probability, arms a fault for the next {@code op} on {@code rail}. */
    void maybeArm(RailId rail, Op op, Random random) {
        if (!on || random.nextDouble() >= rate) {
            return;
        }
        boolean query = random.nextInt(5) == 0;
        if (op == Op.INVEST || op == Op.WITHDRAW) {
            rail = RailId.HUIJINBAO; // the wealth rail
        }
        if (rail.equals(RailId.ALIPAY)) {
            AlipayFault f = ALIPAY[random.nextInt(ALIPAY.length)];
            String method = op == Op.COLLECT
                    ? (query ? "alipay.trade.query" : "alipay.trade.pay")
                    : (query ? "alipay.fund.trans.common.query" : "alipay.fund.trans.uni.transfer");
            rails.alipay().injectFault(method, f, 1);
            count("alipay " + method.substring("alipay.".length()) + " " + f);
        } else {
            Fault f = switch (random.nextInt(7)) {
                case 0 -> Fault.delay(HOLD);
                case 1 -> Fault.slowReply(HOLD);
                case 2 -> Fault.serverError();
                case 3 -> Fault.unavailable();
                case 4 -> Fault.serverErrorAfterProcessing();
                case 5 -> Fault.gatewayTimeout();
                default -> Fault.lostReply();
            };
            SandboxOperation target = query ? SandboxOperation.ORDER_QUERY : switch (op) {
                case COLLECT -> SandboxOperation.COLLECT;
                case PAYOUT -> SandboxOperation.PAYOUT;
                case INVEST -> SandboxOperation.SUBSCRIBE;
                case WITHDRAW -> SandboxOperation.REDEEM;
            };
            rails.huijinbao().injectFault(f, target);
            count("huijinbao " + target + " " + f.kind());
        }
    }

    private void count(String what) {
        armed.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Stops arming and disarms whatever has not fired. */
    void stop() {
        on = false;
        rails.alipay().clearFaults();
        rails.huijinbao().clearFaults();
    }

    long armedTotal() {
        return armed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> armedByKind() {
        Map<String, Long> m = new java.util.TreeMap<>();
        armed.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
