package org.ticketledger.cli;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.cli.internal.journal.JsonLinesWriter;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.LedgerId;

/**
 * Writes any {@link Journal} (in-memory or Postgres) as the JSON Lines export that
 * {@code ledger-cli verify --file} reads, through the journal's public API. Unlike
 * {@code ledger-cli export}, this does not read one database snapshot: give it a journal nobody
 * writes to meanwhile.
 */
public final class JournalExport {

    private static final int PAGE = 5_000;

    private JournalExport() {
    }

    /**
     * Writes every ledger (or only {@code only}) with its accounts, entries and balances to
     * {@code out}, which the caller closes.
     *
     * @throws java.io.UncheckedIOException when writing fails
     */
    public static void write(Journal journal, Optional<LedgerId> only, OutputStream out) {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(only, "only");
        Objects.requireNonNull(out, "out");
        JsonLinesWriter w = new JsonLinesWriter(new java.io.BufferedOutputStream(out, 1 << 16));
        List<Ledger> ledgers = new ArrayList<>();
        for (Ledger l : journal.ledgers()) {
            if (only.isEmpty() || only.get().equals(l.id())) {
                ledgers.add(l);
                Journal.Head head = journal.head(l.id());
                w.ledger(new LedgerHead(l, 1, head.lastSequence(), head.lastHash()));
            }
        }
        for (Ledger l : ledgers) {
            journal.accounts(l.id()).forEach(w::account);
        }
        for (Ledger l : ledgers) {
            long from = 1;
            while (true) {
                List<Entry> page = journal.entries(l.id(), from, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(e -> w.entry(e, 0));
                from = page.get(page.size() - 1).sequence() + 1;
            }
        }
        for (Ledger l : ledgers) {
            for (Account a : journal.accounts(l.id())) {
                journal.balance(l.id(), a.code()).ifPresent(b -> w.balance(l.id(), b));
            }
        }
        w.end();
    }
}
