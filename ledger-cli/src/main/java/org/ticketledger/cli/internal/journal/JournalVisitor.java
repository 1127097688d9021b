package org.ticketledger.cli.internal.journal;

import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;

/**
 * Receives a journal in export order: every ledger, then every account, then the entries of each
 * ledger in sequence order, then the stored balances, then {@link #end()}. Sources (the file reader,
 * the database reader) call it from one thread.
 */
public interface JournalVisitor {

    /** A ledger and its stored head. */
    void ledger(LedgerHead head);

    /** An account definition. */
    void account(Account account);

    /**
     * The next entry of its ledger as the source holds it (which may be damaged).
     *
     * @param line the 1-based line of a file, 0 when the source has no lines
     */
    void entry(Entry entry, long line);

    /** The totals the source stored for an account (the database's balance table). */
    void balance(LedgerId ledger, Balance balance);

    /** Everything was delivered. */
    default void end() {
    }

    /** Sends everything to both visitors, {@code first} first. */
    static JournalVisitor both(JournalVisitor first, JournalVisitor second) {
        return new JournalVisitor() {
            @Override
            public void ledger(LedgerHead head) {
                first.ledger(head);
                second.ledger(head);
            }

            @Override
            public void account(Account account) {
                first.account(account);
                second.account(account);
            }

            @Override
            public void entry(Entry entry, long line) {
                first.entry(entry, line);
                second.entry(entry, line);
            }

            @Override
            public void balance(LedgerId ledger, Balance balance) {
                first.balance(ledger, balance);
                second.balance(ledger, balance);
            }

            @Override
            public void end() {
                first.end();
                second.end();
            }
        };
    }
}
