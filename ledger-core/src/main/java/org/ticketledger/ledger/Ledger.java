package org.ticketledger.ledger;

import java.util.Currency;
import java.util.Objects;

/**
 * A book in one currency: the unit of ordering (a gapless sequence), hashing (one chain) and
 * partitioning (every table is keyed by ledger id first).
 *
 * @param id       the ledger's identifier
 * @param currency the only currency its accounts and postings may use
 */
public record Ledger(LedgerId id, Currency currency) {

    public Ledger {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
    }
}
