package org.ticketledger.cli.internal.journal;

import java.util.Objects;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.Ledger;

/**
 * A ledger as a journal source declares it before its entries: its currency, the first entry the
 * source will deliver, and the head (last sequence and hash) as stored.
 *
 * @param ledger        the ledger and its currency
 * @param firstSequence the first sequence delivered: 1 for a whole journal, more for a partial export
 * @param lastSequence  the stored head's last sequence (0 when the ledger is empty)
 * @param lastHash      the stored head's hash ({@link Hash#GENESIS} when empty)
 */
public record LedgerHead(Ledger ledger, long firstSequence, long lastSequence, Hash lastHash) {

    public LedgerHead {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(lastHash, "lastHash");
        if (firstSequence < 1) {
            throw new IllegalArgumentException("firstSequence must be >= 1, was " + firstSequence);
        }
        if (lastSequence < 0) {
            throw new IllegalArgumentException("lastSequence must be >= 0, was " + lastSequence);
        }
    }

    /** Whether the source starts at entry 1, so balances can be rebuilt. */
    public boolean whole() {
        return firstSequence == 1;
    }

    /** How many entries the source should deliver for this ledger. */
    public long expectedEntries() {
        return Math.max(0, lastSequence - firstSequence + 1);
    }
}
