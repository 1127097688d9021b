package org.ticketledger.ticketing.wealth;

import java.util.List;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.ticketing.Outcome;

/**
 * Wealth plans, their invest and withdraw instructions, and the admin's retries. The background
 * jobs drive instructions (query before any retry, same request id) and close each plan at its
 * expiry. Thread-safe; nothing returns null.
 */
public interface Wealth {

    /** A plan by the rail's plan id. */
    Optional<WealthPlan> plan(String planId);

    /** All plans, by expiry. */
    List<WealthPlan> plans();

    /** An instruction by id. */
    Optional<PlanInstruction> instruction(String instructionId);

    /** The instructions of a plan, oldest first. */
    List<PlanInstruction> byPlan(String planId);

    /** The instructions of an order (its invest, its tickets' withdraws), oldest first. */
    List<PlanInstruction> byOrder(String orderId);

    /** Instructions in {@code state}, oldest first, at most {@code limit}. */
    List<PlanInstruction> byState(InstructionState state, int limit);

    /**
     * The admin's retry of an instruction waiting for funds or for review: after a final decline a
     * new round (new request id) starts; after an unknown outcome the same request id is queried
     * first. Runs the first attempt on the caller's thread.
     */
    Outcome<PlanInstruction> retry(String instructionId, String actor);

    /** Retries every invest waiting for funds (after a top-up); returns how many were retried. */
    default int retryAwaitingFunds(String actor) {
        return retryAwaitingFunds(actor, Optional.empty()).retried();
    }

    /**
     * Retries the invests waiting for funds (after a top-up) whose amount is at most
     * {@code approvalLimit}; those above it are left waiting and listed, for a maker-checker
     * approval one by one. With no limit, retries them all.
     */
    BulkRetry retryAwaitingFunds(String actor, Optional<Money> approvalLimit);

    /**
     * The admin's retry of a plan close that needs review: the redeem-all is queried under the
     * same request id before anything is sent again. Runs the attempt on the caller's thread.
     */
    Outcome<WealthPlan> retryClose(String planId, String actor);

    /**
     * Resolves a close in review because the redeem-all's principal differs from the books, once
     * an admin has found why: the rail's figure is accepted. Principal only ever moves between the
     * plan and the platform's own account at the rail, so the difference is booked between
     * {@code platform:<rail>:wealth} and {@code platform:<rail>:settlement} (audited with the
     * reason), then the close is booked. Refused unless the rail confirms a completed redeem-all.
     */
    Outcome<WealthPlan> acceptRailPrincipal(String planId, String actor, String reason);

    /** The yield of a closed plan per ticket; empty before it closed. */
    List<TicketYield> yields(String planId);
}
