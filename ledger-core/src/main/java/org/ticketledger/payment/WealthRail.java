package org.ticketledger.payment;

/**
 * The wealth-plan (理财) capability of a rail such as Huijinbao: park money from the platform's
 * account in a plan and take it back with its yield. Same idempotency and outcome rules as
 * {@link PaymentRail}; queries go through {@link PaymentRail#query} with
 * {@link InstructionType#SUBSCRIBE}, {@link InstructionType#REDEEM} or
 * {@link InstructionType#REDEEM_ALL}.
 */
public interface WealthRail {

    /** Moves {@code instruction.amount()} from the platform's account into the plan. */
    RailOutcome subscribe(WealthInstruction instruction);

    /** Moves {@code instruction.amount()} of principal from the plan back to the platform's account. */
    RailOutcome redeem(WealthInstruction instruction);

    /**
     * Closes the platform's position in the plan: all principal plus accrued yield back to the
     * platform's account. {@link RailOutcome.Succeeded#yield()} carries the yield.
     */
    RailOutcome redeemAll(RequestId requestId, PlanId plan);

    /** The platform's current position in the plan. */
    PositionResult position(PlanId plan);
}
