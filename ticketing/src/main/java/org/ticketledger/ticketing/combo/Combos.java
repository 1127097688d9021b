package org.ticketledger.ticketing.combo;

import java.util.List;
import java.util.Optional;
import org.ticketledger.ticketing.Outcome;

/**
 * Combo-ticket products, published by the platform. Issuance, redemption and refunds go through
 * {@code orders()} and {@code tickets()} as for single tickets; each issued combo is invested in
 * its wealth plan and each redemption withdraws that spot's price (see {@code wealth()}).
 * Unpublishing goes through {@code pool().unpublish}. Refusals write nothing. Thread-safe.
 */
public interface Combos {

    /**
     * Publishes a combo. Refused unless every spot is onboarded and distinct, Σ S_k ≤ D, the
     * platform settles on the wealth rail and that rail is registered with a wealth capability,
     * and the plan is new or open with the same expiry.
     */
    Outcome<ComboProduct> publish(ComboDraft draft, String actor);

    /** A combo by product id (current version). */
    Optional<ComboProduct> combo(String productId);

    /** The combos invested in a plan. */
    List<ComboProduct> byPlan(String planId);
}
