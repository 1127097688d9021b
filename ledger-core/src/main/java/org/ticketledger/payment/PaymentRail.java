package org.ticketledger.payment;

/**
 * A payment rail: collects from parties into the platform's settlement account at the rail, pays
 * out from it, and answers what became of an earlier instruction.
 *
 * <p>Contract (checked by the rail contract suite):
 * <ul>
 *   <li>Every call that moves money is idempotent by {@link RequestId}: the same id with the same
 *       parameters yields the original result and moves nothing more; the same id with different
 *       parameters yields {@link RailOutcome.Conflict}.</li>
 *   <li>A refusal ({@link RailOutcome.Declined}) moves nothing and binds nothing: the same request
 *       id may be sent again (after a top-up, say) and then succeed. So a caller keeps one request id
 *       per instruction through all its retries: a copy of a refused request still on its way may be
 *       carried out later, and only the same id makes it and the retry one movement.</li>
 *   <li>An outcome the rail cannot vouch for (timeout, 5xx, unverifiable reply) is
 *       {@link RailOutcome.Unknown}, never a guess; {@link #query} resolves it.</li>
 *   <li>Implementations are thread-safe, and never log secrets (keys, agreement numbers).</li>
 * </ul>
 * Methods never return null and never throw for rail-side failures; they throw only for bugs
 * (e.g. an instruction for another rail: {@link IllegalArgumentException}).
 */
public interface PaymentRail extends AutoCloseable {

    /** Which rail this is. */
    RailId id();

    /** Debits {@code instruction.party()} into the platform's settlement account. */
    RailOutcome collect(Instruction instruction);

    /** Pays {@code instruction.amount()} from the platform's settlement account to {@code instruction.party()}. */
    RailOutcome payout(Instruction instruction);

    /**
     * What became of the instruction of {@code type} sent under {@code requestId}:
     * {@link RailOutcome.NotFound} when the rail never saw it.
     */
    RailOutcome query(InstructionType type, RequestId requestId);

    /** The available balance of the platform's settlement account at this rail. */
    BalanceResult balance();

    /** The wealth capability, when this rail has one. */
    default java.util.Optional<WealthRail> wealth() {
        return java.util.Optional.empty();
    }

    /** Releases connections and threads. */
    @Override
    default void close() {
    }
}
