package org.ticketledger.cli.internal.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ticketledger.cli.internal.journal.JournalVisitor;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;

/**
 * Verifies and replays every ledger of a journal as it streams past (see {@link LedgerAudit}).
 * With an as-of point, entries after it are read but not applied, and the head and stored balances
 * (which describe the latest state) are not compared. Not thread-safe.
 */
public final class Auditor implements JournalVisitor {

    private final AsOf asOf;
    private final boolean storedBalancesRequired;
    private final Map<LedgerId, LedgerAudit> ledgers = new LinkedHashMap<>();

    /**
     * @param asOf                   the point to replay to; {@link AsOf#latest()} to verify everything
     * @param storedBalancesRequired whether every account must have stored totals (true for a database)
     */
    public Auditor(AsOf asOf, boolean storedBalancesRequired) {
        this.asOf = Objects.requireNonNull(asOf, "asOf");
        this.storedBalancesRequired = storedBalancesRequired;
    }

    @Override
    public void ledger(LedgerHead head) {
        ledgers.put(head.ledger().id(), new LedgerAudit(head));
    }

    @Override
    public void account(Account account) {
        LedgerAudit a = ledgers.get(account.ledger());
        if (a != null) {
            a.account(account);
        }
    }

    @Override
    public void entry(Entry entry, long line) {
        LedgerAudit a = ledgers.get(entry.ledger());
        if (a != null) {
            a.entry(entry, line, included(entry));
        }
    }

    @Override
    public void balance(LedgerId ledger, Balance balance) {
        LedgerAudit a = ledgers.get(ledger);
        if (a != null) {
            a.storedBalance(balance);
        }
    }

    @Override
    public void end() {
        boolean latest = asOf instanceof AsOf.Latest;
        for (LedgerAudit a : ledgers.values()) {
            a.end(latest, storedBalancesRequired);
        }
    }

    private boolean included(Entry e) {
        if (asOf instanceof AsOf.AtSequence s) {
            return e.sequence() <= s.sequence();
        }
        if (asOf instanceof AsOf.AtInstant t) {
            return !e.recordedAt().isAfter(t.instant());
        }
        return true;
    }

    /** The audits, in the order the source declared the ledgers. */
    public List<LedgerAudit> ledgers() {
        return new ArrayList<>(ledgers.values());
    }

    /** Whether nothing was found wrong in any ledger. */
    public boolean ok() {
        return ledgers.values().stream().allMatch(a -> a.findingCount() == 0);
    }

    /** The total number of entries read. */
    public long entriesRead() {
        return ledgers.values().stream().mapToLong(LedgerAudit::entriesRead).sum();
    }
}
