package org.ticketledger.huijinbao.sandbox;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * A position as the sandbox holds it, including the exact yield basis (see
 * {@link org.ticketledger.huijinbao.YieldFormula}).
 *
 * @param plan          the plan
 * @param accountNo     the holder
 * @param principal     principal invested
 * @param accruedYield  {@code floor(yieldBasis / 3,650,000)} fen
 * @param yieldBasis    Σ principal_fen × rate_bp over the daily closes so far
 * @param annualRateBp  the plan's current rate in basis points
 * @param asOf          the sandbox's business time of these figures
 */
public record SandboxPosition(PlanId plan, String accountNo, Money principal, Money accruedYield, BigInteger yieldBasis,
                              int annualRateBp, Instant asOf) {

    public SandboxPosition {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(accountNo, "accountNo");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(accruedYield, "accruedYield");
        Objects.requireNonNull(yieldBasis, "yieldBasis");
        Objects.requireNonNull(asOf, "asOf");
    }
}
