package org.ticketledger.cli.internal.audit;

import java.util.Objects;
import org.ticketledger.ledger.LedgerId;

/**
 * One thing found wrong.
 *
 * @param ledger   the ledger
 * @param sequence the entry concerned, 0 when the finding is about stored balances
 * @param line     the 1-based line of the file that holds the entry, 0 when not read from a file
 * @param kind     what is wrong
 * @param detail   a human-readable explanation
 */
public record Finding(LedgerId ledger, long sequence, long line, FindingKind kind, String detail) {

    public Finding {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** E.g. {@code sequence 500 (line 503): HASH_MISMATCH: ...}. */
    public String describe() {
        String where = sequence > 0 ? "sequence " + sequence : "balances";
        if (line > 0) {
            where += " (line " + line + ")";
        }
        return where + ": " + kind + ": " + detail;
    }
}
