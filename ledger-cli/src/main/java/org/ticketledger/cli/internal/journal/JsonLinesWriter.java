package org.ticketledger.cli.internal.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;

/**
 * Writes a journal as the JSON Lines export, one record per line, as it streams past. The caller
 * owns the stream (and closes it); {@link #end()} flushes. I/O failures surface as
 * {@link UncheckedIOException}. Not thread-safe.
 */
public final class JsonLinesWriter implements JournalVisitor {

    private final OutputStream out;
    private final LineBuffer line = new LineBuffer();
    private long entries;

    /** A writer onto {@code out}; give it a buffered stream. */
    public JsonLinesWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void ledger(LedgerHead head) {
        ExportEncoding.ledger(head, line);
        emit();
    }

    @Override
    public void account(Account account) {
        ExportEncoding.account(account, line);
        emit();
    }

    @Override
    public void entry(Entry entry, long lineNumber) {
        ExportEncoding.entry(entry, line);
        emit();
        entries++;
    }

    @Override
    public void balance(LedgerId ledger, Balance balance) {
        ExportEncoding.balance(ledger, balance, line);
        emit();
    }

    @Override
    public void end() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many entry lines were written. */
    public long entries() {
        return entries;
    }

    private void emit() {
        line.raw('\n');
        try {
            out.write(line.bytes, 0, line.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
