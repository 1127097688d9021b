package org.ticketledger.cli.internal.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.cli.UnableToFindLedgerException;
import org.ticketledger.cli.internal.journal.JournalVisitor;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.cli.internal.journal.Timestamps;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;

/**
 * Builds one account's statement between two points: the opening balance, one line per entry that
 * moves the account (posted amounts, and holds that reserve or release against it), and the
 * closing balance. Applies the kinds as JOURNAL-FORMAT.md says; run it beside an
 * {@link org.ticketledger.cli.internal.audit.Auditor} so that a damaged journal is reported. Not
 * thread-safe.
 */
public final class StatementBuilder implements JournalVisitor {

    private final LedgerId ledger;
    private final AccountCode code;
    private final Optional<Bound> from;
    private final Optional<Bound> to;
    private final Map<Long, long[]> openHolds = new HashMap<>();
    private final long[] totals = new long[4];
    private final List<List<String>> rows = new ArrayList<>();
    private LedgerHead head;
    private Account account;
    private long[] opening;
    private long lastSequence;

    public StatementBuilder(LedgerId ledger, AccountCode code, Optional<Bound> from, Optional<Bound> to) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.code = Objects.requireNonNull(code, "code");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    @Override
    public void ledger(LedgerHead h) {
        if (h.ledger().id().equals(ledger)) {
            head = h;
        }
    }

    @Override
    public void account(Account a) {
        if (a.ledger().equals(ledger) && a.code().equals(code)) {
            account = a;
        }
    }

    @Override
    public void entry(Entry e, long line) {
        if (!e.ledger().equals(ledger) || e.sequence() <= lastSequence || (to.isPresent() && to.get().isAfter(e))) {
            return;
        }
        lastSequence = e.sequence();
        long[] delta = new long[4];
        boolean touched = false;
        if (e.kind() == EntryKind.STANDARD || e.kind() == EntryKind.REVERSAL || e.kind() == EntryKind.HOLD_POST) {
            touched |= add(e.postings(), delta, 0);
        }
        if (e.kind() == EntryKind.HOLD) {
            long[] held = new long[4];
            if (add(e.postings(), held, 2)) {
                touched = true;
                openHolds.put(e.sequence(), held);
                for (int i = 0; i < 4; i++) {
                    delta[i] += held[i];
                }
            }
        }
        if (e.kind().resolvesHold()) {
            long[] held = openHolds.remove(e.reference().orElse(0));
            if (held != null) {
                touched = true;
                for (int i = 0; i < 4; i++) {
                    delta[i] -= held[i];
                }
            }
        }
        if (!touched) {
            return;
        }
        boolean before = from.isPresent() && from.get().isBefore(e);
        for (int i = 0; i < 4; i++) {
            totals[i] = Math.addExact(totals[i], delta[i]);
        }
        if (before) {
            return;
        }
        if (opening == null) {
            opening = new long[4];
            for (int i = 0; i < 4; i++) {
                opening[i] = totals[i] - delta[i];
            }
        }
        Balance after = balance(totals);
        rows.add(List.of(Long.toString(e.sequence()), Timestamps.format(e.recordedAt()), e.kind().name(), e.type(),
                e.idempotencyKey(), delta[0] != 0 ? Reports.money(after, delta[0]) : "",
                delta[1] != 0 ? Reports.money(after, delta[1]) : "", after.posted().toDecimalString(),
                after.available().toDecimalString()));
    }

    private boolean add(List<Posting> postings, long[] into, int offset) {
        boolean any = false;
        for (Posting p : postings) {
            if (p.account().equals(code)) {
                any = true;
                into[offset + (p.side() == Side.DEBIT ? 0 : 1)] += p.amount().minor();
            }
        }
        return any;
    }

    @Override
    public void balance(LedgerId l, Balance b) {
    }

    private Balance balance(long[] t) {
        return new Balance(code, account.type(), head.ledger().currency(), t[0], t[1], t[2], t[3]);
    }

    /**
     * The statement.
     *
     * @throws UnableToFindLedgerException if the ledger or the account was not in the journal
     */
    public Report report() {
        if (head == null) {
            throw new UnableToFindLedgerException("no ledger " + ledger + " in the journal");
        }
        if (account == null) {
            throw new UnableToFindLedgerException("no account " + code + " in ledger " + ledger);
        }
        long[] open = opening == null ? totals.clone() : opening;
        Balance o = balance(open);
        Balance c = balance(totals);
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        facts.put("ledger", ledger.value());
        facts.put("currency", head.ledger().currency().getCurrencyCode());
        facts.put("account", code.value());
        facts.put("type", account.type().name());
        facts.put("from", from.map(Object::toString).orElse("the first entry"));
        facts.put("to", to.map(Object::toString).orElse("the last entry"));
        facts.put("openingBalance", o.posted().toDecimalString());
        facts.put("openingAvailable", o.available().toDecimalString());
        facts.put("closingBalance", c.posted().toDecimalString());
        facts.put("closingAvailable", c.available().toDecimalString());
        facts.put("lines", Integer.toString(rows.size()));
        return new Report("Statement", facts,
                List.of(Report.Column.amount("sequence"), Report.Column.text("recordedAt"), Report.Column.text("kind"),
                        Report.Column.text("type"), Report.Column.text("key"), Report.Column.amount("debit"),
                        Report.Column.amount("credit"), Report.Column.amount("balance"), Report.Column.amount("available")),
                rows, Optional.empty());
    }
}
