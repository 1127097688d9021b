package org.ticketledger.huijinbao;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PlanId;

/** A sandbox on loopback and a rail pointed at it, with short timeouts so fault tests stay quick. */
final class Fixture implements AutoCloseable {

    /** 2026-12-01 10:00 Beijing time: the business clock's start in every test. */
    static final Instant START = Instant.parse("2026-12-01T02:00:00Z");
    static final PlanId PLAN = PlanId.of("HJB-PLAN-01");
    static final int RATE_BP = 285;
    /** Short, so injected delays stay cheap; long enough for a loaded 2-core build machine. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1000);

    final HuijinbaoSandbox sandbox;
    final HuijinbaoRail rail;

    private Fixture(HuijinbaoSandbox sandbox, HuijinbaoRail rail) {
        this.sandbox = sandbox;
        this.rail = rail;
    }

    static Fixture start() {
        return start(UnaryOperator.identity(), UnaryOperator.identity());
    }

    static Fixture start(UnaryOperator<HuijinbaoSandbox.Builder> sandboxSettings,
                         UnaryOperator<HuijinbaoRail.Builder> railSettings) {
        HuijinbaoSandbox sandbox = sandboxSettings.apply(HuijinbaoSandbox.builder()
                .clock(Clock.fixed(START, ZoneOffset.UTC))
                .plan(PLAN, RATE_BP)).start();
        HuijinbaoRail rail = railSettings.apply(sandbox.railBuilder()
                .defaultPlan(PLAN)
                .connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(REQUEST_TIMEOUT)
                .retryDelay(Duration.ofMillis(10))
                .callTimeout(Duration.ofSeconds(10))).build();
        return new Fixture(sandbox, rail);
    }

    /** A rail on the same sandbox with other settings (e.g. no in-call retries). */
    HuijinbaoRail otherRail(UnaryOperator<HuijinbaoRail.Builder> railSettings) {
        return railSettings.apply(sandbox.railBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(REQUEST_TIMEOUT)
                .retryDelay(Duration.ofMillis(10))
                .callTimeout(Duration.ofSeconds(10))).build();
    }

    PartyAccount member(String accountNo, String yuan) {
        return sandbox.openAccount(accountNo, Money.parseCny(yuan));
    }

    static Money yuan(String text) {
        return Money.parseCny(text);
    }

    @Override
    public void close() {
        rail.close();
        sandbox.close();
    }
}
