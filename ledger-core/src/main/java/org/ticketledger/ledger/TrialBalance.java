package org.ticketledger.ledger;

import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * Posted balances of every account in a ledger at one point, with their totals. In a sound ledger
 * total debits equal total credits.
 *
 * @param ledger       the ledger
 * @param currency     its currency
 * @param asOfSequence the last entry included
 * @param lines        one balance per account, ordered by account code
 * @param totalDebits  sum of posted debits over all accounts
 * @param totalCredits sum of posted credits over all accounts
 */
public record TrialBalance(LedgerId ledger, Currency currency, long asOfSequence, List<Balance> lines,
                           long totalDebits, long totalCredits) {

    public TrialBalance {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(currency, "currency");
        lines = List.copyOf(lines);
    }

    /** Builds the totals from the lines. */
    public static TrialBalance of(LedgerId ledger, Currency currency, long asOfSequence, List<Balance> lines) {
        long d = 0;
        long c = 0;
        for (Balance b : lines) {
            d = Math.addExact(d, b.debitsPosted());
            c = Math.addExact(c, b.creditsPosted());
        }
        return new TrialBalance(ledger, currency, asOfSequence, lines, d, c);
    }

    /** Whether total debits equal total credits. */
    public boolean balanced() {
        return totalDebits == totalCredits;
    }
}
