/**
 * Combo tickets (联票): products the platform publishes across several scenic spots, each spot
 * redeemable once, in any order, with the distributor price invested in a wealth plan until the
 * spots are paid or the combo expires.
 */
package org.ticketledger.ticketing.combo;
